/**
 * The inbox in a real browser against the real server: Alice on a desktop, Bob
 * on a desktop and Bob on a phone (two sessions of one user).
 *  - Home is the inbox: conversations by latest activity, previews ("You: …"),
 *    unread badges, the total in the tab title.
 *  - Alice writes while Bob has another conversation open: her conversation
 *    goes to the top of both of Bob's inboxes with its badge, live.
 *  - Bob opens it on the phone: Alice sees ✓✓ live, and the badge clears on
 *    Bob's desktop too.
 *  - "typing…" in the conversation header and the inbox row while the peer
 *    types; gone when they stop, send, or disconnect.
 *  - A message while Bob's desktop tab is hidden: a desktop notification
 *    (permission asked from the click on the bell, never on load).
 *  - Bob's desktop loses its socket while things happen: on reconnect the inbox
 *    is fetched again, once, and badges, order and ✓✓ end right.
 * Screenshots: test-results/e2e/inbox-*.png
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page, WebSocketRoute } from 'playwright-core';
import { launchChromium } from './support/browser';
import { gql, sendMessage, signUp } from './support/graphqlApi';
import { RESULTS_DIR } from './support/paths';
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

type Account = { token: string; user: { id: string } };

let server: RunningServer;
let browser: Browser;
let aliceDesk: Page;
let bobDesk: Page;
let bobPhone: Page;
let alice: Account;
let bob: Account;
let carol: Account;
let dan: Account;
let erin: Account;
const pageErrors: string[] = [];
const step = storySteps(
  failureReport(
    'inbox',
    () => ({ 'alice-desktop': aliceDesk, 'bob-desktop': bobDesk, 'bob-phone': bobPhone }),
    () => server?.output() ?? '',
  ),
);

/** Bob's desktop: while true its WebSocket connections are refused; the open ones, to cut. */
let cutBobDesk = false;
type SocketPair = { page: WebSocketRoute; server: WebSocketRoute };
const bobDeskSockets = new Set<SocketPair>();
/** Inbox queries Bob's desktop sent (over HTTP or the socket), with when. */
const bobDeskInboxFetches: number[] = [];
/** Bob's desktop: the typing subscriptions it sent, by socket. */
const bobDeskTypingSubscribes: Array<{ socket: SocketPair; operationName?: string }> = [];

const inboxRows = (page: Page) => page.getByRole('list', { name: 'Conversations' }).getByTestId('inbox-row');
const inboxRow = (page: Page, name: string): Locator =>
  page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: new RegExp(`^${name}\\b`) });
const inboxOrder = (page: Page) => inboxRows(page).locator('.inbox-row__name').allTextContents();
const badge = (page: Page, name: string) => inboxRow(page, name).locator('.unread-badge');
const headerTyping = (page: Page) => page.locator('.conversation__header').getByText('typing…');
const status = (page: Page, text: string) => bubble(page, text).getAttribute('data-status');

async function expectOrder(page: Page, names: string[]) {
  await waitFor(`${names.join(', ')} in this order`, async () => {
    const order = await inboxOrder(page);
    return JSON.stringify(order) === JSON.stringify(names);
  });
}

async function expectBadge(page: Page, name: string, count: number | null) {
  if (count === null) {
    await waitFor(`no badge on ${name}`, async () => (await badge(page, name).count()) === 0);
    return;
  }
  await inboxRow(page, name)
    .getByRole('img', { name: `${count} unread` })
    .waitFor();
}

async function expectTitle(page: Page, title: string) {
  await waitFor(`the title “${title}”`, async () => (await page.title()) === title);
}

async function newPage(context: BrowserContext, who: string): Promise<Page> {
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  watchErrors(page, who, pageErrors);
  return page;
}

/** Desktop notifications as the page sees them: a recording stand-in for the browser's (headless shows none). */
function recordNotifications() {
  const w = window as unknown as {
    Notification: unknown;
    __notifications: Array<{ title: string; body?: string; tag?: string }>;
    __permissionRequests: number;
  };
  w.__notifications = [];
  w.__permissionRequests = 0;
  class RecordedNotification {
    static permission: NotificationPermission = 'default';
    static async requestPermission(): Promise<NotificationPermission> {
      w.__permissionRequests += 1;
      RecordedNotification.permission = 'granted';
      return 'granted';
    }
    onclick: (() => void) | null = null;
    onclose: (() => void) | null = null;
    constructor(title: string, options?: NotificationOptions) {
      w.__notifications.push({ title, body: options?.body, tag: options?.tag });
    }
    close() {
      this.onclose?.();
    }
  }
  w.Notification = RecordedNotification;
}

