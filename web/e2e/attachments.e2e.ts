/**
 * Issue #19 (pictures and files) in a real browser against the real server (embedded store), two people: A (Ada,
 * desktop) and B (Ben, phone).
 *  - A attaches an image with the button (the file chooser) and a PDF by pasting it; both show their upload
 *    (uploading, then ready) and go out with one message once uploaded.
 *  - B sees the thumbnail (its box fixed before it loads) and the file chip live, opens the image in the viewer,
 *    and the chip's download link gives the PDF's bytes.
 *  - A file larger than the limit, dropped on the composer, is refused before anything is uploaded, saying why.
 *  - A deletes the message: the attachments go for both, and their URLs no longer answer.
 *  - axe: no serious or critical violation with the tray, the thumbnails, the chip and the viewer on screen.
 *  - Offline, A attaches an image and sends it; reloaded while offline, the message and its file are still there;
 *    back online, it goes out once, with the image (the history has exactly one such message).
 *  - On a server whose URLs expire in seconds (ATTACHMENT_URL_TTL), A's click on a file chip after its URL expired
 *    gets it signed again: the link then gives the file.
 * Screenshots: test-results/e2e/attachments-*.png
 */
import { mkdirSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { seriousViolations } from './support/axe';
import { launchChromium } from './support/browser';
import { gql, sendMessage, signUp } from './support/graphqlApi';
import { RESULTS_DIR } from './support/paths';
import { startServer, type RunningServer } from './support/server';
import {
  bubbles,
  composer,
  failureReport,
  openTwoPeople,
  PASSWORD,
  shot,
  signInWithToken,
  storySteps,
  waitFor,
} from './support/story';

let server: RunningServer;
let browser: Browser;
let pageA: Page;
let pageB: Page;
let ada: { token: string; user: { id: string } };
let ben: { token: string; user: { id: string } };
const pageErrors: string[] = [];
const step = storySteps(
  failureReport(
    'attachments',
    () => ({ a: pageA, b: pageB }),
    () => server?.output() ?? '',
  ),
);

/** A PNG of `width` × `height` pixels of one colour, made here (no fixture file). */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, Buffer.from([0x4f, 0x46, 0xe5]))]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const PICTURE = png(120, 80);
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n' +
    'trailer << /Root 1 0 R >>\n%%EOF\n',
);
const CAPTION = 'The plan and the picture';

const bubble = (page: Page, text: string) =>
  bubbles(page).filter({ has: page.locator('.bubble__content', { hasText: text }) });
const thumbnail = (page: Page) => bubble(page, CAPTION).getByRole('button', { name: 'Open image lunch.png' });
const fileChip = (page: Page) => bubble(page, CAPTION).getByRole('link', { name: /report\.pdf/ });
const tray = (page: Page) => page.getByRole('list', { name: 'Attached files' });
const OFFLINE_CAPTION = 'Sent from the tunnel';

/** The service worker serves the app shell: a reload works offline. */
async function controlled(page: Page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await waitFor('the service worker to control the page', () =>
    page.evaluate(() => navigator.serviceWorker.controller !== null),
  );
}

/** The stored messages of a conversation with their attachments' file names, as `token`'s user sees them. */
async function storedWithFiles(url: string, token: string, withUserId: string) {
  const data = await gql<{
    chatHistory: { edges: Array<{ node: { content: string; attachments: Array<{ filename: string }> } }> };
  }>(
    url,
    'query ($w: ID!) { chatHistory(withUserId: $w, last: 100) { edges { node { content attachments { filename } } } } }',
    { w: withUserId },
    token,
  );
  return data.chatHistory.edges.map((e) => ({
    content: e.node.content,
    files: e.node.attachments.map((a) => a.filename),
  }));
}

/** A file uploaded and sent through the API (createUpload, the presigned POST, sendMessage). */
async function sendFile(url: string, token: string, to: string, name: string, type: string, bytes: Buffer) {
  const { createUpload: u } = await gql<{
    createUpload: { id: string; url: string; fields: Array<{ name: string; value: string }> };
  }>(
    url,
    'mutation ($f: String!, $t: String!, $n: Int!) { createUpload(filename: $f, contentType: $t, byteSize: $n) { id url fields { name value } } }',
    { f: name, t: type, n: bytes.length },
    token,
  );
  const form = new FormData();
  for (const f of u.fields) form.append(f.name, f.value);
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
  const posted = await fetch(new URL(u.url, url), { method: 'POST', body: form });
  if (posted.status >= 300) throw new Error(`upload refused: ${posted.status}`);
  await gql(
    url,
    'mutation ($r: ID!, $ids: [ID!]) { sendMessage(recipientId: $r, content: "", attachmentIds: $ids) { id } }',
    { r: to, ids: [u.id] },
    token,
  );
}

