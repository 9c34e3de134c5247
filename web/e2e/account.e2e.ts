/**
 * Your account (issue #22), in a real browser against the real server. Alice is signed in on a laptop and on a
 * phone; Bob on his own laptop, with her conversation in his inbox.
 *  - Alice changes her display name in Settings: Bob's inbox shows the new name live.
 *  - Alice blocks Bob from the conversation header: her composer is off and says why; Bob's, open meanwhile, goes
 *    off live ("You can't message this person."); the server refuses sends both ways. She unblocks him from the
 *    conversation; both composers are on again and his message reaches her.
 *  - Alice downloads her data (GET /export): a JSON file with the messages of both.
 *  - From "Where you're signed in" Alice signs out her phone: the phone returns to its login page by itself.
 *  - Alice deletes her account: she is signed out with a message; Bob sees "Deleted user"; her token is refused.
 * Screenshots: test-results/e2e/account-*.png
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import { gql, sendMessage, signUp } from './support/graphqlApi';
import { RESULTS_DIR } from './support/paths';
import { startServer, type RunningServer } from './support/server';
import {
  bubble,
  composer,
  conversationShown,
  DESKTOP,
  failureReport,
  PASSWORD,
  PHONE,
  shot,
  storySteps,
  visibleConnection,
  waitFor,
  watchErrors,
} from './support/story';

type Account = { token: string; user: { id: string } };

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1';

let server: RunningServer;
let browser: Browser;
let laptop: Page; // Alice
let phone: Page; // Alice
let bobPage: Page;
let alice: Account;
let bob: Account;
const pageErrors: string[] = [];
const step = storySteps(
  failureReport(
    'account',
    () => ({ laptop, phone, bob: bobPage }),
    () => server?.output() ?? '',
  ),
);

const tokenOf = (page: Page) => page.evaluate(() => window.localStorage.getItem('parley.token'));
const inboxRow = (page: Page, name: RegExp) =>
  page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name });

async function logInInUi(page: Page, username: string, displayName: string) {
  await page.goto(server.url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.locator('.me__name', { hasText: displayName }).waitFor();
  await visibleConnection(page).filter({ hasText: 'Live' }).waitFor();
}

async function openSettings(page: Page) {
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'Settings', level: 2 }).waitFor();
}

/** What the server answers `me` with this token: the username, or the error. */
async function meWith(token: string): Promise<string> {
  try {
    const data = await gql<{ me: { username: string } | null }>(server.url, '{ me { username } }', {}, token);
    return data.me?.username ?? 'null';
  } catch (error) {
    return (error as Error).message;
  }
}

