/**
 * Accessibility and themes in a real browser: axe-core checks the login and
 * sign-up forms, the inbox, the people list, a conversation and the settings, light and dark,
 * on a desktop (1280×800) and a phone (390×844): no serious or critical
 * violations. Also: the theme toggle is remembered, and keyboard use (focus
 * into the composer when a chat opens, Escape back to the list, arrow keys on
 * the Log in / Sign up tabs, focus on the first invalid field).
 * Screenshots: test-results/e2e/a11y-*.png
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { seriousViolations } from './support/axe';
import { launchChromium } from './support/browser';
import { sendMessage, signUp } from './support/graphqlApi';
import { RESULTS_DIR } from './support/paths';
import { startServer, type RunningServer } from './support/server';
import {
  bubble,
  DESKTOP,
  failureReport,
  PASSWORD,
  PHONE,
  shot,
  storySteps,
  waitFor,
  watchErrors,
} from './support/story';

type Account = { token: string; user: { id: string } };

let server: RunningServer;
let browser: Browser;
let context: BrowserContext | undefined;
let page: Page | undefined;
let alice: Account;
let bob: Account;
const pageErrors: string[] = [];
const step = storySteps(
  failureReport(
    'a11y',
    () => ({ page }),
    () => server?.output() ?? '',
  ),
);

beforeAll(async () => {
  mkdirSync(RESULTS_DIR, { recursive: true });
  server = await startServer();
  browser = await launchChromium();
  alice = await signUp(server.url, 'alice', PASSWORD, 'Alice Archer');
  bob = await signUp(server.url, 'bob', PASSWORD, 'Bob Baker');
  await signUp(server.url, 'carol', PASSWORD, 'Carol Chen');
  await sendMessage(server.url, bob.token, alice.user.id, 'Hi Alice! The notes are at www.example.com/notes');
  await sendMessage(server.url, alice.token, bob.user.id, 'Thanks Bob, reading them now.');
  await sendMessage(server.url, bob.token, alice.user.id, 'Great, tell me what you think.');
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Serious and critical problems found so far in the current step, by screen. */
let problems: string[] = [];

async function check(name: string) {
  await shot(page!, name);
  for (const found of await seriousViolations(page!)) problems.push(`${name}: ${found}`);
}

async function signedIn(p: Page) {
  await p.evaluate((token) => window.localStorage.setItem('parley.token', token), alice.token);
  await p.reload();
  await p.getByRole('tab', { name: /^Chats/ }).waitFor();
  await p.locator('.connection:visible', { hasText: 'Live' }).waitFor();
}

const setups = [
  { device: 'desktop', viewport: DESKTOP, scheme: 'light' },
  { device: 'desktop', viewport: DESKTOP, scheme: 'dark' },
  { device: 'phone', viewport: PHONE, scheme: 'light' },
  { device: 'phone', viewport: PHONE, scheme: 'dark' },
] as const;

