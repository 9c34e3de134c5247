/**
 * Two people, two browser contexts, the real server on a fresh embedded DB:
 * sign up in the UI, A sends → B sees it live, B replies → A sees it live,
 * A reloads → the conversation (and B's read receipt) is there, A scrolls up
 * through 120 older messages seeded through the API.
 * Screenshots: test-results/e2e/*.png
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import { gql, logIn, sendMessage } from './support/graphqlApi';
import { RESULTS_DIR } from './support/paths';
import { startServer, type RunningServer } from './support/server';
import {
  bubble,
  bubbles,
  composer,
  failureReport,
  openConversation,
  openTwoPeople,
  PASSWORD,
  shot,
  signUpInUi,
  storySteps,
  visibleConnection,
  waitFor,
} from './support/story';

const SEEDED = 120;

let server: RunningServer;
let browser: Browser;
let pageA: Page; // Alice, desktop
let pageB: Page; // Bob, phone
let alice: { token: string; user: { id: string } };
let bob: { token: string; user: { id: string } };
const pageErrors: string[] = [];
/** Every graphql-ws frame A's tab receives (the counting step). */
const framesA: string[] = [];
/** The steps share one story: once one fails, the later ones fail fast (not skipped). */
const step = storySteps(
  failureReport(
    'chat',
    () => ({ a: pageA, b: pageB }),
    () => server?.output() ?? '',
  ),
);

beforeAll(async () => {
  mkdirSync(RESULTS_DIR, { recursive: true });
  server = await startServer();
  browser = await launchChromium();
  ({ pageA, pageB } = await openTwoPeople(browser, pageErrors));
  pageA.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => framesA.push(String(payload))));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (pageErrors.length)
    console.warn(
      'Browser console errors (connection refusals are expected during the outage step):\n' + pageErrors.join('\n'),
    );
});

