/**
 * Issue 24, items 2, 3 and 5, in a real browser against the real server: reading is seeing.
 *  - Opening a conversation with unread messages opens at the first one, under a "New messages" divider; only what
 *    was on screen is read, and reading advances as the person scrolls.
 *  - A reader scrolled up: the peer sees no ✓✓ on a new message until it has been on screen, then sees it.
 *  - "Jump to first unread" when the divider is far above; "Jump to the beginning" covers no message, at the top
 *    or at the bottom, and is shown only when it helps.
 * Screenshots: test-results/e2e/reading-*.png
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { seriousViolations } from './support/axe';
import { launchChromium } from './support/browser';
import { gql, sendMessage, signUp } from './support/graphqlApi';
import { RESULTS_DIR } from './support/paths';
import { startServer, type RunningServer } from './support/server';
import {
  bubble,
  DESKTOP,
  failureReport,
  PASSWORD,
  shot,
  signInWithToken,
  storySteps,
  waitFor,
  watchErrors,
} from './support/story';

let server: RunningServer;
let browser: Browser;
let reader: Page; // Ann, desktop: the one who reads
let writer: Page; // Bo, desktop: the one who sees ✓✓
let ann: { token: string; user: { id: string } };
let bo: { token: string; user: { id: string } };
const ids: string[] = []; // Bo's messages "Note 1".."Note 60", by number - 1
const pageErrors: string[] = [];
const step = storySteps(
  failureReport(
    'reading',
    () => ({ reader, writer }),
    () => server?.output() ?? '',
  ),
);

const TOTAL = 60;
const READ_BEFORE = 20; // Ann has read Note 1..20 before she opens the conversation

/** Which of Bo's messages the server says Ann has read (their numbers). */
async function readNotes(): Promise<number[]> {
  const data = await gql<{ chatHistory: { edges: Array<{ node: { content: string; readAt: string | null } }> } }>(
    server.url,
    'query ($w: ID!) { chatHistory(withUserId: $w, last: 100) { edges { node { content readAt } } } }',
    { w: ann.user.id },
    bo.token,
  );
  return data.chatHistory.edges
    .filter((e) => e.node.readAt && /^Note \d+$/.test(e.node.content))
    .map((e) => Number(e.node.content.slice(5)));
}

/** Whether the bubble with exactly `text` is at least half inside the transcript's viewport. */
const onScreen = (page: Page, text: string) =>
  page.evaluate((t) => {
    const scroller = document.querySelector('[data-testid="transcript"]')!.getBoundingClientRect();
    const el = [...document.querySelectorAll('[data-testid="message"]')].find(
      (b) => b.querySelector('.bubble__content')?.textContent === t,
    );
    if (!el) return false;
    const r = el.getBoundingClientRect();
    const shown = Math.min(r.bottom, scroller.bottom) - Math.max(r.top, scroller.top);
    return shown >= r.height / 2;
  }, text);

/**
 * Installed in the reader's page before the app: each markRead the app sends (over the socket or HTTP) is recorded
 * with the notes that were partly on screen in the second before it went out (sampled every frame). The app decides
 * on what its IntersectionObserver saw, and the request goes out a moment later (through Apollo's links and
 * graphql-ws, asynchronously); the list may settle by a row or more meanwhile (rows measured, the older page prepended
 * above), as it may after (so checking the screen afterwards raced). A note not on screen at all in that second was
 * not seen.
 */