describe('accessibility (axe-core) and themes', () => {
  for (const { device, viewport, scheme } of setups) {
    const name = (what: string) => `a11y-${device}-${scheme}-${what}`;
    // Independent of each other (a context each): every combination is checked even when one fails.
    it(`${device}, ${scheme}: login, sign-up, inbox, people, a conversation and settings pass axe`, async () => {
      problems = [];
      const phone = device === 'phone';
      context = await browser.newContext({
        viewport,
        colorScheme: scheme,
        ...(phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
      });
      context.setDefaultTimeout(15_000);
      page = await context.newPage();
      watchErrors(page, `${device}-${scheme}`, pageErrors);
      try {
        await page.goto(server.url);
        await page.getByRole('tab', { name: 'Log in' }).waitFor();
        await check(name('login'));

        await page.getByRole('tab', { name: 'Sign up' }).click();
        await page.getByRole('button', { name: 'Create account' }).waitFor();
        await check(name('signup'));

        await signedIn(page);
        await page
          .getByRole('list', { name: 'Conversations' })
          .getByRole('button', { name: /^Bob Baker\b/ })
          .waitFor();
        await check(name('inbox'));

        await page.getByRole('tab', { name: 'Find people' }).click();
        await page.getByRole('button', { name: /Carol Chen/ }).waitFor();
        await check(name('people'));

        await page.getByRole('button', { name: /Bob Baker/ }).click();
        await bubble(page, 'Great, tell me what you think.').waitFor();
        await check(name('conversation'));
        // One live region for the connection state, however many badges show it.
        expect(await page.locator('[role="status"]', { hasText: 'Connection:' }).count()).toBe(1);

        // Settings (#/settings; on a phone the gear is on the inbox, so by its address), every section loaded.
        await page.evaluate(() => (window.location.hash = '#/settings'));
        await page.getByRole('heading', { name: 'Settings', level: 2 }).waitFor();
        await page.getByRole('list', { name: 'Sessions' }).waitFor();
        await page.getByText('You have not blocked anyone.').waitFor();
        await check(name('settings'));
        if (problems.length) throw new Error(`axe found serious or critical problems:\n${problems.join('\n')}`);
      } catch (error) {
        await shot(page, name('failure')).catch(() => undefined);
        throw error;
      } finally {
        await context.close();
        context = undefined;
      }
    });
  }

  step('the theme toggle overrides the system’s and is remembered', async () => {
    context = await browser.newContext({ viewport: DESKTOP, colorScheme: 'light' });
    page = await context.newPage();
    try {
      await page.goto(server.url);
      const background = () => page!.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const lightBackground = await background();
      await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
      expect(await background()).not.toBe(lightBackground);
      await page.reload();
      await page.getByRole('tab', { name: 'Log in' }).waitFor();
      expect(await page.getByRole('combobox', { name: 'Theme' }).inputValue()).toBe('dark');
      expect(await background()).not.toBe(lightBackground);
      await shot(page, 'a11y-desktop-dark-chosen-login');
      await page.getByRole('combobox', { name: 'Theme' }).selectOption('system');
      expect(await background()).toBe(lightBackground);
    } finally {
      await context.close();
      context = undefined;
    }
  });

  for (const device of ['desktop', 'phone'] as const) {
    step(`${device}: keyboard — tabs with arrow keys, focus on the first invalid field, composer, Escape`, async () => {
      const phone = device === 'phone';
      context = await browser.newContext({
        viewport: phone ? PHONE : DESKTOP,
        ...(phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
      });
      context.setDefaultTimeout(15_000);
      page = await context.newPage();
      watchErrors(page, `${device}-keyboard`, pageErrors);
      /** What has the focus: role or tag, then its label, name or peer. */
      const focused = () =>
        page!.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          if (!el) return '';
          const what = el.getAttribute('role') ?? el.tagName.toLowerCase();
          const label = el.dataset.peerId
            ? `peer ${el.dataset.peerId}`
            : (el.getAttribute('aria-label') ?? el.getAttribute('name') ?? el.textContent?.trim() ?? '');
          return `${what}:${label}`;
        });
      try {
        await page.goto(server.url);
        const logInTab = page.getByRole('tab', { name: 'Log in' });
        await logInTab.focus();
        await page.keyboard.press('ArrowRight');
        expect(await page.getByRole('tab', { name: 'Sign up' }).getAttribute('aria-selected')).toBe('true');
        expect(await focused()).toBe('tab:Sign up');
        await page.getByRole('button', { name: 'Create account' }).waitFor();
        await page.keyboard.press('ArrowLeft');
        expect(await logInTab.getAttribute('aria-selected')).toBe('true');
        expect(await focused()).toBe('tab:Log in');

        await page.getByRole('button', { name: 'Log in' }).click();
        expect(await focused()).toBe('input:username');
        await page.getByLabel('Username').fill('alice');
        await page.getByRole('button', { name: 'Log in' }).click();
        expect(await focused()).toBe('input:password');
        await shot(page, `a11y-${device}-invalid-field`);

        await signedIn(page);
        await page
          .getByRole('list', { name: 'Conversations' })
          .getByRole('button', { name: /^Bob Baker\b/ })
          .click();
        await bubble(page, 'Great, tell me what you think.').waitFor();
        await waitFor(
          'the composer to have the focus',
          async () => (await focused()) === 'textarea:null' || (await focused()).startsWith('textarea'),
        );
        await page.keyboard.press('Escape');
        await waitFor(
          'the focus to be back on Bob’s row of the inbox',
          async () => (await focused()) === `button:peer ${bob.user.id}`,
        );
        if (phone) await page.getByRole('list', { name: 'Conversations' }).waitFor();

        // The inbox's tabs follow the same pattern: the arrow keys select and focus, the panel follows.
        const chatsTab = page.getByRole('tab', { name: /^Chats\b/ });
        await chatsTab.focus();
        await page.keyboard.press('ArrowRight');
        expect(await page.getByRole('tab', { name: 'Find people' }).getAttribute('aria-selected')).toBe('true');
        expect(await focused()).toBe('tab:Find people');
        await page.getByRole('searchbox').waitFor();
        await page.keyboard.press('Home');
        expect(await chatsTab.getAttribute('aria-selected')).toBe('true');
        expect(await focused()).toMatch(/^tab:Chats/);
      } finally {
        await context.close();
        context = undefined;
      }
    });
  }

  step('no uncaught errors in the pages', async () => {
    expect(pageErrors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});