describe('parley in a real browser', () => {
  step('serves the web app at / and both people sign up in the UI', async () => {
    await pageA.goto(server.url);
    await pageB.goto(server.url);
    await pageB.getByRole('tab', { name: 'Log in' }).waitFor();
    await shot(pageB, 'phone-login');

    await signUpInUi(pageA, 'alice', 'Alice Archer');
    await signUpInUi(pageB, 'bob', 'Bob Baker');
    await pageA.getByText('Pick someone to talk to').waitFor();
    await shot(pageA, 'desktop-a-home');
    // The subscription socket is up on both sides.
    await visibleConnection(pageA).filter({ hasText: 'Live' }).waitFor();
    await visibleConnection(pageB).filter({ hasText: 'Live' }).waitFor();

    alice = await logIn(server.url, 'alice', PASSWORD);
    bob = await logIn(server.url, 'bob', PASSWORD);
  });

  step(`seeds ${SEEDED} older messages through the API`, async () => {
    for (let i = 1; i <= SEEDED; i++) {
      const [from, to] = i % 2 ? [alice, bob] : [bob, alice];
      await sendMessage(server.url, from.token, to.user.id, `Seed message ${i}`);
    }
    // Read before (elsewhere): the conversation opens at its newest message, not at a first unread (reading.e2e.ts).
    const markRead = 'mutation ($s: ID!) { markRead(senderId: $s) { count } }';
    await gql(server.url, markRead, { s: bob.user.id }, alice.token);
    await gql(server.url, markRead, { s: alice.user.id }, bob.token);
  });

  step('A sends, B sees it live without reloading', async () => {
    await openConversation(pageA, 'bob', 'Bob Baker');
    await openConversation(pageB, 'ali', 'Alice Archer');
    await shot(pageB, 'phone-b-conversation-open');
    await pageB.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

    await composer(pageA).fill('Hello from A');
    await composer(pageA).press('Enter');
    // Shown at once (optimistic); the component tests check it never drops out on acknowledgement.
    await bubble(pageA, 'Hello from A').waitFor({ timeout: 5_000 });
    await waitFor('A’s message to be acknowledged', async () =>
      ['sent', 'read'].includes((await bubble(pageA, 'Hello from A').getAttribute('data-status')) ?? ''),
    );
    expect(await bubble(pageA, 'Hello from A').count()).toBe(1);

    await bubble(pageB, 'Hello from A').waitFor({ timeout: 10_000 });
    expect(await pageB.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
  });

  step('B replies and A sees the reply live', async () => {
    await composer(pageB).fill('Hi A, B here');
    await pageB.getByRole('button', { name: 'Send message' }).click();
    await bubble(pageA, 'Hi A, B here').waitFor({ timeout: 10_000 });
    await waitFor('B’s reply to be acknowledged', async () =>
      ['sent', 'read'].includes((await bubble(pageB, 'Hi A, B here').getAttribute('data-status')) ?? ''),
    );
    await shot(pageA, 'desktop-a-conversation');
    await shot(pageB, 'phone-b-conversation');
  });

  step('a message reaches the tab once: one `next` frame with the conversation open', async () => {
    const id = await sendMessage(server.url, bob.token, alice.user.id, 'Counted once');
    await bubble(pageA, 'Counted once').waitFor({ timeout: 10_000 });
    // The inbox row (conversationUpdated) names the message too: only messageAdded deliveries count.
    const deliveries = () =>
      framesA
        .map((frame) => JSON.parse(frame) as { type: string; payload?: { data?: { messageAdded?: { id: string } } } })
        .filter((frame) => frame.type === 'next' && frame.payload?.data?.messageAdded?.id === id);
    await new Promise((r) => setTimeout(r, 1_500)); // time for a second delivery, if one were coming
    expect(deliveries()).toHaveLength(1);
  });

  step('A reloads: the conversation is still there, with B’s read receipt', async () => {
    await pageA.reload();
    await bubble(pageA, 'Hi A, B here').waitFor();
    await bubble(pageA, 'Hello from A').waitFor();
    // B had the conversation open when it arrived, so it was marked read.
    await waitFor(
      'A’s message to show as read after the fetch',
      async () => (await bubble(pageA, 'Hello from A').getAttribute('data-status')) === 'read',
    );
    await visibleConnection(pageA).filter({ hasText: 'Live' }).waitFor();
    await shot(pageA, 'desktop-a-after-reload');
  });

  step(`A scrolls up through all ${SEEDED} older messages, keeping its place on each page`, async () => {
    const scroller = pageA.getByTestId('transcript');
    const beginning = pageA.getByText('This is the beginning of your conversation.');
    let pagesLoaded = 0;

    while (!(await beginning.isVisible())) {
      // Scroll to the top; once the rows there are rendered (the list is virtualised), remember the first message
      // on screen and where it sits. The older page is asked for by the same scroll and lands later.
      const anchor = await scroller.evaluate(
        (el) =>
          new Promise<{ text: string; top: number }>((resolve) => {
            el.scrollTop = 0;
            requestAnimationFrame(() => {
              const box = el.getBoundingClientRect();
              const first = [...el.querySelectorAll('[data-testid="message"]')].find(
                (b) => b.getBoundingClientRect().bottom > box.top,
              )!;
              resolve({
                text: first.querySelector('.bubble__content')!.textContent!,
                top: first.getBoundingClientRect().top - box.top,
              });
            });
          }),
      );
      const firstText = () => pageA.locator('[data-testid="message"] .bubble__content').first().textContent();
      await waitFor('an older page to be prepended', async () => (await firstText()) !== anchor.text);
      pagesLoaded += 1;
      const anchorTopAfter = await scroller.evaluate((el, text) => {
        const anchor = [...el.querySelectorAll('[data-testid="message"]')].find(
          (b) => b.querySelector('.bubble__content')!.textContent === text,
        ) as HTMLElement;
        return anchor.getBoundingClientRect().top - el.getBoundingClientRect().top;
      }, anchor.text);
      // Without position keeping the anchor would drop by a whole page (~30 bubbles).
      expect(Math.abs(anchorTopAfter - anchor.top)).toBeLessThan(60);
      if (pagesLoaded > 10) throw new Error('Too many pages: pagination does not terminate');
    }

    expect(pagesLoaded).toBeGreaterThanOrEqual(3);
    // The list is virtualised: read it top to bottom, half a screen at a time.
    const texts = await scroller.evaluate(async (el) => {
      const seen: string[] = [];
      const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      for (el.scrollTop = 0; ; el.scrollTop += el.clientHeight / 2) {
        await frame();
        for (const b of el.querySelectorAll('[data-testid="message"] .bubble__content'))
          if (!seen.includes(b.textContent!)) seen.push(b.textContent!);
        if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) return seen;
      }
    });
    const expected = [
      ...Array.from({ length: SEEDED }, (_, i) => `Seed message ${i + 1}`),
      'Hello from A',
      'Hi A, B here',
      'Counted once',
    ];
    expect(texts).toEqual(expected); // every message once, oldest first
    expect(await bubbles(pageA).count()).toBeLessThan(SEEDED); // and not all of them in the DOM at once
    await scroller.evaluate((el) => (el.scrollTop = 0));
    await shot(pageA, 'desktop-a-top-of-history');
  });

  step('links in messages open in a new tab; javascript: never becomes a link', async () => {
    const text = 'Read www.example.com and https://example.org/a?b=1 — not javascript:alert(1)';
    await composer(pageA).fill(text);
    await composer(pageA).press('Enter');
    const received = bubble(pageB, 'Read www.example.com');
    await received.waitFor({ timeout: 10_000 });
    const links = received.getByRole('link');
    await links.nth(1).waitFor(); // linkifyjs is loaded on demand: text first, then its links
    expect(await links.count()).toBe(2);
    const www = received.getByRole('link', { name: 'www.example.com' });
    expect(await www.getAttribute('href')).toBe('https://www.example.com/');
    expect(await www.getAttribute('target')).toBe('_blank');
    expect(await www.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await received.getByRole('link', { name: 'https://example.org/a?b=1' }).getAttribute('href')).toBe(
      'https://example.org/a?b=1',
    );
    expect(await received.locator('a[href^="javascript:" i]').count()).toBe(0);
    expect(await received.locator('.bubble__content').innerText()).toBe(text);
    await shot(pageB, 'phone-b-links');
  });

  step('a conversation link naming nobody: the composer is off and says why', async () => {
    const page = await pageA.context().newPage();
    try {
      await page.goto(`${server.url}/#/chat/00000000-0000-4000-8000-000000000000`);
      await page.getByText('No such person').waitFor();
      expect(await composer(page).isDisabled()).toBe(true);
      expect(await page.getByRole('button', { name: 'Send message' }).isDisabled()).toBe(true);
      await page.getByText('You cannot send messages here: this person does not exist.').waitFor();
      await shot(page, 'desktop-a-unknown-person');
    } finally {
      await page.close();
    }
  });

  step('both see “Reconnecting…” while the server is down, then live messages flow again', async () => {
    await server.halt();
    await visibleConnection(pageA).filter({ hasText: 'Reconnecting…' }).waitFor();
    await visibleConnection(pageB).filter({ hasText: 'Reconnecting…' }).waitFor();
    await shot(pageB, 'phone-b-reconnecting');

    // A send that cannot reach the server stays pending (in the outbox) …
    await composer(pageA).fill('Sent while offline');
    await composer(pageA).press('Enter');
    await waitFor('the offline send to be waiting for the server', async () =>
      ((await bubble(pageA, 'Sent while offline').textContent()) ?? '').includes('Waiting to send'),
    );
    expect(await bubble(pageA, 'Sent while offline').getAttribute('data-status')).toBe('pending');
    await shot(pageA, 'desktop-a-waiting-to-send');

    await server.relaunch();
    await visibleConnection(pageA).filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });
    await visibleConnection(pageB).filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });

    // … and is delivered by itself once the server is back.
    await waitFor('the queued send to be acknowledged', async () =>
      ['sent', 'read'].includes((await bubble(pageA, 'Sent while offline').getAttribute('data-status')) ?? ''),
    );
    await bubble(pageB, 'Sent while offline').waitFor({ timeout: 10_000 });
    expect(await bubble(pageA, 'Sent while offline').count()).toBe(1);

    // The re-opened sockets authenticated again: messageAdded requires a signed-in user.
    await composer(pageB).fill('Back online?');
    await composer(pageB).press('Enter');
    await bubble(pageA, 'Back online?').waitFor({ timeout: 10_000 });
  });

  step('phone: back to the inbox, which lists the conversation; the people list is a tab away', async () => {
    await pageB.getByRole('button', { name: 'Back to conversations' }).click();
    await pageB
      .getByRole('list', { name: 'Conversations' })
      .getByRole('button', { name: /^Alice Archer\b/ })
      .waitFor();
    await pageB.getByRole('tab', { name: 'Find people' }).click();
    await pageB.getByRole('button', { name: 'Open conversation with Alice Archer' }).waitFor();
    await shot(pageB, 'phone-b-people');
  });

  step('an invalid or expired token sends the user back to the login screen', async () => {
    await pageB.evaluate(() => window.localStorage.setItem('parley.token', 'not-a-valid-token'));
    await pageB.reload();
    await pageB.getByText('Your session has expired. Please log in again.').waitFor();
    await pageB.getByRole('button', { name: 'Log in' }).waitFor();
    await shot(pageB, 'phone-b-session-expired');
  });

  step('no uncaught errors in either page', async () => {
    // Network errors logged while the server was deliberately down are expected.
    const unexpected = pageErrors.filter(
      (e) => !/ERR_CONNECTION_REFUSED|WebSocket connection|Failed to load resource/.test(e),
    );
    expect(unexpected).toEqual([]);
  });
});