/** Every upload status the tray shows, in order, and every request that starts or carries an upload. */
async function watchUploads(page: Page) {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { uploadStatuses: string[] }).uploadStatuses = seen;
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('[data-testid="upload"]')) {
        const status = `${el.querySelector('.tray__name')?.textContent}:${el.getAttribute('data-status')}`;
        if (seen.at(-1) !== status && !seen.includes(status)) seen.push(status);
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
}
const statusesSeen = (page: Page) =>
  page.evaluate(() => (window as unknown as { uploadStatuses: string[] }).uploadStatuses);
const uploadRequests: string[] = [];

beforeAll(async () => {
  mkdirSync(RESULTS_DIR, { recursive: true });
  server = await startServer();
  browser = await launchChromium();
  ({ pageA, pageB } = await openTwoPeople(browser, pageErrors));
  // createUpload goes over the socket (or HTTP when it is down); the form is POSTed to the store.
  pageA.on('request', (request) => {
    if (request.method() !== 'POST') return;
    if (new URL(request.url()).pathname.startsWith('/uploads')) uploadRequests.push('POST /uploads');
    else if ((request.postData() ?? '').includes('"CreateUpload"')) uploadRequests.push('createUpload');
  });
  pageA.on('websocket', (ws) =>
    ws.on('framesent', (frame) => {
      if (String(frame.payload).includes('"CreateUpload"')) uploadRequests.push('createUpload');
    }),
  );
  ada = await signUp(server.url, 'ada', PASSWORD, 'Ada Lovelace');
  ben = await signUp(server.url, 'ben', PASSWORD, 'Ben Franklin');
}, 180_000); // a cold server start on a loaded 2-core machine

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (pageErrors.length) console.warn('Browser console errors:\n' + pageErrors.join('\n'));
});

