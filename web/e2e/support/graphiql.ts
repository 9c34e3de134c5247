/**
 * Driving Yoga's GraphiQL (GraphiQL 5, Monaco editors) the way a person does:
 * tabs, the Variables and Headers editors, the Execute button, the result pane.
 */
import type { Locator, Page } from 'playwright-core';
import { waitFor } from './story';

/** A tab as GraphiQL keeps it in localStorage (`graphiql:tabState`). */
export type StoredTab = { title: string; query: string | null; variables: string | null; headers: string | null };

export const operationEditor = (page: Page) =>
  page.getByRole('region', { name: 'Operation Editor' }).locator('.monaco-editor');
/** The editor of the bottom pane that is shown (Variables or Headers, whichever is selected). */
export const toolEditor = (page: Page) =>
  page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .monaco-editor');
export const resultPane = (page: Page) => page.getByRole('region', { name: 'Result Window' });
export const executeButton = (page: Page) => page.getByRole('button', { name: /Execute query/ });

export async function openTab(page: Page, title: string) {
  await page.locator('.graphiql-tab-button', { hasText: new RegExp(`^${title}$`) }).click();
  await waitFor(
    `tab ${title} to be active`,
    async () => (await page.locator('.graphiql-tab-active .graphiql-tab-button').innerText()) === title,
  );
}

/** Shows Variables or Headers in the bottom pane. */
export async function showTool(page: Page, tool: 'Variables' | 'Headers') {
  await page.getByRole('button', { name: tool, exact: true }).click();
}

/**
 * The text of a Monaco editor as shown, line by line (Monaco reuses line elements, so they are put in order by their
 * position; only lines scrolled into view exist). Monaco shows spaces as no-break spaces.
 */
export async function editorText(editor: Locator): Promise<string> {
  return editor.evaluate((el) =>
    [...el.querySelectorAll<HTMLElement>('.view-line')]
      .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
      .map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' '))
      .join('\n'),
  );
}

/**
 * Replaces the text of a Monaco editor with a paste: select all, Ctrl+V (typing would add Monaco's auto-indentation
 * and auto-closed brackets). Needs the clipboard permissions on the page's context.
 */
export async function replaceEditorText(page: Page, editor: Locator, text: string) {
  await page.bringToFront();
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+V');
  await waitFor('the pasted text in the editor', async () => (await editorText(editor)) === text);
}

/**
 * Edits the shown Variables or Headers: `edit` gets the text shown (which must contain `expect`, the placeholder
 * being replaced) and returns the new text, which is then pasted over it.
 */
export async function editTool(
  page: Page,
  tool: 'Variables' | 'Headers',
  expected: string,
  edit: (text: string) => string,
) {
  await showTool(page, tool);
  const editor = toolEditor(page);
  let shown = '';
  await waitFor(`${tool} to show ${expected}`, async () => (shown = await editorText(editor)).includes(expected));
  await replaceEditorText(page, editor, edit(shown));
}

/** What the result pane shows, whitespace collapsed (it wraps long lines, indenting the continuation). */
export async function resultText(page: Page): Promise<string> {
  return (await editorText(resultPane(page).locator('.monaco-editor'))).replace(/\s+/g, ' ').trim();
}

/** Whether the result pane shows `text`. */
export async function resultShows(page: Page, text: string): Promise<boolean> {
  return (await resultText(page)).includes(text.replace(/\s+/g, ' '));
}

/**
 * Clicks Execute until `done`: when Monaco or the schema is not ready yet, a click does nothing, so it is clicked
 * again (only while `done` is false: each click runs the operation).
 */
export async function runUntil(page: Page, what: string, done: () => Promise<boolean>, attempts = 5) {
  for (let attempt = 0; attempt < attempts; attempt++) {
    await new Promise((r) => setTimeout(r, 500));
    await executeButton(page).click();
    try {
      await waitFor(what, done, 3_000);
      return;
    } catch {
      /* not yet: click again */
    }
  }
  throw new Error(`Timed out waiting for: ${what}`);
}

/** Runs the open tab's operation once: until the result pane shows something new. */
export async function run(page: Page) {
  const before = await resultText(page);
  await runUntil(page, 'a new result', async () => {
    const now = await resultText(page);
    return now !== '' && now !== before;
  });
}

/** The result, as a person copies it: select all in the result pane, copy, and here parsed. */
export async function copyResult(page: Page): Promise<any> {
  await page.bringToFront();
  await resultPane(page).locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+C');
  return JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
}

export async function storedTabs(page: Page): Promise<StoredTab[]> {
  const state = await page.evaluate(() => localStorage.getItem('graphiql:tabState'));
  return state ? (JSON.parse(state) as { tabs: StoredTab[] }).tabs : [];
}

/** JSON with whole-line `//` comments (GraphiQL reads its Variables and Headers as JSON with comments). */
export function parseJsonc(text: string): any {
  return JSON.parse(text.replace(/^\s*\/\/.*$/gm, ''));
}

/**
 * Where an editor shows text: `left` where its lines start, `right` where its view ends (at the vertical scrollbar),
 * `charWidth` of its (monospace) font.
 */
export async function editorGeometry(editor: Locator) {
  return editor.evaluate((el) => {
    const left = el.querySelector('.lines-content')!.getBoundingClientRect().left;
    const scrollbar = el.querySelector('.scrollbar.vertical')?.getBoundingClientRect();
    const right = scrollbar && scrollbar.width > 0 ? scrollbar.left : el.getBoundingClientRect().right;
    const spans = [...el.querySelectorAll<HTMLElement>('.view-line > span')].filter(
      (s) => (s.textContent ?? '').length >= 10,
    );
    const longest = spans.sort((a, b) => (b.textContent ?? '').length - (a.textContent ?? '').length)[0]!;
    const charWidth = longest.getBoundingClientRect().width / (longest.textContent ?? '').length;
    /** The right end of each line shown, with its text. */
    const lines = spans.map((s) => ({
      text: (s.textContent ?? '').replace(/\u00a0/g, ' '),
      right: s.getBoundingClientRect().right,
    }));
    return { left, right, charWidth, lines };
  });
}
