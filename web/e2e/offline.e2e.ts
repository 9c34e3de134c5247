/**
 * Issue 12 in a real browser against the real server (its static handler and Content-Security-Policy):
 *  - A signs in and opens a conversation; the service worker takes control of the page.
 *  - A's browser goes offline and reloads: parley opens from the service worker (not Chromium's "No internet"
 *    page) with the inbox and the conversation's messages, from the persisted cache, and says it is offline.
 *  - A writes while offline → shown pending; back online → delivered, B sees it once, the history has it once.
 *  - A new version: sw.js is never cached by HTTP; a build whose files differ (a copy of web/dist changed the way
 *    a new build is) is picked up by an open tab on its next load, which then reloads into it by itself.
 *  - Logging out wipes the persisted cache.
 * Screenshots: test-results/e2e/offline-*.png
 */
import {
  cpSync,
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import { conversation, sendMessage, signUp } from './support/graphqlApi';
import { RESULTS_DIR, WEB_DIR } from './support/paths';
import { startServer, type RunningServer } from './support/server';
import {
  bubble,
  composer,
  DESKTOP,
  failureReport,
  PASSWORD,
  PHONE,
  shot,
  signInWithToken,
  storySteps,
  visibleConnection,
  waitFor,
  watchErrors,
} from './support/story';

const FROM_BEN = ['Hi Ada, are you there?', 'The minutes are attached.', 'Call me when you can.'];
const OFFLINE_MESSAGE = 'Written on the train without signal';

let server: RunningServer;
let browser: Browser;
let contextA: BrowserContext;
let pageA: Page; // Ada, desktop: goes offline
let pageB: Page; // Ben, phone
let pageV: Page | undefined; // the new-version story
let ada: { token: string; user: { id: string } };
let ben: { token: string; user: { id: string } };
const pageErrors: string[] = [];
const step = storySteps(
  failureReport(
    'offline',
    () => ({ a: pageA, b: pageB, v: pageV }),
    () => server?.output() ?? '',
  ),
);

const texts = (page: Page) => page.locator('[data-testid="message"] .bubble__content').allTextContents();
const status = (page: Page, text: string) => bubble(page, text).getAttribute('data-status');

/** Resolves once a service worker controls the page (clientsClaim: the first load too). */
async function controlled(page: Page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await waitFor('the service worker to control the page', () =>
    page.evaluate(() => navigator.serviceWorker.controller !== null),
  );
}

// ---- a copy of web/dist served as a CDN would, to publish a "new version" into ----

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
};
let siteDir: string;
let site: Server;
let siteUrl: string;
/** How many times the site's sw.js was fetched. */
let swFetches = 0;

async function startSite() {
  siteDir = mkdtempSync(join(tmpdir(), 'parley-site-'));
  cpSync(join(WEB_DIR, 'dist'), siteDir, { recursive: true });
  site = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://host').pathname;
    if (path === '/sw.js') swFetches += 1;
    let file = join(siteDir, normalize(path));
    if (!file.startsWith(siteDir) || !existsSync(file) || statSync(file).isDirectory())
      file = join(siteDir, 'index.html');
    // As the API serves them: hashed assets forever, the rest revalidated.
    const immutable = path.startsWith('/assets/');
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as { port: number }).port}`;
}

/** What a new build changes: index.html (here: a marker) and, with it, its revision in sw.js's precache list. */
function publishNewVersion(marker: string) {
  const indexPath = join(siteDir, 'index.html');
  writeFileSync(
    indexPath,
    readFileSync(indexPath, 'utf8').replace('<title>', `<meta name="parley-build" content="${marker}" /><title>`),
  );
  const swPath = join(siteDir, 'sw.js');
  const sw = readFileSync(swPath, 'utf8');
  const updated = sw.replace(/(url:"index\.html",revision:")[^"]+"/, `$1${marker}"`);
  if (updated === sw) throw new Error('index.html not found in the precache list of sw.js');
  writeFileSync(swPath, updated);
}

