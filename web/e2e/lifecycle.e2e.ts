/**
 * Issue #18 (messages that change) in a real browser against the real server, two people: A (Ada, desktop) and
 * B (Ben, phone).
 *  - Reply, react, edit and delete from A's message actions (hover, keyboard, ↑ in the composer), each seen live by B;
 *    B's quote scrolls to the original; B toggles a reaction.
 *  - The same while B is offline: B catches up once back (messageUpdated after its newest updateCursor).
 *  - An edit A makes offline waits in the change outbox and is replayed exactly once after the reconnect.
 *  - A conversation B read earlier and left (its older pages still cached) catches up what changed while B was
 *    offline when B opens it again — also one that had no change at all before (no updateCursor to resume from:
 *    B resumes from the conversation's initialUpdateCursor).
 *  - axe: no serious or critical violation with the actions, chips, quote and dialog on screen.
 * Screenshots: test-results/e2e/lifecycle-*.png
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page, Request } from 'playwright-core';
import { seriousViolations } from './support/axe';
import { launchChromium } from './support/browser';
import { conversation, gql, sendMany, sendMessage, signUp } from './support/graphqlApi';
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
  visibleConnection,
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
    'lifecycle',
    () => ({ a: pageA, b: pageB }),
    () => server?.output() ?? '',
  ),
);
/** Every editMessage of A's the server answered (over HTTP or the socket). */
let editsAnswered = 0;

