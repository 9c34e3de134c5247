/**
 * Issue 20 in a real browser against the real server: messages searched as you type (matches marked, the
 * conversation and time of each, no-result state, keyboard), a hit in an old part of a long conversation opened at
 * that message (highlighted, in view), scrolling loads older and newer pages, "Jump to latest" goes back.
 * Screenshots: test-results/e2e/search-*.png
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { seriousViolations } from './support/axe';
import { launchChromium } from './support/browser';
import { gql, sendMany, sendMessage, signUp } from './support/graphqlApi';
import { RESULTS_DIR } from './support/paths';
import { startServer, type RunningServer } from './support/server';
import {
  DESKTOP,
  failureReport,
  PASSWORD,
  shot,
  signInWithToken,
  storySteps,
  waitFor,
  watchErrors,
} from './support/story';

/** Messages in Ann and Bo's conversation; the one to find is the NEEDLE-th, far from the newest. */
const TOTAL = 240;
const NEEDLE = 40;

let server: RunningServer;
let browser: Browser;
let page: Page;
let ann: { token: string; user: { id: string } };
let bo: { token: string; user: { id: string } };
let cy: { token: string; user: { id: string } };
const pageErrors: string[] = [];
const step = storySteps(
  failureReport(
    'search',
    () => ({ ann: page }),
    () => server?.output() ?? '',
  ),
);

const field = () => page.getByRole('combobox', { name: 'Search messages' });
const hits = () => page.getByTestId('search-hit');
const scroller = () => page.getByTestId('transcript');
const highlighted = () => page.locator('[data-testid="message"][data-highlight]');

/** Whether the bubble holding exactly `text` is inside the transcript's viewport. */
async function inView(text: string) {
  return scroller().evaluate((el, text) => {
    const box = el.getBoundingClientRect();
    return [...el.querySelectorAll('[data-testid="message"]')].some((b) => {
      if (b.querySelector('.bubble__content')?.textContent !== text) return false;
      const r = b.getBoundingClientRect();
      return r.bottom > box.top && r.top < box.bottom;
    });
  }, text);
}

/** Whether a bubble holding exactly `text` is in the transcript at all (on screen or not). */
const held = (text: string) =>
  scroller().evaluate(
    (el, text) =>
      [...el.querySelectorAll('[data-testid="message"] .bubble__content')].some((c) => c.textContent === text),
    text,
  );

/** Scrolls the transcript to one end again and again (pages load as it nears them) until `text` is in view. */
async function scrollUntil(end: 'top' | 'bottom', text: string) {
  await waitFor(`“${text}” in view, scrolling to the ${end}`, async () => {
    await scroller().evaluate((el, end) => el.scrollTo({ top: end === 'top' ? 0 : el.scrollHeight }), end);
    await page.waitForTimeout(150);
    return inView(text);
  });
}

const filler = (i: number) => {
  const [from, to] = i % 2 ? [bo, ann] : [ann, bo];
  return {
    token: from.token,
    recipientId: to.user.id,
    content: i === NEEDLE ? 'the zanzibar plan is on' : `Filler ${i}`,
  };
};

beforeAll(async () => {
  mkdirSync(RESULTS_DIR, { recursive: true });
  server = await startServer();
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: DESKTOP });
  context.setDefaultTimeout(20_000);
  page = await context.newPage();
  watchErrors(page, 'Ann', pageErrors);
  ann = await signUp(server.url, 'ann', PASSWORD, 'Ann Archer');
  bo = await signUp(server.url, 'bob.b', PASSWORD, 'Bo Brown');
  cy = await signUp(server.url, 'cyc', PASSWORD, 'Cy Cole');
  // In order, a few at a time (the order inside a batch is the server's; the ends are sent alone).
  await sendMessage(server.url, bo.token, ann.user.id, 'Filler 1');
  for (let from = 2; from < TOTAL; from += 20) {
    const batch = Array.from({ length: Math.min(20, TOTAL - from) }, (_, i) => filler(from + i));
    await sendMany(server.url, batch, 4);
  }
  await sendMessage(server.url, ann.token, bo.user.id, `Filler ${TOTAL}`);
  await sendMessage(server.url, cy.token, ann.user.id, 'Zanzibar again? Count me in');
  // Bo's messages read: a conversation with unread messages opens at the first of them (reading.e2e.ts); this story
  // is about opening at a hit.
  await gql(server.url, 'mutation ($s: ID!) { markRead(senderId: $s) { count } }', { s: bo.user.id }, ann.token);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (pageErrors.length) console.warn('Browser console errors:\n' + pageErrors.join('\n'));
});