describe('attachments (#19), two people in Chromium', () => {
  step('A and B have their conversation open', async () => {
    await sendMessage(server.url, ben.token, ada.user.id, 'Send me the plan?');
    await signInWithToken(pageA, server.url, ada.token, ben.user.id);
    await signInWithToken(pageB, server.url, ben.token, ada.user.id);
    await bubble(pageA, 'Send me the plan?').waitFor();
    await bubble(pageB, 'Send me the plan?').waitFor();
  });

  step('A attaches an image with the button and a PDF by pasting: each uploads, then is ready', async () => {
    await watchUploads(pageA);
    const [chooser] = await Promise.all([
      pageA.waitForEvent('filechooser'),
      pageA.getByRole('button', { name: 'Attach files' }).click(),
    ]);
    await chooser.setFiles({ name: 'lunch.png', mimeType: 'image/png', buffer: PICTURE });
    // A paste of a file (as a screenshot or a copied file arrives): a ClipboardEvent carrying it.
    await composer(pageA).focus();
    await pageA.evaluate(
      (bytes) => {
        const data = new DataTransfer();
        data.items.add(new File([new Uint8Array(bytes)], 'report.pdf', { type: 'application/pdf' }));
        document.activeElement!.dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
        );
      },
      [...PDF],
    );
    await tray(pageA).locator('[data-status="done"]').nth(1).waitFor();
    expect(await statusesSeen(pageA)).toEqual(
      expect.arrayContaining(['lunch.png:uploading', 'lunch.png:done', 'report.pdf:uploading', 'report.pdf:done']),
    );
    // One createUpload and one form POST each, straight to the store (never through GraphQL).
    expect(uploadRequests.filter((r) => r === 'createUpload')).toHaveLength(2);
    expect(uploadRequests.filter((r) => r === 'POST /uploads')).toHaveLength(2);
    expect(await composer(pageA).inputValue()).toBe(''); // the pasted file is not text
    await shot(pageA, 'attachments-desktop-tray');
    expect(await seriousViolations(pageA)).toEqual([]);
  });

  step('A sends them with a caption; B sees the thumbnail and the file chip live', async () => {
    await composer(pageA).fill(CAPTION);
    await composer(pageA).press('Enter');
    expect(await tray(pageA).count()).toBe(0);
    await thumbnail(pageB).waitFor();
    await fileChip(pageB).waitFor();
    expect(await fileChip(pageB).innerText()).toMatch(/report\.pdf[\s\S]*B/);
    // The thumbnail's box is fixed before the image loads (no jump), and the image does load.
    const box = await thumbnail(pageB).evaluate((el) => ({
      style: [(el as HTMLElement).style.width, (el as HTMLElement).style.height],
    }));
    expect(box.style.every((v) => /^\d+px$/.test(v))).toBe(true);
    await waitFor('the thumbnail to load', () =>
      thumbnail(pageB)
        .locator('img')
        .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
    );
    await thumbnail(pageA).waitFor();
    await shot(pageB, 'attachments-phone-received');
    expect(await seriousViolations(pageB)).toEqual([]);
  });

  step('B opens the image in the viewer and closes it with Escape', async () => {
    await thumbnail(pageB).click();
    const viewer = pageB.getByRole('dialog', { name: 'lunch.png' });
    await viewer.waitFor();
    const image = viewer.getByRole('img', { name: 'lunch.png' });
    await waitFor('the full image to load', () =>
      image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth === 120),
    );
    await shot(pageB, 'attachments-phone-viewer');
    expect(await seriousViolations(pageB)).toEqual([]);
    await pageB.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
    expect(await thumbnail(pageB).evaluate((el) => el === document.activeElement)).toBe(true);
  });

  step('the download link gives B the PDF’s bytes, as a download', async () => {
    const href = await fileChip(pageB).getAttribute('href');
    expect(href).toBeTruthy();
    const fetched = await pageB.evaluate(async (url) => {
      const response = await fetch(url);
      return {
        status: response.status,
        disposition: response.headers.get('content-disposition'),
        bytes: [...new Uint8Array(await response.arrayBuffer())],
      };
    }, href!);
    expect(fetched.status).toBe(200);
    expect(fetched.disposition).toMatch(/^attachment/);
    expect(Buffer.from(fetched.bytes).equals(PDF)).toBe(true);
  });

  step('a file over the limit, dropped on the composer, is refused before any upload, saying why', async () => {
    const before = uploadRequests.length;
    // Made in the page (26 MB through the DevTools protocol is slow) and dropped as a drag from the desktop drops it.
    await pageA.locator('form.composer').evaluate((form) => {
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array(26 * 1024 * 1024)], 'huge.zip', { type: 'application/zip' }));
      const over = new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true });
      form.dispatchEvent(over);
      if (!over.defaultPrevented) throw new Error('the composer does not take dropped files');
      form.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    const refused = tray(pageA).locator('[data-status="refused"]');
    await refused.waitFor();
    expect(await refused.innerText()).toContain('huge.zip is too large: 26 MB, the limit is 25 MB.');
    expect(await pageA.getByTestId('composer-hint').innerText()).toContain('Some files cannot be sent');
    expect(await pageA.getByRole('button', { name: 'Send message' }).isDisabled()).toBe(true);
    expect(uploadRequests.length).toBe(before);
    await shot(pageA, 'attachments-desktop-too-large');
    await pageA.getByRole('button', { name: 'Remove huge.zip' }).click();
    expect(await tray(pageA).count()).toBe(0);
  });

  step('A deletes the message: its attachments go for both, and their URLs stop answering', async () => {
    const href = await fileChip(pageB).getAttribute('href');
    await bubble(pageA, CAPTION).focus();
    await pageA.keyboard.press('Enter');
    await pageA.getByRole('toolbar', { name: 'Message actions' }).getByRole('button', { name: 'Delete' }).click();
    await pageA.getByRole('dialog', { name: 'Delete this message?' }).getByRole('button', { name: 'Delete' }).click();
    const tombstoneA = bubbles(pageA).filter({ hasText: 'You deleted this message' });
    const tombstoneB = bubbles(pageB).filter({ hasText: 'This message was deleted' });
    await tombstoneA.waitFor();
    await tombstoneB.waitFor();
    expect(await tombstoneA.locator('.attachments').count()).toBe(0);
    expect(await tombstoneB.locator('.attachments').count()).toBe(0);
    expect(await pageB.getByTestId('attachment-image').count()).toBe(0);
    // The objects are deleted with the message: the signed URL B still holds stops answering.
    await waitFor('the file’s URL to stop answering', async () => {
      const status = await pageB.evaluate(async (url) => (await fetch(url, { cache: 'no-store' })).status, href!);
      return status >= 400;
    });
  });
  step('offline reload keeps the pending upload and sends it once', async () => {
    await controlled(pageA);
    await pageA.context().setOffline(true);
    const [chooser] = await Promise.all([
      pageA.waitForEvent('filechooser'),
      pageA.getByRole('button', { name: 'Attach files' }).click(),
    ]);
    await chooser.setFiles({ name: 'tunnel.png', mimeType: 'image/png', buffer: PICTURE });
    // Offline the upload cannot start: the message may still be sent; the file goes on for it.
    await tray(pageA).locator('[data-status="failed"], [data-status="uploading"]').first().waitFor();
    await composer(pageA).fill(OFFLINE_CAPTION);
    await composer(pageA).press('Enter');
    expect(await tray(pageA).count()).toBe(0);
    const pending = bubble(pageA, OFFLINE_CAPTION);
    await pending.getByText('tunnel.png').waitFor();
    await waitFor('the file to be kept on the device', () =>
      pageA.evaluate(
        () =>
          new Promise<boolean>((resolve) => {
            const open = indexedDB.open('parley-uploads');
            open.onerror = () => resolve(false);
            open.onsuccess = () => {
              const db = open.result;
              if (!db.objectStoreNames.contains('pending')) return resolve(false);
              const all = db.transaction('pending').objectStore('pending').getAll();
              all.onsuccess = () => resolve(JSON.stringify(all.result).includes('tunnel.png'));
              all.onerror = () => resolve(false);
            };
          }),
      ),
    );

    await pageA.reload();
    await pageA.locator('.me__name', { hasText: 'Ada Lovelace' }).waitFor();
    await pending.getByText('tunnel.png').waitFor(); // still there, still pending
    await shot(pageA, 'attachments-desktop-offline-pending');
    expect((await storedWithFiles(server.url, ben.token, ada.user.id)).some((m) => m.content === OFFLINE_CAPTION)).toBe(
      false,
    );

    await pageA.context().setOffline(false);
    const picture = bubble(pageB, OFFLINE_CAPTION).getByRole('button', { name: 'Open image tunnel.png' });
    await picture.waitFor({ timeout: 30_000 });
    await bubble(pageA, OFFLINE_CAPTION).getByRole('button', { name: 'Open image tunnel.png' }).waitFor();
    await new Promise((r) => setTimeout(r, 1500)); // time for a duplicate to show up, if there were one
    const stored = (await storedWithFiles(server.url, ben.token, ada.user.id)).filter((m) =>
      m.files.includes('tunnel.png'),
    );
    expect(stored).toEqual([{ content: OFFLINE_CAPTION, files: ['tunnel.png'] }]);
    expect(await bubble(pageB, OFFLINE_CAPTION).count()).toBe(1);
    await shot(pageB, 'attachments-phone-offline-delivered');
  });
});

