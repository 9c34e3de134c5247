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
