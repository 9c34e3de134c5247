/**
 * Sessions you can end, in a real browser against the real server: Sam is
 * signed in on a laptop and on a phone.
 *  - "Log out" on the laptop ends that session on the server (its token is
 *    refused from then on); the phone stays signed in.
 *  - "Log out everywhere" on the laptop ends both: the laptop returns to the
 *    login screen, and so does the phone, by itself (the server closes its
 *    socket with 4403), saying why.
 * Screenshots: test-results/e2e/session-*.png
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import { gql, signUp } from './support/graphqlApi';
import { RESULTS_DIR } from './support/paths';
import { startServer, type RunningServer } from './support/server';
import {
  DESKTOP,
  failureReport,
  PASSWORD,
  PHONE,
  shot,
  storySteps,
  visibleConnection,
  watchErrors,
} from './support/story';

const EXPIRED = 'Your session has expired. Please log in again.';
const ENDED_ELSEWHERE = 'You were signed out from another device. Please log in again.';

let server: RunningServer;
let browser: Browser;
let laptop: Page;
let phone: Page;
const pageErrors: string[] = [];
const step = storySteps(
  failureReport(
    'session',
    () => ({ laptop, phone }),
    () => server?.output() ?? '',
  ),
);

const tokenOf = (page: Page) => page.evaluate(() => window.localStorage.getItem('parley.token'));

/** What the server says to `me` with this token: the user, or the error. */
async function meWith(token: string): Promise<string> {
  try {
    const data = await gql<{ me: { username: string } | null }>(server.url, '{ me { username } }', {}, token);
    return data.me?.username ?? 'null';
  } catch (error) {
    return (error as Error).message;
  }
}

async function logInInUi(page: Page) {
  await page.getByLabel('Username').fill('sam');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.locator('.me__name', { hasText: 'Sam Sato' }).waitFor();
  await visibleConnection(page).filter({ hasText: 'Live' }).waitFor();
}

beforeAll(async () => {
  mkdirSync(RESULTS_DIR, { recursive: true });
  server = await startServer();
  browser = await launchChromium();
  await signUp(server.url, 'sam', PASSWORD, 'Sam Sato');
  const laptopContext = await browser.newContext({ viewport: DESKTOP });
  const phoneContext = await browser.newContext({
    viewport: PHONE,
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });
  laptopContext.setDefaultTimeout(15_000);
  phoneContext.setDefaultTimeout(15_000);
  laptop = await laptopContext.newPage();
  phone = await phoneContext.newPage();
  watchErrors(laptop, 'laptop', pageErrors);
  watchErrors(phone, 'phone', pageErrors);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('sessions you can end', () => {
  step('Sam logs in on a laptop and on a phone', async () => {
    await Promise.all([laptop.goto(server.url), phone.goto(server.url)]);
    await logInInUi(laptop);
    await logInInUi(phone);
    expect(await tokenOf(laptop)).not.toEqual(await tokenOf(phone)); // two sessions
  });

  step('“Log out” ends the laptop’s session on the server; the phone stays signed in', async () => {
    const token = (await tokenOf(laptop))!;
    expect(await meWith(token)).toBe('sam');

    await laptop.getByRole('button', { name: 'Log out', exact: true }).click();
    await laptop.getByRole('button', { name: 'Log in' }).waitFor();
    expect(await laptop.getByText(EXPIRED).count()).toBe(0);
    expect(await tokenOf(laptop)).toBeNull();
    // The token is refused from now on: ended, not merely forgotten by the browser.
    expect(await meWith(token)).toMatch(/session has ended/i);

    expect(await meWith((await tokenOf(phone))!)).toBe('sam');
    await visibleConnection(phone).filter({ hasText: 'Live' }).waitFor();
  });

  step('“Log out everywhere” on the laptop returns both devices to the login screen', async () => {
    await logInInUi(laptop);
    const tokens = [(await tokenOf(laptop))!, (await tokenOf(phone))!];

    await laptop.getByRole('button', { name: 'More ways to log out' }).click();
    await laptop.getByRole('button', { name: 'Log out everywhere' }).waitFor();
    await shot(laptop, 'session-laptop-log-out-options');
    await laptop.getByRole('button', { name: 'Log out everywhere' }).click();

    await laptop.getByRole('button', { name: 'Log in' }).waitFor();
    expect(await laptop.getByText(EXPIRED).count()).toBe(0);
    expect(await laptop.getByText(/other devices are still signed in/).count()).toBe(0);

    // The phone did nothing: its socket was closed (4403, "Logged out") and it says why — not "expired".
    await phone.getByText(ENDED_ELSEWHERE).waitFor();
    expect(await phone.getByText(EXPIRED).count()).toBe(0);
    await phone.getByRole('button', { name: 'Log in' }).waitFor();
    expect(await tokenOf(phone)).toBeNull();
    await shot(phone, 'session-phone-ended-elsewhere');

    for (const token of tokens) expect(await meWith(token)).toMatch(/session has ended/i);
  });

  step('no uncaught errors in either page', async () => {
    const unexpected = pageErrors.filter((e) => !/WebSocket connection|Failed to load resource/.test(e));
    expect(unexpected).toEqual([]);
  });
});