/** A message by its own text (a reply's bubble also holds the quoted text). */
const bubble = (page: Page, text: string) =>
  bubbles(page).filter({ has: page.locator('.bubble__content', { hasText: text }) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const chip = (page: Page, text: string, emoji: string) =>
  bubble(page, text).locator('[data-testid="reaction"]', { hasText: emoji });
const storedMessage = async (id: string) =>
  (
    await gql<{ chatHistory: { edges: Array<{ node: Record<string, unknown> }> } }>(
      server.url,
      'query ($w: ID!) { chatHistory(withUserId: $w, last: 100) { edges { node { id content editedAt deletedAt reactions { emoji count } } } } }',
      { w: ben.user.id },
      ada.token,
    )
  ).chatHistory.edges
    .map((e) => e.node)
    .find((m) => m.id === id);

/** Opens a bubble's actions from the keyboard (focus, Enter) and clicks one. */
async function act(page: Page, text: string, action: string) {
  await bubble(page, text).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('toolbar', { name: 'Message actions' }).getByRole('button', { name: action }).click();
}

beforeAll(async () => {
  mkdirSync(RESULTS_DIR, { recursive: true });
  server = await startServer();
  browser = await launchChromium();
  ({ pageA, pageB } = await openTwoPeople(browser, pageErrors));
  // An answer to editMessage names the field: over HTTP in the response body, over the socket in a "next" frame.
  const countEdits = (page: Page) => {
    page.on('response', async (response) => {
      if (!response.url().endsWith('/graphql')) return;
      if ((await response.text().catch(() => '')).includes('"editMessage"')) editsAnswered++;
    });
    page.on('websocket', (ws) =>
      ws.on('framereceived', (frame) => {
        if (String(frame.payload).includes('"editMessage"')) editsAnswered++;
      }),
    );
  };
  countEdits(pageA);
  ada = await signUp(server.url, 'ada', PASSWORD, 'Ada Lovelace');
  ben = await signUp(server.url, 'ben', PASSWORD, 'Ben Franklin');
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (pageErrors.length) console.warn('Browser console errors:\n' + pageErrors.join('\n'));
});

describe('messages that change (#18), two people in Chromium', () => {
  let lunchId: string;
  let helloId: string;

  step('A and B have their conversation open', async () => {
    lunchId = await sendMessage(server.url, ben.token, ada.user.id, 'Lunch at noon?');
    helloId = await sendMessage(server.url, ada.token, ben.user.id, 'Hello Ben');
    await signInWithToken(pageA, server.url, ada.token, ben.user.id);
    await signInWithToken(pageB, server.url, ben.token, ada.user.id);
    await bubble(pageA, 'Hello Ben').waitFor();
    await bubble(pageB, 'Hello Ben').waitFor();
  });

  step('reply: A replies from the hover actions; B sees the quote and it leads to the original', async () => {
    await bubble(pageA, 'Lunch at noon?').hover();
    await pageA.getByRole('toolbar', { name: 'Message actions' }).getByRole('button', { name: 'Reply' }).click();
    await pageA.getByRole('group', { name: 'Replying' }).getByText('Lunch at noon?').waitFor();
    await composer(pageA).fill('Sounds good');
    await composer(pageA).press('Enter');
    await bubble(pageA, 'Sounds good').locator('.quote', { hasText: 'Lunch at noon?' }).waitFor();
    expect(await pageA.getByRole('group', { name: 'Replying' }).count()).toBe(0);

    const quote = bubble(pageB, 'Sounds good').getByRole('button', {
      name: /In reply to You.*Lunch at noon\?.*Show the original/,
    });
    await quote.waitFor();
    await quote.click();
    await waitFor('the original to take the focus', () =>
      pageB.evaluate((id) => document.activeElement?.getAttribute('data-message-id') === id, lunchId),
    );
    await shot(pageB, 'lifecycle-phone-reply');
  });

  step('react: A reacts from the keyboard, B sees the chip and reacts too, A sees the count', async () => {
    await act(pageA, 'Lunch at noon?', 'React 👍');
    await chip(pageA, 'Lunch at noon?', '👍').filter({ hasText: '1' }).waitFor();
    expect(await chip(pageA, 'Lunch at noon?', '👍').getAttribute('aria-pressed')).toBe('true');
    const onB = chip(pageB, 'Lunch at noon?', '👍');
    await onB.filter({ hasText: '1' }).waitFor();
    expect(await onB.getAttribute('aria-pressed')).toBe('false');
    await onB.click();
    await chip(pageA, 'Lunch at noon?', '👍').filter({ hasText: '2' }).waitFor();
    expect(await onB.getAttribute('aria-pressed')).toBe('true');
    // Who reacted: in the chip's name, and in a tooltip on hover and on keyboard focus.
    const onA = chip(pageA, 'Lunch at noon?', '👍');
    expect(await onA.getAttribute('aria-label')).toBe('👍 2: You and Ben Franklin');
    const tip = bubble(pageA, 'Lunch at noon?').getByTestId('reaction-tip');
    expect(await tip.isVisible()).toBe(false);
    await onA.hover();
    await tip.filter({ hasText: 'You and Ben Franklin' }).waitFor();
    await pageA.mouse.move(1, 1);
    await tip.waitFor({ state: 'hidden' });
    await bubble(pageA, 'Lunch at noon?').focus();
    await pageA.keyboard.press('Tab');
    expect(await onA.evaluate((el) => el === document.activeElement)).toBe(true);
    await tip.waitFor();
    await pageA.keyboard.press('Escape');
    await tip.waitFor({ state: 'hidden' });
    await shot(pageA, 'lifecycle-desktop-reactions');
  });

  step('edit: ↑ in the empty composer edits A’s last message; B sees the new text marked edited', async () => {
    await composer(pageA).focus();
    await pageA.keyboard.press('ArrowUp');
    await pageA.getByRole('group', { name: 'Editing' }).waitFor();
    expect(await composer(pageA).inputValue()).toBe('Sounds good');
    await composer(pageA).fill('Sounds great');
    await composer(pageA).press('Enter');
    await bubble(pageB, 'Sounds great').getByTestId('edited').waitFor();
    await bubble(pageA, 'Sounds great').getByTestId('edited').waitFor();
    expect(await composer(pageA).inputValue()).toBe('');
  });

  step('delete: after the confirmation, both see the tombstone', async () => {
    await act(pageA, 'Hello Ben', 'Delete');
    const dialog = pageA.getByRole('dialog', { name: 'Delete this message?' });
    await dialog.waitFor();
    expect(await seriousViolations(pageA)).toEqual([]);
    await shot(pageA, 'lifecycle-desktop-delete-dialog');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await bubble(pageA, 'You deleted this message').waitFor();
    await bubble(pageB, 'This message was deleted').waitFor();
    expect((await storedMessage(helloId))?.deletedAt).toBeTruthy();
    await bubble(pageA, 'Lunch at noon?').hover();
    expect(await seriousViolations(pageA)).toEqual([]);
    expect(await seriousViolations(pageB)).toEqual([]);
  });

  step('B offline: A replies, reacts, edits and deletes; B catches up once back', async () => {
    await pageB.context().setOffline(true);
    await visibleConnection(pageB).filter({ hasText: 'Offline' }).waitFor();
    const whileAway = await sendMessage(server.url, ada.token, ben.user.id, 'While you were away');
    await bubble(pageA, 'While you were away').waitFor();
    await act(pageA, 'Lunch at noon?', 'React ❤️');
    await act(pageA, 'Lunch at noon?', 'React 👍'); // takes A's 👍 back
    await act(pageA, 'Sounds great', 'Edit');
    await composer(pageA).fill('Sounds great, see you');
    await composer(pageA).press('Enter');
    await act(pageA, 'While you were away', 'Delete');
    await pageA.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await waitFor('the server to hold every change', async () => (await storedMessage(whileAway))?.deletedAt != null);
    await sleep(500);
    expect(await bubble(pageB, 'Sounds great, see you').count()).toBe(0);

    await pageB.context().setOffline(false);
    await visibleConnection(pageB).filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });
    await bubble(pageB, 'Sounds great, see you').getByTestId('edited').waitFor({ timeout: 15_000 });
    await chip(pageB, 'Lunch at noon?', '❤️').filter({ hasText: '1' }).waitFor();
    await chip(pageB, 'Lunch at noon?', '👍').filter({ hasText: '1' }).waitFor();
    expect(await chip(pageB, 'Lunch at noon?', '👍').getAttribute('aria-pressed')).toBe('true');
    await bubble(pageB, 'This message was deleted').nth(1).waitFor();
    await shot(pageB, 'lifecycle-phone-caught-up');
  });

  step('A offline: an edit waits in the change outbox and is replayed once after the reconnect', async () => {
    await pageA.context().setOffline(true);
    await visibleConnection(pageA).filter({ hasText: 'Offline' }).waitFor();
    const before = editsAnswered;
    await act(pageA, 'Sounds great, see you', 'Edit');
    await composer(pageA).fill('See you at noon');
    await composer(pageA).press('Enter');
    await bubble(pageA, 'See you at noon').waitFor(); // shown at once
    const queued = await pageA.evaluate((id) => localStorage.getItem(`parley.changes.${id}`), ada.user.id);
    expect(JSON.parse(queued ?? '[]')).toEqual([expect.objectContaining({ kind: 'edit', content: 'See you at noon' })]);
    await sleep(1500);
    expect(await bubble(pageB, 'See you at noon').count()).toBe(0);

    await pageA.context().setOffline(false);
    await bubble(pageB, 'See you at noon').waitFor({ timeout: 30_000 });
    await waitFor('the change outbox to empty', async () =>
      pageA.evaluate((id) => localStorage.getItem(`parley.changes.${id}`) === null, ada.user.id),
    );
    await sleep(1500); // time for a second replay to show, if there were one
    expect(editsAnswered - before).toBe(1);
    const history = await conversation(server.url, ada.token, ben.user.id);
    expect(history.filter((m) => m.content === 'See you at noon')).toHaveLength(1);
    await shot(pageA, 'lifecycle-desktop-offline-edit-replayed');
  });

  step(
    'B opens again, after a reconnect, a conversation it left: its older cached pages show what changed',
    async () => {
      await closedConversationCatchesUp('cyd', 'Cy', { changedBefore: true });
      await shot(pageB, 'lifecycle-phone-closed-conversation-caught-up');
    },
  );

  step('the same for a conversation that had never changed: B catches up from before its first change', () =>
    closedConversationCatchesUp('dee', 'Dee', { changedBefore: false }),
  );
});