async function setHidden(page: Page, hidden: boolean) {
  await page.evaluate((h) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

beforeAll(async () => {
  mkdirSync(RESULTS_DIR, { recursive: true });
  server = await startServer();
  browser = await launchChromium();
  [alice, bob, carol, dan, erin] = await Promise.all([
    signUp(server.url, 'alice', PASSWORD, 'Alice Archer'),
    signUp(server.url, 'bob', PASSWORD, 'Bob Baker'),
    signUp(server.url, 'carol', PASSWORD, 'Carol Chen'),
    signUp(server.url, 'dan', PASSWORD, 'Dan Dunn'),
    signUp(server.url, 'erin', PASSWORD, 'Erin Evans'),
  ]);

  aliceDesk = await newPage(await browser.newContext({ viewport: DESKTOP }), 'Alice desktop');
  const bobDeskContext = await browser.newContext({ viewport: DESKTOP });
  await bobDeskContext.addInitScript(recordNotifications);
  bobDesk = await newPage(bobDeskContext, 'Bob desktop');
  bobPhone = await newPage(
    await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }),
    'Bob phone',
  );

  await bobDesk.routeWebSocket(/\/graphql$/, (ws) => {
    if (cutBobDesk) {
      void ws.close({ code: 1012, reason: 'test: network lost' });
      return;
    }
    const toServer = ws.connectToServer();
    const pair = { page: ws, server: toServer };
    bobDeskSockets.add(pair);
    ws.onMessage((message) => {
      const frame = JSON.parse(String(message)) as { type: string; payload?: { operationName?: string } };
      if (frame.type === 'subscribe' && frame.payload?.operationName === 'Inbox') bobDeskInboxFetches.push(Date.now());
      // The typing subscriptions, whatever they are called (this app's one, or one per row as it once was).
      if (frame.type === 'subscribe' && /^(Inbox|Conversation)?Typing$/.test(frame.payload?.operationName ?? ''))
        bobDeskTypingSubscribes.push({ socket: pair, operationName: frame.payload?.operationName });
      toServer.send(message);
    });
    toServer.onMessage((message) => ws.send(message));
    ws.onClose(() => bobDeskSockets.delete(pair));
  });
  bobDesk.on('request', (request) => {
    if (
      request.method() === 'POST' &&
      request.url().endsWith('/graphql') &&
      /"operationName":"Inbox"/.test(request.postData() ?? '')
    )
      bobDeskInboxFetches.push(Date.now());
  });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (pageErrors.length)
    console.warn(
      'Browser console errors (connection refusals are expected during the outage):\n' + pageErrors.join('\n'),
    );
});