function recordMarkReads() {
  type Mark = { upTo: string; visible: number[] };
  const marks: Mark[] = [];
  (window as unknown as { __markReads: Mark[] }).__markReads = marks;
  const lastSeen = new Map<number, number>(); // note → when it was last partly on screen (performance.now())
  const measure = () => {
    const scroller = document.querySelector('[data-testid="transcript"]')?.getBoundingClientRect();
    if (scroller)
      for (const b of document.querySelectorAll('[data-testid="message"]')) {
        const r = b.getBoundingClientRect();
        const text = b.querySelector('.bubble__content')?.textContent ?? '';
        if (/^Note \d+$/.test(text) && Math.min(r.bottom, scroller.bottom) - Math.max(r.top, scroller.top) > 0)
          lastSeen.set(Number(text.slice(5)), performance.now());
      }
  };
  const everyFrame = () => {
    measure();
    requestAnimationFrame(everyFrame);
  };
  requestAnimationFrame(everyFrame);
  const note = (text: string) => {
    try {
      const message = JSON.parse(text) as { payload?: { variables?: unknown }; variables?: unknown };
      const variables = (message.payload ?? message).variables as { upToMessageId?: unknown } | undefined;
      if (typeof variables?.upToMessageId !== 'string') return;
      measure();
      const since = performance.now() - 1000;
      const visible = [...lastSeen].filter(([, at]) => at >= since).map(([n]) => n);
      marks.push({ upTo: variables.upToMessageId, visible: visible.sort((a, b) => a - b) });
    } catch {
      // not JSON: not an operation
    }
  };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (this: WebSocket, data: Parameters<WebSocket['send']>[0]) {
    if (typeof data === 'string' && data.includes('upToMessageId')) note(data);
    return send.call(this, data);
  };
  const fetch = window.fetch;
  window.fetch = function (input: RequestInfo | URL, init?: RequestInit) {
    if (typeof init?.body === 'string' && init.body.includes('upToMessageId')) note(init.body);
    return fetch.call(window, input, init);
  };
}

/** The markReads the reader's page sent since it loaded, each with what was on screen then. */
const markReads = (page: Page) =>
  page.evaluate(() => (window as unknown as { __markReads: { upTo: string; visible: number[] }[] }).__markReads);

/** Every pair of a shown jump control and a bubble in the DOM whose boxes overlap (none expected). */
const overlaps = (page: Page) =>
  page.evaluate(() => {
    const controls = [...document.querySelectorAll('button')].filter((b) => /^Jump to/.test(b.textContent ?? ''));
    const hits: string[] = [];
    for (const c of controls) {
      const a = c.getBoundingClientRect();
      if (a.width === 0) continue;
      for (const m of document.querySelectorAll('[data-testid="message"]')) {
        const b = m.getBoundingClientRect();
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
          hits.push(`${c.textContent} over ${m.textContent}`);
      }
    }
    return { controls: controls.length, hits };
  });

const scrollTranscript = (page: Page, to: 'top' | 'bottom') =>
  page.evaluate((where) => {
    const el = document.querySelector('[data-testid="transcript"]')!;
    el.scrollTop = where === 'top' ? 0 : el.scrollHeight;
  }, to);

beforeAll(async () => {
  mkdirSync(RESULTS_DIR, { recursive: true });
  server = await startServer();
  browser = await launchChromium();
  ann = await signUp(server.url, 'ann', PASSWORD, 'Ann Archer');
  bo = await signUp(server.url, 'beau', PASSWORD, 'Bo Baker');
  for (let n = 1; n <= TOTAL; n++) ids.push(await sendMessage(server.url, bo.token, ann.user.id, `Note ${n}`));
  await gql(
    server.url,
    'mutation ($s: ID!, $u: ID) { markRead(senderId: $s, upToMessageId: $u) { count } }',
    { s: bo.user.id, u: ids[READ_BEFORE - 1] },
    ann.token,
  );
  for (const who of ['reader', 'writer'] as const) {
    const context = await browser.newContext({ viewport: DESKTOP });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    watchErrors(page, who, pageErrors);
    if (who === 'reader') await page.addInitScript(recordMarkReads);
    if (who === 'reader') reader = page;
    else writer = page;
  }
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (pageErrors.length) console.warn('Browser console errors:\n' + pageErrors.join('\n'));
});

