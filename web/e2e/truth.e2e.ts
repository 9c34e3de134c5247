/**
 * Issue 24 in a real browser against the real server: the app tells the truth.
 *  - Forms: sign-up checks the server's own rules as the person types, each error under its field, all at once;
 *    a refusal that names a field is shown under it; after signing in the focus is not left on the page.
 *  - Offline: "Offline" within 2 s of the browser going offline, the messages written meanwhile say "Waiting for
 *    network"; "Live" within 2 s of coming back, and they are delivered.
 *  - Right-to-left text runs right to left, in bubbles on the sender's side.
 *  - Layout: the badge stays inside the sidebar, the viewer's name is not cut short, a message is one Tab stop,
 *    an unknown person is explained without API jargon.
 *  - Signed out from another device: said so, the draft kept for the same user; a log-out here leaves nothing.
 * Screenshots: test-results/e2e/truth-*.png
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { seriousViolations } from './support/axe';
import { launchChromium } from './support/browser';
import { gql, logIn, sendMessage, signUp } from './support/graphqlApi';
import { RESULTS_DIR } from './support/paths';
import { startServer, type RunningServer } from './support/server';
import {
  bubble,
  composer,
  DESKTOP,
  failureReport,
  PASSWORD,
  shot,
  storySteps,
  visibleConnection,
  waitFor,
  watchErrors,
} from './support/story';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page; // Alice, desktop
let bob: { token: string; user: { id: string } };
let aliceId = '';
const pageErrors: string[] = [];
const step = storySteps(
  failureReport(
    'truth',
    () => ({ a: page }),
    () => server?.output() ?? '',
  ),
);

/** Milliseconds until `check` holds (polled every 50 ms), or a failure after `limitMs` × 5. */
async function msUntil(what: string, check: () => Promise<boolean>, limitMs: number): Promise<number> {
  const started = Date.now();
  await waitFor(what, check, limitMs * 5);
  return Date.now() - started;
}

const badge = () => visibleConnection(page).first();
const fieldError = (input: string) =>
  page.evaluate((name) => {
    const field = document.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
    const ids = (field.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
    return {
      invalid: field.getAttribute('aria-invalid'),
      text: ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' '),
      // The message sits right under its own field.
      below: ids.every((id) => document.getElementById(id)?.previousElementSibling === field),
    };
  }, input);

beforeAll(async () => {
  mkdirSync(RESULTS_DIR, { recursive: true });
  server = await startServer();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: DESKTOP });
  context.setDefaultTimeout(15_000);
  page = await context.newPage();
  watchErrors(page, 'A', pageErrors);
  bob = await signUp(server.url, 'bob', PASSWORD, 'Bob Brown');
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (pageErrors.length)
    console.warn('Browser console errors (refused connections are expected offline):\n' + pageErrors.join('\n'));
});

