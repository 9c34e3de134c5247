/**
 * What both end-to-end stories share: steps that fail fast once an earlier
 * one failed (not skipped), screenshots, page locators and polling.
 */
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { RESULTS_DIR } from './paths';

export const PASSWORD = 'correct horse battery';
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** `it` for one step of a story; `onFailure` runs when a step fails (e.g. to take screenshots). */
export function storySteps(onFailure: () => Promise<void> = async () => undefined) {
  let brokenAt: string | null = null;
  return function step(name: string, fn: () => Promise<void>, timeout?: number) {
    it(
      name,
      async () => {
        if (brokenAt) throw new Error(`Not run: the earlier step “${brokenAt}” failed.`);
        try {
          await fn();
        } catch (error) {
          brokenAt = name;
          await onFailure().catch(() => undefined);
          throw error;
        }
      },
      timeout,
    );
  };
}

export const shot = (page: Page, name: string) => page.screenshot({ path: join(RESULTS_DIR, `${name}.png`) });
export const bubbles = (page: Page) => page.locator('[data-testid="message"]');
export const bubble = (page: Page, text: string) => bubbles(page).filter({ hasText: text });
export const composer = (page: Page) => page.getByRole('textbox', { name: /^Message / });
export const visibleConnection = (page: Page): Locator => page.locator('.connection:visible');

/** Signs up in the UI (the login page's "Sign up" tab) and waits for the signed-in shell. */
export async function signUpInUi(page: Page, username: string, displayName: string) {
  await page.getByRole('tab', { name: 'Sign up' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel(/Display name/).fill(displayName);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.locator('.me__name', { hasText: displayName }).waitFor();
}

/** Opens a conversation through people search (home is the inbox: search is how a new conversation starts). */
export async function openConversation(page: Page, search: string, displayName: string) {
  await page.getByRole('tab', { name: 'Find people' }).click();
  await page.getByLabel('Search people').fill(search);
  await page.getByRole('button', { name: `Open conversation with ${displayName}` }).click();
  await conversationShown(page);
}

/** Waits for the open conversation's transcript (or its empty state); fails at once when it could not load. */
export async function conversationShown(page: Page) {
  const loaded = page.getByRole('region', { name: 'Messages' }).or(page.getByText('No messages yet'));
  const failed = page.getByText('Could not load this conversation.', { exact: false });
  await loaded.or(failed).first().waitFor();
  if (await failed.isVisible()) throw new Error(`Conversation failed to load: ${await failed.innerText()}`);
}

/**
 * Signed in by token (the UI sign-up is covered in chat.e2e.ts), the socket live: at home, or with the conversation
 * with `peerId` open.
 */
export async function signInWithToken(page: Page, origin: string, token: string, peerId?: string) {
  await page.goto(origin);
  await page.evaluate((t) => window.localStorage.setItem('parley.token', t), token);
  if (peerId) await page.goto(`${origin}/#/chat/${peerId}`);
  await page.reload(); // a hash change alone does not start the app again
  if (peerId) await conversationShown(page);
  await visibleConnection(page).filter({ hasText: 'Live' }).waitFor();
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Collects page errors and console errors into `sink`, labelled with `who`. */
export function watchErrors(page: Page, who: string, sink: string[]) {
  page.on('pageerror', (e) => sink.push(`${who}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') sink.push(`${who} console: ${m.text()}`);
  });
}

/** A on a desktop and B on a phone, each in its own browser context; their page errors go to `errors`. */
export async function openTwoPeople(browser: Browser, errors: string[]): Promise<{ pageA: Page; pageB: Page }> {
  const contextA = await browser.newContext({ viewport: DESKTOP });
  const contextB = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  contextA.setDefaultTimeout(15_000);
  contextB.setDefaultTimeout(15_000);
  const pageA = await contextA.newPage();
  const pageB = await contextB.newPage();
  watchErrors(pageA, 'A', errors);
  watchErrors(pageB, 'B', errors);
  return { pageA, pageB };
}

/** `onFailure` for storySteps: a screenshot of each page (`<prefix>-failure-<name>`) and the end of the server's log. */
export function failureReport(
  prefix: string,
  pages: () => Record<string, Page | undefined>,
  serverOutput: () => string,
) {
  return async () => {
    for (const [name, page] of Object.entries(pages())) if (page) await shot(page, `${prefix}-failure-${name}`);
    console.warn(`Server output so far:\n${serverOutput().slice(-4000)}`);
  };
}