describe('read means seen', () => {
  step('opened with 40 unread: at the first one under "New messages"; only what is on screen is read', async () => {
    expect(await readNotes()).toHaveLength(READ_BEFORE);
    await signInWithToken(reader, server.url, ann.token, bo.user.id);
    const divider = reader.locator('.unread-divider', { hasText: 'New messages' });
    await divider.waitFor();
    await waitFor('Note 21 on screen', () => onScreen(reader, 'Note 21'));
    // The divider sits right above the first unread message.
    expect(await divider.evaluate((d) => d.nextElementSibling?.querySelector('.bubble__content')?.textContent)).toBe(
      'Note 21',
    );
    expect(await onScreen(reader, `Note ${TOTAL}`)).toBe(false);
    // What was on screen is read, up to the newest one shown; the rest is not.
    await waitFor('the messages on screen read', async () => (await readNotes()).length > READ_BEFORE);
    await new Promise((r) => setTimeout(r, 1_500)); // time for a wrong markRead to land
    const read = await readNotes();
    const newestRead = Math.max(...read);
    // Each markRead named a note that was on screen just before it was sent; the newest of them is the newest read.
    const marks = await markReads(reader);
    expect(marks.length).toBeGreaterThan(0);
    for (const mark of marks) expect(mark.visible).toContain(ids.indexOf(mark.upTo) + 1);
    expect(Math.max(...marks.map((m) => ids.indexOf(m.upTo) + 1))).toBe(newestRead);
    expect(newestRead).toBeLessThan(TOTAL);
    expect(read).toEqual(Array.from({ length: newestRead }, (_, i) => i + 1));
    expect(await seriousViolations(reader)).toEqual([]);
    await shot(reader, 'reading-opened-at-first-unread');
  });

  step(
    '"Jump to the beginning" covers no message at the bottom, nor at the top; "Jump to first unread" when far',
    async () => {
      await scrollTranscript(reader, 'bottom');
      await waitFor(`Note ${TOTAL} on screen`, () => onScreen(reader, `Note ${TOTAL}`));
      // Reading advanced as the person scrolled: everything is read now.
      await waitFor('every note read', async () => (await readNotes()).length === TOTAL);
      const toBeginning = reader.getByRole('button', { name: 'Jump to the beginning' });
      await toBeginning.waitFor(); // older pages are not loaded: it helps
      const firstUnread = reader.getByRole('button', { name: 'Jump to first unread' });
      await firstUnread.waitFor(); // the divider is far above
      const atBottom = await overlaps(reader);
      expect(atBottom.controls).toBe(2);
      expect(atBottom.hits).toEqual([]);
      await shot(reader, 'reading-bottom');

      await firstUnread.click();
      await waitFor('Note 21 on screen again', () => onScreen(reader, 'Note 21'));
      await waitFor('"Jump to first unread" gone', async () => !(await firstUnread.isVisible()));

      await toBeginning.click();
      await reader.getByText('This is the beginning of your conversation.').waitFor();
      await waitFor('Note 1 on screen', () => onScreen(reader, 'Note 1'));
      // At the top it would not help: not shown (and if it were, it would cover nothing).
      await waitFor('"Jump to the beginning" gone at the top', async () => !(await toBeginning.isVisible()));
      expect((await overlaps(reader)).hits).toEqual([]);
      await shot(reader, 'reading-top');
    },
  );

  step('a reader scrolled up: no ✓✓ for the peer until the message is on screen, then ✓✓', async () => {
    await signInWithToken(writer, server.url, bo.token, ann.user.id);
    await scrollTranscript(reader, 'top'); // Ann stays at Note 1
    await writer.getByRole('textbox', { name: /^Message / }).fill('Are you there, Ann?');
    await writer.getByRole('textbox', { name: /^Message / }).press('Enter');
    const mine = bubble(writer, 'Are you there, Ann?');
    await waitFor('Sent on Bo’s side', async () => (await mine.getAttribute('data-status')) === 'sent');
    // Ann's tab is visible and focused, the conversation is open, the message arrived: still not seen.
    await reader.getByRole('button', { name: /1 new message/ }).waitFor();
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await mine.getAttribute('data-status')).toBe('sent');
    expect(await onScreen(reader, 'Are you there, Ann?')).toBe(false);
    await shot(writer, 'reading-not-seen-yet');

    await reader.getByRole('button', { name: /1 new message/ }).click();
    await waitFor('the message on Ann’s screen', () => onScreen(reader, 'Are you there, Ann?'));
    await waitFor('✓✓ on Bo’s side', async () => (await mine.getAttribute('data-status')) === 'read');
    await shot(writer, 'reading-seen');
  });
});
