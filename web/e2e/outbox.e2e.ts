/**
 * Issue 4 in a real browser against the real server:
 *  - A sends while the server is down → pending; A reloads (server still down)
 *    → still pending on screen; the server returns → delivered, B sees it once,
 *    the history holds it once.
 *  - B's conversation stays open while the server restarts and A sends through
 *    the API while B is disconnected → B catches up (messageAdded with `after`)
 *    and shows every message once, in order, without reloading.
 * Screenshots: test-results/e2e/outbox-*.png
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { startAppHost, type AppHost } from './support/appHost';
import { launchChromium } from './support/browser';
import { conversation, gql, signUp } from './support/graphqlApi';
import { RESULTS_DIR } from './support/paths';
import { startServer, type RunningServer } from './support/server';
import {
  bubble,
  bubbles,
  composer,
  DESKTOP,
  failureReport,
  openTwoPeople,
  PASSWORD,
  PHONE,
  shot,
  signInWithToken,
  storySteps,
  visibleConnection,
  waitFor,
} from './support/story';

const QUEUED = 'Written while the server was down';
const DURING_RESTART = Array.from({ length: 5 }, (_, i) => `During the restart ${i + 1}`);

let server: RunningServer;
/** A loads the app from here (a static host in front of the API), B from the API server itself. */
let appHost: AppHost;
let browser: Browser;
let pageA: Page; // Ada, desktop
let pageB: Page; // Ben, phone
let ada: { token: string; user: { id: string } };
let ben: { token: string; user: { id: string } };
const pageErrors: string[] = [];
/** The steps share one story: once one fails, the later ones fail fast; a failure leaves screenshots. */
const step = storySteps(
  failureReport(
    'outbox',
    () => ({ a: pageA, b: pageB }),
    () => server?.output() ?? '',
  ),
);
/** While true, B's WebSocket connections are refused (B stays disconnected). */
let blockB = false;
/** graphql-ws frames B sent, oldest first. */
const framesFromB: Array<{
  at: number;
  frame: { type: string; payload?: { operationName?: string; variables?: Record<string, unknown> } };
}> = [];

const texts = (page: Page) => page.locator('[data-testid="message"] .bubble__content').allTextContents();
const status = (page: Page, text: string) => bubble(page, text).getAttribute('data-status');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  mkdirSync(RESULTS_DIR, { recursive: true });
  server = await startServer();
  browser = await launchChromium();
  // A reloads while the API is down: its app comes from a static host.
  appHost = await startAppHost(server.url);
  ({ pageA, pageB } = await openTwoPeople(browser, pageErrors));
  await pageB.routeWebSocket(/\/graphql$/, (ws) => {
    if (blockB) {
      void ws.close({ code: 1012, reason: 'test: server not reachable for B' });
      return;
    }
    const toServer = ws.connectToServer();
    ws.onMessage((message) => {
      framesFromB.push({ at: Date.now(), frame: JSON.parse(String(message)) });
      toServer.send(message);
    });
    toServer.onMessage((message) => ws.send(message));
  });

  ada = await signUp(server.url, 'ada', PASSWORD, 'Ada Lovelace');
  ben = await signUp(server.url, 'ben', PASSWORD, 'Ben Franklin');
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await appHost?.close();
  await server?.stop();
  if (pageErrors.length)
    console.warn('Browser console errors (connection refusals are expected during outages):\n' + pageErrors.join('\n'));
});