/**
 * B loads every page of a conversation with `name` into its cache, leaves it, goes offline; meanwhile its oldest
 * message is deleted and the next one edited; B comes back and opens it again: the cached older pages show the
 * changes. `changedBefore`: a reaction B saw live first (B holds the conversation's change position), else the
 * conversation never changed before (B catches up from before its first change).
 */
async function closedConversationCatchesUp(
  username: string,
  name: string,
  { changedBefore }: { changedBefore: boolean },
) {
  const peer = await signUp(server.url, username, PASSWORD, `${name} Young`);
  const OLDER = `${name}: the oldest words`;
  const EDITED = `${name}: said once`;
  await sendMany(
    server.url,
    [
      { token: peer.token, recipientId: ben.user.id, content: OLDER },
      { token: peer.token, recipientId: ben.user.id, content: EDITED },
      // More than one page (30): the two above are only in the cache once B has scrolled up to them.
      ...Array.from({ length: 40 }, (_, i) => ({
        token: peer.token,
        recipientId: ben.user.id,
        content: `${name} #${i}`,
      })),
    ],
    1,
  );
  const history = await conversation(server.url, peer.token, ben.user.id);
  const idOf = (text: string) => history.find((m) => m.content === text)!.id as string;
  const change = (query: string, variables: Record<string, unknown>) => gql(server.url, query, variables, peer.token);
  if (changedBefore)
    await change('mutation ($id: ID!) { addReaction(messageId: $id, emoji: "👋") { id } }', {
      id: idOf(`${name} #39`),
    });
  // Read already (this is about changes, not about where an unread conversation opens).
  await gql(server.url, 'mutation ($s: ID!) { markRead(senderId: $s) { count } }', { s: peer.user.id }, ben.token);

  await pageB.evaluate((id) => (location.hash = `#/chat/${id}`), peer.user.id);
  await bubble(pageB, `${name} #39`).waitFor();
  if (changedBefore) await chip(pageB, `${name} #39`, '👋').waitFor();
  // Every older page into the cache.
  await pageB.getByRole('button', { name: 'Jump to the beginning' }).click();
  await bubble(pageB, OLDER).waitFor();
  const scroller = pageB.getByTestId('transcript');
  await pageB.evaluate((id) => (location.hash = `#/chat/${id}`), ada.user.id);
  await bubble(pageB, 'See you at noon').waitFor();

  await pageB.context().setOffline(true);
  await visibleConnection(pageB).filter({ hasText: 'Offline' }).waitFor();
  await change('mutation ($id: ID!) { deleteMessage(id: $id) { id } }', { id: idOf(OLDER) });
  await change(`mutation ($id: ID!) { editMessage(id: $id, content: "${name}: said better") { id } }`, {
    id: idOf(EDITED),
  });
  await pageB.context().setOffline(false);
  await visibleConnection(pageB).filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });

  // The older pages come from the cache: none is asked for again.
  let olderPagesAsked = 0;
  const countOlder = (request: Request) => {
    if (request.url().includes('/graphql') && (request.postData() ?? '').includes('"before":"')) olderPagesAsked += 1;
  };
  pageB.on('request', countOlder);
  await pageB.evaluate((id) => (location.hash = `#/chat/${id}`), peer.user.id);
  await waitFor(
    'B to scroll up to the oldest messages again',
    async () => {
      await scroller.evaluate((el) => (el.scrollTop = 0));
      return bubble(pageB, `${name}: said better`).isVisible();
    },
    30_000,
  );
  await bubble(pageB, 'This message was deleted').first().waitFor();
  expect(await bubble(pageB, OLDER).count()).toBe(0);
  expect(await bubble(pageB, EDITED).count()).toBe(0);
  pageB.off('request', countOlder);
  expect(olderPagesAsked).toBe(0);
}