describe('the inbox in a real browser: Alice on a desktop, Bob on a desktop and a phone', () => {
  step('Bob’s inbox: conversations by latest activity, previews, badges and the total in the title', async () => {
    await sendMessage(server.url, erin.token, bob.user.id, 'Long time no see!');
    await sendMessage(server.url, bob.token, erin.user.id, 'Indeed — coffee soon?');
    await sendMessage(server.url, carol.token, bob.user.id, 'Did you see the match?');
    await sendMessage(server.url, dan.token, bob.user.id, 'Draft is in your inbox');
    await sendMessage(server.url, bob.token, dan.user.id, 'Thanks, reading it now');
    // Bob has read Erin's and Dan's.
    for (const sender of [erin, dan])
      await gql(
        server.url,
        'mutation ($s: ID!) { markRead(senderId: $s) { count } }',
        { s: sender.user.id },
        bob.token,
      );

    await signInWithToken(bobDesk, server.url, bob.token);
    await signInWithToken(bobPhone, server.url, bob.token);
    await signInWithToken(aliceDesk, server.url, alice.token);
    for (const page of [bobDesk, bobPhone]) {
      await expectOrder(page, ['Dan Dunn', 'Carol Chen', 'Erin Evans']);
      await expectBadge(page, 'Carol Chen', 1);
      await expectBadge(page, 'Dan Dunn', null);
      expect(await inboxRow(page, 'Dan Dunn').innerText()).toContain('You: Thanks, reading it now');
      expect(await inboxRow(page, 'Carol Chen').innerText()).toContain('Did you see the match?');
      await expectTitle(page, '(1) parley');
    }
    // Alice has nobody yet: the way to someone new.
    await aliceDesk.getByText('No conversations yet — find someone to talk to').waitFor();
    await shot(aliceDesk, 'inbox-desktop-alice-empty');
    await shot(bobPhone, 'inbox-phone-bob-home');
  });

  step('the desktop bell asks for notification permission only when clicked', async () => {
    expect(
      await bobDesk.evaluate(() => (window as unknown as { __permissionRequests: number }).__permissionRequests),
    ).toBe(0);
    const bell = bobDesk.getByRole('button', { name: 'Desktop notifications' });
    expect(await bell.getAttribute('aria-pressed')).toBe('false');
    await bell.click();
    await waitFor('notifications on', async () => (await bell.getAttribute('aria-pressed')) === 'true');
    expect(
      await bobDesk.evaluate(() => (window as unknown as { __permissionRequests: number }).__permissionRequests),
    ).toBe(1);
  });

  step(
    'Alice writes while Bob has another conversation open: she goes to the top of both his inboxes, badge and title live',
    async () => {
      await inboxRow(bobDesk, 'Dan Dunn').click();
      await bubble(bobDesk, 'Thanks, reading it now').waitFor();
      await bobDesk.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

      await aliceDesk.getByRole('tab', { name: 'Find people' }).click();
      await aliceDesk.getByLabel('Search people').fill('bob');
      await aliceDesk.getByRole('button', { name: 'Open conversation with Bob Baker' }).click();
      await aliceDesk.getByText('No messages yet').waitFor();
      await composer(aliceDesk).fill('Hi Bob! Are you around?');
      await composer(aliceDesk).press('Enter');
      await composer(aliceDesk).fill('Lunch at the usual place?');
      await composer(aliceDesk).press('Enter');

      for (const page of [bobDesk, bobPhone]) {
        await expectOrder(page, ['Alice Archer', 'Dan Dunn', 'Carol Chen', 'Erin Evans']);
        await expectBadge(page, 'Alice Archer', 2);
        await waitFor('the preview of Alice’s last message', async () =>
          (await inboxRow(page, 'Alice Archer').innerText()).includes('Lunch at the usual place?'),
        );
        await expectTitle(page, '(3) parley');
      }
      expect(await bobDesk.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
      // Alice's own inbox: Bob, new, at the top, with her own message as the preview.
      await expectOrder(aliceDesk, ['Bob Baker']);
      expect(await inboxRow(aliceDesk, 'Bob Baker').innerText()).toContain('You: Lunch at the usual place?');
      for (const text of ['Hi Bob! Are you around?', 'Lunch at the usual place?'])
        await waitFor(`“${text}” sent, not read`, async () => (await status(aliceDesk, text)) === 'sent');
      await shot(bobPhone, 'inbox-phone-bob-badges');
    },
  );

  step('Bob opens it on the phone: ✓✓ on Alice’s side live, and the badge clears on Bob’s desktop', async () => {
    await inboxRow(bobPhone, 'Alice Archer').click();
    await bubble(bobPhone, 'Lunch at the usual place?').waitFor();
    for (const text of ['Hi Bob! Are you around?', 'Lunch at the usual place?'])
      await waitFor(`✓✓ on “${text}”`, async () => (await status(aliceDesk, text)) === 'read');
    await expectBadge(bobDesk, 'Alice Archer', null);
    await expectTitle(bobDesk, '(1) parley');
    await expectTitle(bobPhone, '(1) parley');
    await shot(aliceDesk, 'inbox-desktop-alice-read');
  });

  step(
    '“typing…” shows in the header and the inbox row while the peer types, and goes away when they stop or send',
    async () => {
      await composer(bobPhone).fill('Sure');
      await headerTyping(aliceDesk).waitFor();
      await inboxRow(aliceDesk, 'Bob Baker').getByText('typing…').waitFor();
      await shot(aliceDesk, 'inbox-desktop-alice-typing');
      await composer(bobPhone).fill(''); // stopped: emptied the draft
      await headerTyping(aliceDesk).waitFor({ state: 'detached', timeout: 5_000 });
      await inboxRow(aliceDesk, 'Bob Baker').getByText('typing…').waitFor({ state: 'detached' });

      await composer(bobPhone).fill('Sure, 12:30 works!');
      await headerTyping(aliceDesk).waitFor();
      await composer(bobPhone).press('Enter');
      await bubble(aliceDesk, 'Sure, 12:30 works!').waitFor();
      await headerTyping(aliceDesk).waitFor({ state: 'detached', timeout: 5_000 });
      expect(await inboxRow(aliceDesk, 'Bob Baker').innerText()).toContain('Sure, 12:30 works!');

      // Alice types: Bob's desktop (another conversation open) shows it in her inbox row.
      await composer(aliceDesk).fill('Great, see you');
      await inboxRow(bobDesk, 'Alice Archer').getByText('typing…').waitFor();
      await bobDesk.mouse.move(0, 0);
      await shot(bobDesk, 'inbox-desktop-bob-typing');
      await composer(aliceDesk).fill('');
      await inboxRow(bobDesk, 'Alice Archer').getByText('typing…').waitFor({ state: 'detached', timeout: 5_000 });

      // However many rows the inbox has, the tab follows typing with one subscription (no withUserId) per socket.
      const onOpenSockets = bobDeskTypingSubscribes.filter((s) => bobDeskSockets.has(s.socket));
      expect(onOpenSockets.map((s) => s.operationName)).toEqual(['Typing']);
      expect(await bobDesk.getByTestId('inbox-row').count()).toBeGreaterThan(1);
    },
  );

  step('“typing…” goes away when the typist disconnects', async () => {
    await composer(aliceDesk).fill('About to lose my connection');
    await headerTyping(bobPhone).waitFor();
    const closing = aliceDesk.close(); // the browser tab goes: no "stopped" is ever sent
    await closing;
    // The server lets an unrefreshed "typing" lapse (~6 s).
    await headerTyping(bobPhone).waitFor({ state: 'detached', timeout: 12_000 });
    aliceDesk = await newPage(await browser.newContext({ viewport: DESKTOP }), 'Alice desktop');
    await signInWithToken(aliceDesk, server.url, alice.token);
    await expectOrder(aliceDesk, ['Bob Baker']);
  });

  step('a message while Bob’s desktop tab is hidden shows a desktop notification', async () => {
    await bobPhone.getByRole('button', { name: 'Back to conversations' }).click();
    await setHidden(bobDesk, true);
    await sendMessage(server.url, carol.token, bob.user.id, 'Call me when you can, it is about Friday');
    await waitFor(
      'a notification on Bob’s desktop',
      async () =>
        (await bobDesk.evaluate(() => (window as unknown as { __notifications: unknown[] }).__notifications.length)) >
        0,
    );
    const notifications = await bobDesk.evaluate(
      () => (window as unknown as { __notifications: unknown[] }).__notifications,
    );
    expect(notifications).toEqual([
      { title: 'Carol Chen', body: 'Call me when you can, it is about Friday', tag: expect.any(String) },
    ]);
    // Only the hidden tab: none on the visible phone (no Notification stand-in there either way).
    await setHidden(bobDesk, false);
    await expectOrder(bobPhone, ['Carol Chen', 'Alice Archer', 'Dan Dunn', 'Erin Evans']);
    await expectBadge(bobPhone, 'Carol Chen', 2);
    await expectTitle(bobDesk, '(2) parley');
  });

  step(
    'Bob’s desktop loses its socket meanwhile: on reconnect the inbox is fetched once, and badges, order and ✓✓ end right',
    async () => {
      // Bob's desktop has Alice's conversation open and sends; Alice is not looking (at home).
      await inboxRow(bobDesk, 'Alice Archer').click();
      await composer(bobDesk).fill('Running 5 minutes late');
      await composer(bobDesk).press('Enter');
      await waitFor('Bob’s message stored', async () => (await status(bobDesk, 'Running 5 minutes late')) === 'sent');
      await expectTitle(bobDesk, '(2) parley');

      cutBobDesk = true;
      for (const pair of [...bobDeskSockets]) {
        await pair.server.close({ code: 1001, reason: 'test: network lost' }).catch(() => undefined);
        await pair.page.close({ code: 1012, reason: 'test: network lost' }).catch(() => undefined);
      }
      await visibleConnection(bobDesk).filter({ hasText: 'Reconnecting…' }).waitFor();

      // While it is away: Alice reads Bob's message, Erin writes twice, Bob reads Carol's on the phone.
      await inboxRow(aliceDesk, 'Bob Baker').click();
      await bubble(aliceDesk, 'Running 5 minutes late').waitFor();
      await sendMessage(server.url, erin.token, bob.user.id, 'Coffee tomorrow then?');
      await sendMessage(server.url, erin.token, bob.user.id, 'I found a new place');
      await inboxRow(bobPhone, 'Carol Chen').click();
      await bubble(bobPhone, 'Call me when you can, it is about Friday').waitFor();
      await bobPhone.getByRole('button', { name: 'Back to conversations' }).click();
      await expectOrder(bobPhone, ['Erin Evans', 'Alice Archer', 'Carol Chen', 'Dan Dunn']);
      await expectTitle(bobPhone, '(2) parley');
      // Bob's desktop still shows what it knew.
      expect(await status(bobDesk, 'Running 5 minutes late')).toBe('sent');
      expect(await inboxOrder(bobDesk)).toEqual(['Alice Archer', 'Carol Chen', 'Dan Dunn', 'Erin Evans']);
      await shot(bobDesk, 'inbox-desktop-bob-disconnected');

      const reconnectAt = Date.now();
      cutBobDesk = false;
      await visibleConnection(bobDesk).filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });
      await expectOrder(bobDesk, ['Erin Evans', 'Alice Archer', 'Carol Chen', 'Dan Dunn']);
      await expectBadge(bobDesk, 'Erin Evans', 2);
      await expectBadge(bobDesk, 'Carol Chen', null);
      await expectTitle(bobDesk, '(2) parley');
      await waitFor(
        '✓✓ on Bob’s message read while he was away',
        async () => (await status(bobDesk, 'Running 5 minutes late')) === 'read',
      );
      await new Promise((r) => setTimeout(r, 1500)); // time for a second fetch, if there were one
      expect(bobDeskInboxFetches.filter((t) => t >= reconnectAt)).toHaveLength(1);
    },
  );

  step('screenshots of the inbox', async () => {
    // Bob's desktop has Alice's conversation open (✓✓ on his messages) while she types; Erin's are unread.
    await expectOrder(bobDesk, ['Erin Evans', 'Alice Archer', 'Carol Chen', 'Dan Dunn']);
    await composer(aliceDesk).fill('On my way');
    await headerTyping(bobDesk).waitFor();
    await inboxRow(bobDesk, 'Alice Archer').getByText('typing…').waitFor();
    await bobDesk.mouse.move(0, 0);
    await shot(bobDesk, 'inbox-desktop-bob'); // docs/screenshot-inbox.png
    await bobPhone.mouse.move(0, 0);
    await shot(bobPhone, 'inbox-phone-bob'); // docs/screenshot-phone.png
    // The same in the dark theme (it follows prefers-color-scheme): docs/screenshot-inbox-dark.png and -phone-dark.
    for (const page of [bobDesk, bobPhone]) await page.emulateMedia({ colorScheme: 'dark' });
    await shot(bobDesk, 'inbox-desktop-bob-dark');
    await shot(bobPhone, 'inbox-phone-bob-dark');
    for (const page of [bobDesk, bobPhone]) await page.emulateMedia({ colorScheme: 'light' });
    await composer(aliceDesk).fill('');
  });

  step('no uncaught errors in any page', async () => {
    const unexpected = pageErrors.filter(
      (e) => !/ERR_CONNECTION_REFUSED|WebSocket connection|Failed to load resource|network connection was lost/.test(e),
    );
    expect(unexpected).toEqual([]);
  });
});