describe('outbox and catch-up in a real browser', () => {
  step('A and B have their conversation open', async () => {
    await gql(
      server.url,
      'mutation ($r: ID!) { sendMessage(recipientId: $r, content: "Hi Ben") { id } }',
      { r: ben.user.id },
      ada.token,
    );
    await signInWithToken(pageA, appHost.url, ada.token, ben.user.id);
    await signInWithToken(pageB, server.url, ben.token, ada.user.id);
    await bubble(pageA, 'Hi Ben').waitFor();
    await bubble(pageB, 'Hi Ben').waitFor();
    await pageB.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
  });

  step('A sends while the server is stopped: the message is kept as pending, not failed', async () => {
    await server.halt();
    await visibleConnection(pageA).filter({ hasText: 'Reconnecting…' }).waitFor();

    await composer(pageA).fill(QUEUED);
    await composer(pageA).press('Enter');
    await waitFor('the first attempt to fail', async () =>
      ((await bubble(pageA, QUEUED).textContent()) ?? '').includes('Waiting to send'),
    );
    await sleep(1500); // a retry or two later: still pending, no Retry button
    expect(await status(pageA, QUEUED)).toBe('pending');
    expect(await pageA.getByRole('button', { name: 'Retry sending message' }).count()).toBe(0);
    const stored = await pageA.evaluate((id) => window.localStorage.getItem(`parley.outbox.${id}`), ada.user.id);
    expect(JSON.parse(stored ?? '[]')).toEqual([expect.objectContaining({ content: QUEUED, status: 'pending' })]);
  });

  step('A reloads while the server is still down: the pending message is still shown', async () => {
    await pageA.reload();
    await bubble(pageA, QUEUED).waitFor();
    expect(await status(pageA, QUEUED)).toBe('pending');
    expect(await bubble(pageA, QUEUED).count()).toBe(1);
    await pageA.getByRole('heading', { name: 'Ben Franklin' }).waitFor(); // remembered on this device
    await pageA.getByText('Unsent messages will be sent once the server is reachable.', { exact: false }).waitFor();
    await visibleConnection(pageA)
      .filter({ hasText: /Connecting…|Reconnecting…/ })
      .waitFor();
    await shot(pageA, 'outbox-desktop-pending-after-reload');
    await pageA.setViewportSize(PHONE);
    await bubble(pageA, QUEUED).scrollIntoViewIfNeeded();
    await shot(pageA, 'outbox-phone-pending-after-reload');
    await pageA.setViewportSize(DESKTOP);
  });

  step('the server comes back: the message is delivered, B sees it exactly once, the history has it once', async () => {
    await server.relaunch();
    await visibleConnection(pageA).filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });
    await waitFor(
      'A’s queued message to be acknowledged',
      async () => ['sent', 'read'].includes((await status(pageA, QUEUED)) ?? ''),
      30_000,
    );
    await bubble(pageB, QUEUED).waitFor({ timeout: 30_000 });
    // What A's page could not load while offline loads now: the earlier
    // messages, and the people list (which names the peer in the header).
    await bubble(pageA, 'Hi Ben').waitFor();
    await pageA.getByRole('heading', { name: 'Ben Franklin' }).waitFor();

    await sleep(2000); // time for a duplicate to show up, if there were one
    expect(await texts(pageB)).toEqual(['Hi Ben', QUEUED]);
    expect(await texts(pageA)).toEqual(['Hi Ben', QUEUED]);
    const history = await conversation(server.url, ada.token, ben.user.id);
    expect(history.map((m) => m.content)).toEqual(['Hi Ben', QUEUED]);
    const stored = await pageA.evaluate((id) => window.localStorage.getItem(`parley.outbox.${id}`), ada.user.id);
    expect(stored).toBeNull();
    await shot(pageA, 'outbox-desktop-delivered');
  });

  step(
    'B stays open through a restart; messages A sends meanwhile arrive once each, in order, without a reload',
    async () => {
      await visibleConnection(pageB).filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });
      blockB = true;
      await server.halt();
      await visibleConnection(pageB).filter({ hasText: 'Reconnecting…' }).waitFor();
      await server.relaunch();

      // B is still disconnected while A sends through the API.
      for (const content of DURING_RESTART) {
        await gql(
          server.url,
          'mutation ($r: ID!, $c: String!) { sendMessage(recipientId: $r, content: $c) { id } }',
          { r: ben.user.id, c: content },
          ada.token,
        );
      }
      expect(await visibleConnection(pageB).getAttribute('data-status')).not.toBe('connected');
      expect(await bubbles(pageB).filter({ hasText: 'During the restart' }).count()).toBe(0);
      await shot(pageB, 'outbox-phone-b-disconnected');

      const unblockedAt = Date.now();
      blockB = false;
      await visibleConnection(pageB).filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });
      await bubble(pageB, DURING_RESTART.at(-1)!).waitFor({ timeout: 15_000 });
      await sleep(1500);
      expect(await texts(pageB)).toEqual(['Hi Ben', QUEUED, ...DURING_RESTART]);
      expect(await pageB.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
      await shot(pageB, 'outbox-phone-b-caught-up');

      // It caught up by resubscribing after a cursor, not by chance: the
      // conversation's message subscription went out again with `after`.
      const resubscribed = framesFromB.filter(
        (f) =>
          f.at >= unblockedAt &&
          f.frame.type === 'subscribe' &&
          f.frame.payload?.operationName === 'MessageAdded' &&
          f.frame.payload?.variables?.withUserId === ada.user.id,
      );
      expect(resubscribed.length).toBeGreaterThanOrEqual(1);
      expect(resubscribed.every((f) => typeof f.frame.payload?.variables?.after === 'string')).toBe(true);

      // Live messages keep flowing after the catch-up.
      await composer(pageA).fill('And now live again');
      await composer(pageA).press('Enter');
      await bubble(pageB, 'And now live again').waitFor({ timeout: 10_000 });
      expect(await bubble(pageB, 'And now live again').count()).toBe(1);
    },
  );

  step('a send the server rejects is marked failed with the reason, and can be discarded', async () => {
    const nobody = '00000000-0000-4000-8000-000000000000';
    // The composer refuses a conversation with nobody, so the message was queued before (e.g. to an account
    // removed since): it waits in the outbox.
    await pageA.evaluate(
      ({ key, recipientId }) => {
        const entries = JSON.parse(window.localStorage.getItem(key) ?? '[]') as unknown[];
        entries.push({
          clientMessageId: crypto.randomUUID(),
          recipientId,
          content: 'To nobody',
          createdAt: new Date().toISOString(),
          attempts: 0,
          status: 'pending',
        });
        window.localStorage.setItem(key, JSON.stringify(entries));
      },
      { key: `parley.outbox.${ada.user.id}`, recipientId: nobody },
    );
    await pageA.goto(`${appHost.url}/#/chat/${nobody}`);
    await pageA.reload();
    await waitFor('the send to be rejected', async () => (await status(pageA, 'To nobody')) === 'failed');
    const text = (await bubble(pageA, 'To nobody').innerText()).replace(/\s+/g, ' ');
    // Status, then the server's reason, then the actions.
    expect(text).toMatch(/Not sent \S.* Retry Discard$/);
    await pageA.getByRole('button', { name: 'Retry sending message' }).waitFor();
    expect(await composer(pageA).isDisabled()).toBe(true);
    // No promise of a later delivery for a rejected message.
    expect(await pageA.getByRole('alert').first().innerText()).not.toMatch(/will be sent/);
    await shot(pageA, 'outbox-desktop-rejected');
    await pageA.getByRole('button', { name: 'Discard message' }).click();
    await waitFor('the rejected send to be gone', async () => (await bubble(pageA, 'To nobody').count()) === 0);
    const stored = await pageA.evaluate((id) => window.localStorage.getItem(`parley.outbox.${id}`), ada.user.id);
    expect(stored).toBeNull();
  });

  step('no uncaught errors in either page', async () => {
    const unexpected = pageErrors.filter(
      (e) => !/ERR_CONNECTION_REFUSED|WebSocket connection|Failed to load resource/.test(e),
    );
    expect(unexpected).toEqual([]);
  });
});
