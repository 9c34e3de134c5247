/**
 * Web Push (issue #21) in a real browser against the real server on PostgreSQL (TEST_DATABASE_URL), which sends
 * real Web Push requests (RFC 8291 encrypted, VAPID signed) to a push service on loopback. Headless Chromium here reaches no push service, so the
 * test stands in for it (support/pushService.ts): the page's pushManager hands out a subscription whose endpoint is
 * the test's receiver and whose keys the test holds; what the server sends there is decrypted and delivered to the
 * app's real service worker with CDP (ServiceWorker.deliverPushMessage).
 *  - Notifications are granted to the browser context; "Enable notifications" subscribes with the server's key and
 *    registers the subscription: a message from Ben reaches the receiver.
 *  - Delivered to the service worker, it shows a notification (registration.getNotifications()): Ben's name, the
 *    text, tagged per conversation; a newer message replaces it.
 *  - A click on it (notificationclick, dispatched inside the service worker: headless Chromium has no way to click
 *    a notification) opens the conversation in the page and closes the notification.
 *  - With that conversation open in the focused window, a push shows nothing.
 *  - "Show message text in notifications" off: "New message from Carol".
 *  - Mute (the conversation header; the inbox row says "Muted"): the server sends no push for Ben's messages, while
 *    Carol's still arrive.
 *  - "Turn off notifications" unregisters: the server sends nothing more.
 *  - Logging out ends the subscription (the browser's, and the server's with the session).
 * Screenshots: test-results/e2e/push-*.png
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, CDPSession, Page, Worker } from 'playwright-core';
import { seriousViolations } from './support/axe';
import { launchChromium } from './support/browser';
import { gql, sendMessage, signUp } from './support/graphqlApi';
import { pushManagerStandIn, startPushService, type PushService } from './support/pushService';
import { RESULTS_DIR } from './support/paths';
import { startServer, type RunningServer } from './support/server';
import {
  conversationShown,
  DESKTOP,
  failureReport,
  PASSWORD,
  shot,
  signInWithToken,
  storySteps,
  waitFor,
  watchErrors,
} from './support/story';

type Account = { token: string; user: { id: string } };
interface Shown {
  title: string;
  body: string;
  tag: string;
  data: { peerId?: string } | null;
}

let server: RunningServer;
let push: PushService;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let cdp: CDPSession;
let ada: Account;
let ben: Account;
let carol: Account;
const pageErrors: string[] = [];
const step = storySteps(
  failureReport(
    'push',
    () => ({ ada: page }),
    () => `${server?.output() ?? ''}\npush service problems: ${push?.problems.join('\n')}`,
  ),
);

/** The service worker's registration id, for CDP. */
let registrationId = '';

const settingsButton = () => page.getByRole('button', { name: 'Notification settings' });
/** The push settings, their panel opened if it was not. */
async function openSettings() {
  if ((await settingsButton().getAttribute('aria-expanded')) !== 'true') await settingsButton().click();
  return page.getByRole('region', { name: 'Notifications' });
}
const shownNotifications = () =>
  page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return (await registration.getNotifications()).map((n) => ({
      title: n.title,
      body: n.body,
      tag: n.tag,
      data: n.data as { peerId?: string } | null,
    }));
  }) as Promise<Shown[]>;

/** The next push the server sends to the receiver after `count` received, decrypted and parsed. */
async function nextPush(count: number, what: string): Promise<Record<string, any>> {
  await waitFor(what, async () => push.received.length > count, 30_000);
  return JSON.parse(push.received[count]!.text) as Record<string, any>;
}

/** Hands a payload the server sent to the app's service worker, as the browser's push service would. */
async function deliver(payload: string) {
  await cdp.send('ServiceWorker.deliverPushMessage', {
    origin: new URL(server.url).origin,
    registrationId,
    data: payload,
  });
}

async function serviceWorker(): Promise<Worker> {
  const [worker] = context.serviceWorkers();
  return worker ?? (await context.waitForEvent('serviceworker'));
}

/** Push is off on the embedded database: this story runs on PostgreSQL only (scripts/test.mjs lists it as not run). */
const POSTGRES = process.env.TEST_DATABASE_URL;