describe('a file chip after its URL expired (a server with ATTACHMENT_URL_TTL=20s)', () => {
  let short: RunningServer | undefined;
  afterAll(async () => {
    await short?.stop();
  });

  // Its own story: it does not depend on the steps above.
  const expiry = storySteps(
    failureReport(
      'attachments-expiry',
      () => ({ a: pageA }),
      () => short?.output() ?? '',
    ),
  );
  expiry(
    'A’s click (desktop) after the URL expired gets a link signed again, which gives the file',
    async () => {
      short = await startServer({ env: { ATTACHMENT_URL_TTL: '20s' } });
      const cy = await signUp(short.url, 'cyril', PASSWORD, 'Cyril Young');
      const di = await signUp(short.url, 'diana', PASSWORD, 'Diana Prince');
      await sendFile(short.url, cy.token, di.user.id, 'notes.pdf', 'application/pdf', PDF);
      await signInWithToken(pageA, short.url, di.token, cy.user.id);
      const chip = bubbles(pageA).getByRole('link', { name: /notes\.pdf/ });
      await chip.waitFor();
      const stale = new URL((await chip.getAttribute('href'))!, short.url).toString();
      await waitFor('the URL to expire', async () => (await fetch(stale)).status >= 400, 60_000);
      await chip.click();
      // The click waits for the link to be signed again (then follows it, in a new tab): the link is fresh.
      await waitFor(
        'the link to be signed again',
        async () => new URL((await chip.getAttribute('href'))!, short!.url).toString() !== stale,
      );
      const fresh = new URL((await chip.getAttribute('href'))!, short.url).toString();
      const download = await fetch(fresh);
      expect(download.status).toBe(200);
      expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true);
    },
    240_000,
  );
});