beforeAll(async () => {
  mkdirSync(RESULTS_DIR, { recursive: true });
  server = await startServer();
  browser = await launchChromium();
  alice = await signUp(server.url, 'alice', PASSWORD, 'Alice Archer');
  bob = await signUp(server.url, 'bob', PASSWORD, 'Bob Baker');
  await sendMessage(server.url, bob.token, alice.user.id, 'Hi Alice, lunch tomorrow?');
  const contexts = await Promise.all([
    browser.newContext({ viewport: DESKTOP }),
    browser.newContext({
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
      // Its session is told from the laptop's by its user agent in "Where you're signed in".
      userAgent: IPHONE,
    }),
    browser.newContext({ viewport: DESKTOP }),
  ]);
  for (const context of contexts) context.setDefaultTimeout(15_000);
  [laptop, phone, bobPage] = await Promise.all(contexts.map((context) => context.newPage()));
  watchErrors(laptop, 'laptop', pageErrors);
  watchErrors(phone, 'phone', pageErrors);
  watchErrors(bobPage, 'bob', pageErrors);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('your account', () => {
  step('Alice signs in on a laptop and a phone, Bob on his laptop', async () => {
    await logInInUi(laptop, 'alice', 'Alice Archer');
    await logInInUi(phone, 'alice', 'Alice Archer');
    await logInInUi(bobPage, 'bob', 'Bob Baker');
    await inboxRow(bobPage, /^Alice Archer\b/).waitFor();
  });

  step('Alice changes her display name; Bob’s inbox shows it live', async () => {
    await openSettings(laptop);
    const name = laptop.getByLabel('Display name');
    await name.fill('x'.repeat(65));
    await laptop.getByText('DisplayName must be at most 64 characters.').waitFor(); // checked as typed
    await name.fill('Alice Anders');
    await laptop.getByRole('button', { name: 'Save name' }).click();
    await laptop.getByText('Name saved.').waitFor();
    await laptop.locator('.me__name', { hasText: 'Alice Anders' }).waitFor();
    await shot(laptop, 'account-settings');

    await inboxRow(bobPage, /^Alice Anders\b/).waitFor();
    expect(await inboxRow(bobPage, /^Alice Archer\b/).count()).toBe(0);
    await shot(bobPage, 'account-peer-sees-new-name');
  });

  step('Alice blocks Bob: both composers go off (Bob’s live) and the server refuses sends both ways', async () => {
    // Bob has the conversation open: what Alice does reaches him live.
    await inboxRow(bobPage, /^Alice Anders\b/).click();
    await conversationShown(bobPage);
    await waitFor('Bob’s composer to be on', () => composer(bobPage).isEnabled());

    await laptop.getByRole('button', { name: 'Back to conversations' }).click();
    await inboxRow(laptop, /^Bob Baker\b/).click();
    await conversationShown(laptop);
    await laptop.getByRole('button', { name: 'Conversation options' }).click();
    await laptop.getByRole('button', { name: 'Block Bob Baker…' }).click();
    const dialog = laptop.getByRole('dialog', { name: /^Block Bob Baker\s?\?$/ });
    await dialog.getByRole('button', { name: 'Block', exact: true }).click();
    await laptop.locator('.banner--blocked', { hasText: 'You blocked Bob Baker.' }).waitFor();
    expect(await composer(laptop).isDisabled()).toBe(true);
    await shot(laptop, 'account-blocked');

    await bobPage.locator('.banner--blocked', { hasText: "You can't message this person." }).waitFor();
    await waitFor('Bob’s composer to be off', () => composer(bobPage).isDisabled());
    await shot(bobPage, 'account-peer-refused');
    // The server refuses it whoever sends it, both ways.
    await expect(sendMessage(server.url, bob.token, alice.user.id, 'via the API')).rejects.toThrow(
      "You can't message this person.",
    );
    await expect(sendMessage(server.url, alice.token, bob.user.id, 'via the API')).rejects.toThrow(
      "You can't message this person.",
    );
  });

  step('Alice unblocks Bob from the conversation: both composers are on again and Bob’s message arrives', async () => {
    await laptop.getByRole('button', { name: 'Unblock', exact: true }).click();
    await waitFor(
      'the “You blocked” banner to go',
      async () => (await laptop.locator('.banner--blocked').count()) === 0,
    );
    expect(await composer(laptop).isEnabled()).toBe(true);

    await waitFor('Bob’s composer to be on again', () => composer(bobPage).isEnabled());
    expect(await bobPage.locator('.banner--blocked').count()).toBe(0);
    await composer(bobPage).fill('Are you there?');
    await composer(bobPage).press('Enter');
    await bubble(laptop, 'Are you there?').waitFor();
  });

  step('Alice downloads her data: a JSON file with her messages', async () => {
    await openSettings(laptop);
    const [download] = await Promise.all([
      laptop.waitForEvent('download'),
      laptop.getByRole('button', { name: 'Download my data' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.json$/);
    const text = readFileSync((await download.path())!, 'utf8');
    JSON.parse(text); // valid JSON
    expect(text).toContain('Hi Alice, lunch tomorrow?');
    expect(text).toContain('Are you there?');
    await laptop.getByText(`Downloaded ${download.suggestedFilename()}.`).waitFor();
  });

  step('Alice signs out her phone from “Where you’re signed in”; the phone returns to its login page', async () => {
    const phoneToken = (await tokenOf(phone))!;
    const sessions = laptop.getByRole('list', { name: 'Sessions' });
    // The laptop, the phone, and the session the set-up signed up with (through the API).
    await sessions.getByRole('listitem').nth(2).waitFor();
    expect(await sessions.getByRole('listitem').count()).toBe(3);
    const mine = sessions.getByRole('listitem').filter({ hasText: 'This device' });
    expect(await mine.count()).toBe(1);
    expect(await mine.innerText()).toContain('Chrome on Linux');
    expect(await mine.getByRole('button').count()).toBe(0);
    await sessions.getByRole('button', { name: /^Sign out Safari on iPhone\b/ }).click();
    await waitFor('the phone’s row to go', async () => (await sessions.getByRole('listitem').count()) === 2);
    expect(await sessions.getByText('Safari on iPhone').count()).toBe(0);
    await laptop.getByText('Signed out Safari on iPhone.').waitFor();
    await shot(laptop, 'account-sessions');

    await phone.getByText('You were signed out from another device. Please log in again.').waitFor();
    await phone.getByRole('button', { name: 'Log in' }).waitFor();
    expect(await tokenOf(phone)).toBeNull();
    expect(await meWith(phoneToken)).toMatch(/session has ended/i);
    expect(await meWith((await tokenOf(laptop))!)).toBe('alice');
  });

  step('Alice deletes her account: signed out with a message; Bob sees “Deleted user”', async () => {
    const token = (await tokenOf(laptop))!;
    const form = laptop.getByRole('form', { name: 'Delete account' });
    await form.getByLabel('Type your username (alice) to confirm').fill('alice');
    await form.getByLabel('Password', { exact: true }).fill('not my password');
    await form.getByRole('button', { name: 'Delete my account' }).click();
    await form.getByText('Wrong password.').waitFor(); // under the field; still signed in
    expect(await tokenOf(laptop)).toBe(token);
    await form.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await form.getByRole('button', { name: 'Delete my account' }).click();
    await laptop.getByText('Your account has been deleted.', { exact: false }).waitFor();
    await laptop.getByRole('button', { name: 'Log in' }).waitFor();
    expect(await tokenOf(laptop)).toBeNull();
    expect(
      await laptop.evaluate(() =>
        Object.keys(window.localStorage).filter((k) => k.startsWith('parley.') && k !== 'parley.theme'),
      ),
    ).toEqual([]);
    await shot(laptop, 'account-deleted');
    expect(await meWith(token)).not.toBe('alice');

    await bobPage
      .locator('.conversation__title', { hasText: 'Deleted user' })
      .or(inboxRow(bobPage, /^Deleted user\b/))
      .first()
      .waitFor();
    // Bob has the conversation open: nothing can be sent to a deleted account.
    await waitFor('Bob’s composer to be off', () => composer(bobPage).isDisabled());
    expect(await bobPage.getByText(/@deleted-/).count()).toBe(0);
    await shot(bobPage, 'account-peer-sees-deleted-user');
  });

  step('no uncaught errors in the pages', async () => {
    const unexpected = pageErrors.filter((e) => !/WebSocket connection|Failed to load resource/.test(e));
    expect(unexpected).toEqual([]);
  });
});