(POSTGRES ? describe : describe.skip)('Web Push (on PostgreSQL: TEST_DATABASE_URL)', () => {
  beforeAll(async () => {
    mkdirSync(RESULTS_DIR, { recursive: true });
    push = await startPushService();
    server = await startServer({ postgres: POSTGRES }); // push needs PostgreSQL (its queue)
    browser = await launchChromium();
    ada = await signUp(server.url, 'ada', PASSWORD, 'Ada Lovelace');
    ben = await signUp(server.url, 'ben', PASSWORD, 'Ben Okafor');
    carol = await signUp(server.url, 'carol', PASSWORD, 'Carol Chen');
    await sendMessage(server.url, ben.token, ada.user.id, 'Hello Ada');
    await sendMessage(server.url, carol.token, ada.user.id, 'Hi from Carol');
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await push?.stop();
    await server?.stop();
  });

  step(
    'Ada enables notifications: asked from her click, subscribed with the server’s key, registered with the server',
    async () => {
      context = await browser.newContext({ viewport: DESKTOP });
      context.setDefaultTimeout(15_000);
      await context.grantPermissions(['notifications'], { origin: server.url });
      await context.addInitScript(pushManagerStandIn(push.subscription));
      page = await context.newPage();
      watchErrors(page, 'Ada', pageErrors);
      await signInWithToken(page, server.url, ada.token);
      await page.evaluate(() => navigator.serviceWorker.ready);
      await waitFor('the service worker to control the page', () =>
        page.evaluate(() => navigator.serviceWorker.controller !== null),
      );

      cdp = await context.newCDPSession(page);
      const registered = new Promise<string>((resolve) =>
        cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
          const mine = registrations.find((r) => !r.isDeleted && r.scopeURL.startsWith(server.url));
          if (mine) resolve(mine.registrationId);
        }),
      );
      await cdp.send('ServiceWorker.enable');
      registrationId = await registered;

      const settings = await openSettings();
      const enable = settings.getByRole('button', { name: 'Enable notifications' });
      await waitFor(
        'the settings to know this device',
        async () => (await enable.getAttribute('aria-disabled')) === 'false',
      );
      expect(await page.evaluate(() => (window as any).__pushSubscribeKeys)).toEqual([]); // not on load
      await enable.click();
      await settings.getByText('On for this device').waitFor();
      await shot(page, 'push-enabled');
      expect(await seriousViolations(page)).toEqual([]); // the settings open, as axe sees them
      await page.keyboard.press('Escape'); // the panel closes
      await settings.waitFor({ state: 'hidden' });

      const { pushPublicKey } = await gql<{ pushPublicKey: string }>(server.url, '{ pushPublicKey }', {}, ada.token);
      expect(await page.evaluate(() => (window as any).__pushSubscribeKeys)).toEqual([pushPublicKey]);
    },
    60_000,
  );

  step(
    'a message from Ben reaches the push service, and the service worker shows it, tagged by conversation',
    async () => {
      await sendMessage(server.url, ben.token, ada.user.id, 'Are you coming tonight?');
      const payload = await nextPush(0, 'the push for Ben’s message');
      expect(payload).toMatchObject({ conversationWithUserId: ben.user.id, body: 'Are you coming tonight?' });
      expect(push.received[0]!.headers.topic).toBeTruthy();

      await deliver(push.received[0]!.text);
      await waitFor('a notification', async () => (await shownNotifications()).length === 1);
      const [shown] = await shownNotifications();
      expect(shown).toMatchObject({
        title: 'Ben Okafor',
        body: 'Are you coming tonight?',
        tag: `parley-chat-${ben.user.id}`,
      });

      // A newer message of the same conversation replaces it.
      await sendMessage(server.url, ben.token, ada.user.id, 'The table is booked for 8');
      await deliver(JSON.stringify(await nextPush(1, 'the push for Ben’s second message')));
      await waitFor(
        'the newer text',
        async () => (await shownNotifications())[0]?.body === 'The table is booked for 8',
      );
      expect(await shownNotifications()).toHaveLength(1);
    },
    60_000,
  );

  step('a click on the notification opens Ben’s conversation and closes it', async () => {
    const worker = await serviceWorker();
    await worker.evaluate(async (tag) => {
      const sw = self as any;
      const [notification] = await sw.registration.getNotifications({ tag });
      sw.dispatchEvent(new sw.NotificationEvent('notificationclick', { notification }));
    }, `parley-chat-${ben.user.id}`);
    await page.waitForURL(`**/#/chat/${ben.user.id}`);
    await conversationShown(page);
    await page.getByRole('heading', { name: 'Ben Okafor' }).waitFor();
    await waitFor('the notification to close', async () => (await shownNotifications()).length === 0);
    await shot(page, 'push-opened');
  });

  step('with Ben’s conversation open in the focused window, his next push shows nothing', async () => {
    expect(await page.evaluate(() => document.visibilityState === 'visible' && document.hasFocus())).toBe(true);
    await sendMessage(server.url, ben.token, ada.user.id, 'See you there');
    await deliver(JSON.stringify(await nextPush(2, 'the push for “See you there”')));
    // The same push for Carol's conversation shows: the worker got this far with Ben's and left it out.
    await sendMessage(server.url, carol.token, ada.user.id, 'Lunch tomorrow?');
    await deliver(JSON.stringify(await nextPush(3, 'the push for Carol’s message')));
    await waitFor('Carol’s notification', async () => (await shownNotifications()).length > 0);
    expect((await shownNotifications()).map((n) => n.title)).toEqual(['Carol Chen']);
  });

  step('“Show message text in notifications” off: the notification names the sender only', async () => {
    const settings = await openSettings();
    await settings.getByRole('checkbox', { name: 'Show message text in notifications' }).uncheck();
    await sendMessage(server.url, carol.token, ada.user.id, 'A secret plan');
    await deliver(JSON.stringify(await nextPush(4, 'the push for “A secret plan”')));
    await waitFor('the notification without text', async () =>
      (await shownNotifications()).some((n) => n.body === 'New message from Carol Chen'),
    );
    expect((await shownNotifications()).map((n) => n.body)).toEqual(['New message from Carol Chen']);
    await page.keyboard.press('Escape');
  });

  step(
    'Mute in Ben’s conversation: his messages send no push, Carol’s still do',
    async () => {
      const mute = page.locator('.conversation__header').getByRole('button', { name: 'Mute notifications' });
      await expect(mute.getAttribute('aria-pressed')).resolves.toBe('false');
      await mute.click();
      await waitFor('muted', async () => (await mute.getAttribute('aria-pressed')) === 'true');
      await page
        .getByRole('list', { name: 'Conversations' })
        .getByRole('button', { name: /^Ben Okafor\b/ })
        .getByRole('img', { name: 'Muted' })
        .waitFor();
      // The server has it.
      const { conversation } = await gql<{ conversation: { muted: boolean } }>(
        server.url,
        'query ($w: ID!) { conversation(withUserId: $w) { muted } }',
        { w: ben.user.id },
        ada.token,
      );
      expect(conversation.muted).toBe(true);
      await shot(page, 'push-muted');

      const before = push.received.length;
      await sendMessage(server.url, ben.token, ada.user.id, 'Muted message one');
      await sendMessage(server.url, carol.token, ada.user.id, 'Not muted');
      await nextPush(before, 'Carol’s push');
      await new Promise((r) => setTimeout(r, 3_000)); // time for a push of Ben's, had one been queued
      const sentSince = push.received.slice(before).map((p) => JSON.parse(p.text) as Record<string, any>);
      expect(sentSince.map((p) => p.conversationWithUserId)).toEqual([carol.user.id]);
    },
    60_000,
  );

  step(
    '“Turn off notifications” unregisters: nothing more is sent',
    async () => {
      const settings = await openSettings();
      await settings.getByRole('button', { name: 'Turn off notifications' }).click();
      await settings.getByRole('button', { name: 'Enable notifications' }).waitFor();
      const before = push.received.length;
      await sendMessage(server.url, carol.token, ada.user.id, 'Anyone there?');
      await new Promise((r) => setTimeout(r, 4_000));
      expect(push.received.length).toBe(before);
    },
    30_000,
  );

  step(
    'logging out ends the subscription: here with the push service, and on the server with the session',
    async () => {
      const settings = await openSettings();
      const enable = settings.getByRole('button', { name: 'Enable notifications' });
      await enable.click();
      await settings.getByText('On for this device').waitFor();
      const before = push.received.length;
      await sendMessage(server.url, carol.token, ada.user.id, 'Still there?');
      await nextPush(before, 'a push once on again'); // registered again

      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Log out', exact: true }).click();
      await page.getByRole('tab', { name: 'Log in' }).waitFor();
      await waitFor('the browser’s subscription to end', () =>
        page.evaluate(() => window.localStorage.getItem('__pushStandIn') === null),
      );
      await sendMessage(server.url, carol.token, ada.user.id, 'After the log-out');
      await new Promise((r) => setTimeout(r, 4_000));
      expect(push.received.length).toBe(before + 1);
      expect(push.problems).toEqual([]);
      expect(pageErrors).toEqual([]);
    },
    45_000,
  );
});