describe('the app tells the truth', () => {
  step('sign-up: every rule of the server checked as one types, each error under its own field', async () => {
    await page.goto(`${server.url}/#/chat/${bob.user.id}`);
    await page.getByRole('tab', { name: 'Sign up' }).click();
    await page.getByLabel('Username').fill('al');
    await page.getByLabel('Password').fill('short');
    await page.getByLabel(/Display name/).click(); // leaves the password field
    expect(await fieldError('username')).toEqual({
      invalid: 'true',
      text: 'Username must be 3..32 characters: letters, digits, ".", "_" or "-".',
      below: true,
    });
    expect(await fieldError('password')).toEqual({
      invalid: 'true',
      text: 'Password must be at least 8 characters.',
      below: true,
    });
    // Checked as one types: fixed, the error goes.
    await page.getByLabel('Username').fill('alice');
    expect((await fieldError('username')).invalid).toBeNull();
    // A submit with an error left sends nothing and focuses it.
    await page.getByRole('button', { name: 'Create account' }).click();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('password');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'truth-signup-errors');

    // The server's refusal that names a field lands under it.
    await page.getByLabel('Username').fill('bob');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await waitFor('the refusal under the username', async () =>
      (await fieldError('username')).text.includes('is taken'),
    );
    expect(await fieldError('username')).toEqual({
      invalid: 'true',
      text: 'The username "bob" is taken.',
      below: true,
    });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('username');
  });

  step('signed up: the focus is on the composer, not left on the page', async () => {
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel(/Display name/).fill('Alice Anders');
    await page.getByRole('button', { name: 'Create account' }).click();
    await composer(page).waitFor();
    await waitFor('the composer to have the focus', () =>
      composer(page).evaluate((el) => el === document.activeElement),
    );
    await badge().filter({ hasText: 'Live' }).waitFor();
    aliceId = (await page.evaluate(
      () => JSON.parse(localStorage.getItem('parley.viewer') ?? '{}').viewer?.id,
    )) as string;
    expect(aliceId).toMatch(/^[0-9a-f-]{36}$/);
  });

  step('layout: the name is not cut short, a message is one Tab stop', async () => {
    const name = page.locator('.me__name');
    expect(await name.textContent()).toBe('Alice Anders');
    expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);

    await composer(page).fill('First, to Bob');
    await composer(page).press('Enter');
    await bubble(page, 'First, to Bob')
      .locator('[data-status="sent"], [data-status="read"]')
      .or(page.locator('[data-testid="message"][data-status="sent"]'))
      .first()
      .waitFor();
    const stops = await bubble(page, 'First, to Bob').evaluate(
      (b) =>
        [b, ...b.querySelectorAll('*')].filter((el) => (el as HTMLElement).tabIndex >= 0 && !(el as HTMLElement).hidden)
          .length,
    );
    expect(stops).toBe(1);
    expect(await bubble(page, 'First, to Bob').locator('time').getAttribute('tabindex')).toBeNull();
  });

  step(
    'offline: "Offline" within 2 s, pending messages wait for the network; "Live" within 2 s of its return',
    async () => {
      await context.setOffline(true);
      const toOffline = await msUntil(
        'Offline',
        async () => (await badge().textContent())?.includes('Offline') ?? false,
        2000,
      );
      expect(toOffline).toBeLessThan(2000);
      // The badge stays inside the sidebar.
      const inside = await page.evaluate(() => {
        const sidebar = document.querySelector('.sidebar')!.getBoundingClientRect();
        const connection = document.querySelector('.sidebar .connection')!.getBoundingClientRect();
        return connection.right <= sidebar.right && connection.left >= sidebar.left;
      });
      expect(inside).toBe(true);

      for (const text of ['Written offline one', 'Written offline two']) {
        await composer(page).fill(text);
        await composer(page).press('Enter');
      }
      for (const text of ['Written offline one', 'Written offline two'])
        await waitFor(`"${text}" to wait for the network`, async () =>
          ((await bubble(page, text).textContent()) ?? '').includes('Waiting for network'),
        );
      await shot(page, 'truth-offline');

      await context.setOffline(false);
      const toLive = await msUntil('Live', async () => (await badge().textContent())?.includes('Live') ?? false, 2000);
      expect(toLive).toBeLessThan(2000);
      for (const text of ['Written offline one', 'Written offline two'])
        await waitFor(
          `"${text}" delivered`,
          async () => (await bubble(page, text).getAttribute('data-status')) === 'sent',
        );
    },
  );

  step('right-to-left: Hebrew and Arabic run right to left, bubbles on the sender’s side', async () => {
    await composer(page).fill('שלום, מה שלומך?');
    await composer(page).press('Enter');
    await sendMessage(server.url, bob.token, aliceId, 'مرحبا، أنا بخير');
    const layout = async (text: string) =>
      bubble(page, text).evaluate((b) => {
        const content = b.querySelector('.bubble__content')!;
        const list = b.parentElement!.getBoundingClientRect();
        const box = b.getBoundingClientRect();
        return {
          direction: getComputedStyle(content).direction,
          side: box.right > list.right - 40 ? 'right' : box.left < list.left + 40 ? 'left' : 'middle',
        };
      });
    await bubble(page, 'مرحبا').waitFor();
    expect(await layout('שלום')).toEqual({ direction: 'rtl', side: 'right' });
    expect(await layout('مرحبا')).toEqual({ direction: 'rtl', side: 'left' });
    expect(await layout('First, to Bob')).toEqual({ direction: 'ltr', side: 'right' });
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'truth-rtl');
  });

  step('a reload while offline shows one red banner, not two repeating one error', async () => {
    await page.evaluate(() => navigator.serviceWorker.ready);
    await waitFor('the service worker to control the page', () =>
      page.evaluate(() => navigator.serviceWorker.controller !== null),
    );
    await waitFor('the conversation to be kept on the device', async () =>
      ((await page.evaluate(() => localStorage.getItem('parley.cache'))) ?? '').includes('مرحبا'),
    );
    await context.setOffline(true);
    await page.reload();
    await bubble(page, 'مرحبا').waitFor();
    await page.locator('.banner--error').first().waitFor();
    await page.waitForTimeout(1000); // anything else that would complain has had its chance
    expect(await page.locator('[role="alert"]').allTextContents()).toEqual([
      expect.stringMatching(/^Showing saved messages — could not refresh/),
    ]);
    await badge().filter({ hasText: 'Offline' }).waitFor();
    await shot(page, 'truth-offline-reload');
    await context.setOffline(false);
    await badge().filter({ hasText: 'Live' }).waitFor();
  });

  step('an unknown person is explained without API jargon', async () => {
    await page.goto(`${server.url}/#/chat/00000000-0000-4000-8000-000000000000`);
    await page.getByText(/not on parley/).waitFor();
    expect(await page.locator('main').textContent()).not.toMatch(/withUserId|No user has the id/);
    await page.goto(`${server.url}/#/chat/${bob.user.id}`);
    await composer(page).waitFor();
  });

  step('signed out from another device: said so, and the draft is kept for the same user', async () => {
    await composer(page).fill('Half-written thought');
    await waitFor('the draft to be kept', async () =>
      ((await page.evaluate((id) => localStorage.getItem(`parley.drafts.${id}`), aliceId)) ?? '').includes(
        'Half-written',
      ),
    );
    const other = await logIn(server.url, 'alice', PASSWORD);
    await gql(server.url, 'mutation { logOutEverywhere }', {}, other.token);
    await page.getByText('You were signed out from another device').waitFor();
    expect(await page.getByText('Your session has expired').count()).toBe(0);
    const keys = await page.evaluate(() => Object.keys(localStorage).sort());
    expect(keys.filter((k) => !/^parley\.(theme|notifications|drafts\.|outbox\.)/.test(k))).toEqual([]);
    await shot(page, 'truth-signed-out-elsewhere');

    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await composer(page).waitFor();
    expect(await composer(page).inputValue()).toBe('Half-written thought');
  });

  step('logging out on this device leaves nothing of the user behind', async () => {
    await page.getByRole('button', { name: 'Log out', exact: true }).click();
    await page.getByRole('tab', { name: 'Log in' }).waitFor();
    // What another write may leave a moment later (a cache snapshot) is gone too.
    await page.waitForTimeout(1500);
    const keys = await page.evaluate(() => Object.keys(localStorage).sort());
    expect(keys.filter((k) => !/^parley\.(theme|notifications)$/.test(k))).toEqual([]);
  });
});