describe('searching messages in a real browser', () => {
  step('"/" focuses the search; results as you type, matches marked, with conversation and time', async () => {
    await signInWithToken(page, server.url, ann.token);
    await page.locator('body').press('/');
    expect(await field().evaluate((el) => el === document.activeElement)).toBe(true);
    await field().pressSequentially('zanzi');
    await waitFor('two hits', async () => (await hits().count()) === 2);
    // Newest first: Cy's, then Bo's; each names the conversation and when.
    expect(await hits().nth(0).locator('.search-hit__peer').innerText()).toBe('Cy Cole');
    expect(await hits().nth(1).locator('.search-hit__peer').innerText()).toBe('Bo Brown');
    expect(await hits().nth(1).locator('time').getAttribute('datetime')).toBeTruthy();
    expect(await hits().nth(1).locator('mark').allInnerTexts()).toEqual(['zanzibar']);
    expect(await hits().nth(0).locator('mark').allInnerTexts()).toEqual(['Zanzibar']);
    await page.getByRole('status').filter({ hasText: '2 messages found.' }).waitFor();
    await shot(page, 'search-results');
    expect(await seriousViolations(page)).toEqual([]);
  });

  step('no results, then Esc clears', async () => {
    await field().fill('qwertyuiop');
    await page.getByText('No messages match “qwertyuiop”.').waitFor();
    expect(await hits().count()).toBe(0);
    await field().press('Escape');
    expect(await field().inputValue()).toBe('');
    expect(await page.getByText('No messages match').count()).toBe(0);
  });

  step('Ctrl+K, arrows and Enter open the old hit at that message, highlighted and in view', async () => {
    await page.locator('body').click();
    await page.keyboard.press('Control+k');
    await field().pressSequentially('zanzibar plan');
    await waitFor(
      'one hit',
      async () => (await hits().count()) === 1 && (await hits().first().innerText()).includes('Bo'),
    );
    await field().press('ArrowDown'); // wraps around the one hit: still it
    expect(await hits().first().getAttribute('aria-selected')).toBe('true');
    await field().press('Enter');
    await highlighted().filter({ hasText: 'the zanzibar plan is on' }).waitFor();
    await waitFor('the hit in view', () => inView('the zanzibar plan is on'));
    // Only the pages around it are loaded: neither end of the conversation. (Exact texts: "Filler 1" is also the
    // start of "Filler 17", which the window may hold — the sends of a batch are stored in the server's order.)
    expect(await held(`Filler ${TOTAL}`)).toBe(false);
    expect(await held('Filler 1')).toBe(false);
    await shot(page, 'search-opened');
  });

  step('scrolling up loads older pages to the beginning, scrolling down newer ones to the latest', async () => {
    await scrollUntil('top', 'Filler 1');
    await page.getByText('This is the beginning of your conversation.').waitFor();
    await scrollUntil('bottom', `Filler ${TOTAL}`);
    expect(await highlighted().count()).toBe(0); // scrolled far from it: not rendered any more (virtualised)
  });

  step('"Jump to latest" from a hit brings the newest messages back', async () => {
    // Opened again from home (after a reload: what was loaded is kept on this device and merged with the window).
    await page.goto(`${server.url}/#/`);
    await page.reload();
    await field().fill('zanzibar plan');
    await waitFor('one hit', async () => (await hits().count()) === 1);
    await hits().first().click();
    await highlighted().waitFor();
    await waitFor('the hit in view', () => inView('the zanzibar plan is on'));
    await page.getByRole('button', { name: 'Jump to latest' }).click();
    await waitFor('the newest in view', () => inView(`Filler ${TOTAL}`));
    expect(pageErrors).toEqual([]);
  });
});