beforeAll(async () => {
  mkdirSync(RESULTS_DIR, { recursive: true });
  server = await startServer();
  browser = await launchChromium();
  contextA = await browser.newContext({ viewport: DESKTOP });
  const contextB = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  contextA.setDefaultTimeout(15_000);
  contextB.setDefaultTimeout(15_000);
  pageA = await contextA.newPage();
  pageB = await contextB.newPage();
  watchErrors(pageA, 'A', pageErrors);
  watchErrors(pageB, 'B', pageErrors);
  ada = await signUp(server.url, 'ada', PASSWORD, 'Ada Lovelace');
  ben = await signUp(server.url, 'ben', PASSWORD, 'Ben Franklin');
  for (const content of FROM_BEN) await sendMessage(server.url, ben.token, ada.user.id, content);
  await startSite();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
  if (siteDir) rmSync(siteDir, { recursive: true, force: true });
  await server?.stop();
  if (pageErrors.length)
    console.warn('Browser console errors (refused connections are expected offline):\n' + pageErrors.join('\n'));
});

describe('offline app shell in a real browser', () => {
  step('the app is served with its manifest and a service worker that is never cached by HTTP', async () => {
    const sw = await fetch(`${server.url}/sw.js`);
    expect(sw.status).toBe(200);
    expect(sw.headers.get('content-type')).toMatch(/javascript/);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    const manifest = await fetch(`${server.url}/manifest.webmanifest`);
    expect(manifest.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    expect(manifest.headers.get('cache-control')).toBe('no-cache');
    expect(await manifest.json()).toMatchObject({
      name: 'parley',
      start_url: '/',
      display: 'standalone',
      icons: expect.arrayContaining([expect.objectContaining({ type: 'image/svg+xml' })]),
    });
    // The service worker answers no GraphQL: it has no runtime caching, and /graphql is never given the app.
    const source = await sw.text();
    expect(source.match(/registerRoute\(/g)).toEqual(['registerRoute(']);
    expect(source).toMatch(/registerRoute\(new \w+\.NavigationRoute\(.*denylist:\[\/\^\\\/graphql\//);
  });

  step('A opens the conversation; the service worker takes control of the page', async () => {
    await signInWithToken(pageA, server.url, ada.token, ben.user.id);
    await signInWithToken(pageB, server.url, ben.token, ada.user.id);
    for (const text of FROM_BEN) await bubble(pageA, text).waitFor();
    await controlled(pageA);
    const registration = await pageA.evaluate(async () => {
      const r = await navigator.serviceWorker.getRegistration();
      return { scope: r?.scope, updateViaCache: r?.updateViaCache, script: r?.active?.scriptURL };
    });
    expect(registration).toEqual({
      scope: `${server.url}/`,
      updateViaCache: 'none',
      script: `${server.url}/sw.js`,
    });
    // What A sees is kept on the device (written a moment after it changes).
    await waitFor('the cache to be persisted', async () =>
      ((await pageA.evaluate(() => localStorage.getItem('parley.cache'))) ?? '').includes(FROM_BEN.at(-1)!),
    );
  });

  step('offline, a reload opens parley with the inbox and the conversation, and says it is offline', async () => {
    await contextA.setOffline(true);
    await pageA.reload();
    // The app, not the browser's error page.
    await pageA.locator('.me__name', { hasText: 'Ada Lovelace' }).waitFor();
    expect(await pageA.title()).toBe('parley');
    for (const text of FROM_BEN) await bubble(pageA, text).waitFor();
    expect(await texts(pageA)).toEqual(FROM_BEN);
    await pageA.getByRole('heading', { name: 'Ben Franklin' }).waitFor();
    await pageA.getByRole('navigation', { name: 'Inbox' }).getByText('Ben Franklin').first().waitFor();
    await visibleConnection(pageA).filter({ hasText: 'Offline' }).waitFor();
    expect(await pageA.getByText('Could not reach parley', { exact: false }).count()).toBe(0);
    await shot(pageA, 'offline-desktop-reloaded-offline');
  });

  step('a message written offline is shown pending', async () => {
    await composer(pageA).fill(OFFLINE_MESSAGE);
    await composer(pageA).press('Enter');
    await bubble(pageA, OFFLINE_MESSAGE).waitFor();
    await new Promise((r) => setTimeout(r, 1000));
    expect(await status(pageA, OFFLINE_MESSAGE)).toBe('pending');
    const stored = await pageA.evaluate((id) => localStorage.getItem(`parley.outbox.${id}`), ada.user.id);
    expect(JSON.parse(stored ?? '[]')).toEqual([
      expect.objectContaining({ content: OFFLINE_MESSAGE, status: 'pending' }),
    ]);
    await shot(pageA, 'offline-desktop-pending');
  });

  step('back online: the message is delivered, B sees it once, the history has it once', async () => {
    await contextA.setOffline(false);
    await visibleConnection(pageA).filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });
    await waitFor(
      'A’s offline message to be acknowledged',
      async () => ['sent', 'read'].includes((await status(pageA, OFFLINE_MESSAGE)) ?? ''),
      30_000,
    );
    await bubble(pageB, OFFLINE_MESSAGE).waitFor({ timeout: 15_000 });
    await new Promise((r) => setTimeout(r, 1500)); // time for a duplicate to show up, if there were one
    expect(await texts(pageB)).toEqual([...FROM_BEN, OFFLINE_MESSAGE]);
    expect(await texts(pageA)).toEqual([...FROM_BEN, OFFLINE_MESSAGE]);
    const history = await conversation(server.url, ada.token, ben.user.id);
    expect(history.map((m) => m.content)).toEqual([...FROM_BEN, OFFLINE_MESSAGE]);
    await shot(pageA, 'offline-desktop-delivered');
    await shot(pageB, 'offline-phone-b-received');
  });

  step('a new version is picked up on the next load, and the page reloads into it by itself', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    pageV = await context.newPage();
    watchErrors(pageV, 'V', pageErrors);
    await pageV.goto(siteUrl);
    await pageV
      .getByRole('button', { name: /Log in/ })
      .first()
      .waitFor();
    await controlled(pageV);
    const fetchesBefore = swFetches;

    let loads = 0;
    pageV.on('load', () => (loads += 1));
    publishNewVersion('v2');
    // The next load: the old shell is served from the cache at first, the browser fetches sw.js (never from the
    // HTTP cache), installs the new worker, and the page reloads into the new version without anyone asking.
    await pageV.reload();
    await waitFor(
      'the new version to be shown',
      async () => (await pageV!.locator('meta[name="parley-build"]').count()) === 1,
      30_000,
    );
    expect(swFetches).toBeGreaterThan(fetchesBefore);
    // Our reload showed the old shell (the worker serves what it has); the page then reloaded itself.
    expect(loads).toBe(2);
    await pageV
      .getByRole('button', { name: /Log in/ })
      .first()
      .waitFor();
    // And offline it is the new version that opens.
    await context.setOffline(true);
    await pageV.reload();
    await pageV
      .getByRole('button', { name: /Log in/ })
      .first()
      .waitFor();
    expect(await pageV.locator('meta[name="parley-build"]').getAttribute('content')).toBe('v2');
    await shot(pageV, 'offline-new-version-login');
    await context.close();
    pageV = undefined;
  });

  step('logging out wipes the persisted cache', async () => {
    expect(await pageA.evaluate(() => localStorage.getItem('parley.cache'))).not.toBeNull();
    await pageA.getByRole('button', { name: 'Log out', exact: true }).click();
    await pageA
      .getByRole('button', { name: /Log in/ })
      .first()
      .waitFor();
    expect(await pageA.evaluate(() => localStorage.getItem('parley.cache'))).toBeNull();
    await new Promise((r) => setTimeout(r, 1500)); // no late write brings it back
    expect(await pageA.evaluate(() => localStorage.getItem('parley.cache'))).toBeNull();
  });

  step('no uncaught errors in any page', async () => {
    const unexpected = pageErrors.filter(
      (e) =>
        !/ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED|WebSocket connection|Failed to load resource|Failed to fetch/.test(
          e,
        ),
    );
    expect(unexpected).toEqual([]);
  });
});
