/**
 * GraphiQL, as a third party meets it: the page served at /graphql loads nothing
 * from the internet, takes the token in its Headers editor, and a subscription
 * run from it receives a message sent meanwhile (graphql-ws, authenticated from
 * those headers). Screenshot: test-results/e2e/graphiql-subscription.png
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page, WebSocket } from 'playwright-core';
import { launchChromium } from './support/browser';
import { sendMessage, signUp } from './support/graphqlApi';
import { RESULTS_DIR } from './support/paths';
import { startServer, type RunningServer } from './support/server';
import { failureReport, PASSWORD, shot, storySteps, waitFor, watchErrors } from './support/story';

let server: RunningServer;
let browser: Browser;
let page: Page;
let ada: { token: string; user: { id: string } };
let bob: { token: string; user: { id: string } };
const pageErrors: string[] = [];
const offOrigin: string[] = [];
/** graphql-ws frames the page sent and received, parsed. */
const frames: Array<{ dir: 'sent' | 'received'; type?: string; payload?: any }> = [];
const report = failureReport(
  'graphiql',
  () => ({ page }),
  () => server?.output() ?? '',
);
const step = storySteps(async () => {
  console.warn(`graphql-ws frames: ${JSON.stringify(frames).slice(0, 2000)}\npage errors: ${pageErrors.join('\n')}`);
  await report();
});

beforeAll(async () => {
  mkdirSync(RESULTS_DIR, { recursive: true });
  server = await startServer();
  ada = await signUp(server.url, 'ada', PASSWORD, 'Ada Lovelace');
  bob = await signUp(server.url, 'bob', PASSWORD, 'Bob Baker');
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  context.setDefaultTimeout(15_000);
  // Anything not served by parley itself would fail offline and behind firewalls.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(server.url) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
    offOrigin.push(url);
    return route.abort();
  });
  page = await context.newPage();
  watchErrors(page, 'GraphiQL', pageErrors);
  page.on('websocket', (ws: WebSocket) => {
    const record = (dir: 'sent' | 'received') => (f: { payload: string | Buffer }) => {
      try {
        frames.push({ dir, ...JSON.parse(String(f.payload)) });
      } catch {
        /* not graphql-ws JSON */
      }
    };
    ws.on('framesent', record('sent'));
    ws.on('framereceived', record('received'));
  });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Replaces the text of a Monaco editor the way a paste would (no auto-closed brackets). */
async function replaceEditorText(editor: ReturnType<Page['locator']>, text: string) {
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

describe('GraphiQL at /graphql', () => {
  step('loads with the welcome document and nothing from outside the server', async () => {
    await page.goto(`${server.url}/graphql`);
    await page.getByRole('button', { name: /Execute query/ }).waitFor();
    await page.getByText('Welcome to parley').first().waitFor();
    expect(await page.title()).toBe('parley GraphiQL');
    expect(offOrigin).toEqual([]);
  });

  step('a subscription run from GraphiQL with the token in Headers receives a message sent meanwhile', async () => {
    await page.getByRole('button', { name: 'Headers' }).click();
    const headers = page.locator('.graphiql-editor-tool .monaco-editor').last();
    await replaceEditorText(headers, `{ "authorization": "Bearer ${bob.token}" }`);
    await replaceEditorText(
      page.getByRole('region', { name: 'Operation Editor' }).locator('.monaco-editor'),
      'subscription Live { messageAdded { content sender { username } } }',
    );
    // GraphiQL takes editor changes after a debounce; a click before that runs nothing, so click until it runs.
    const subscribed = () => frames.find((f) => f.dir === 'sent' && f.type === 'subscribe');
    for (let attempt = 0; attempt < 5 && !subscribed(); attempt++) {
      await new Promise((r) => setTimeout(r, 1_000));
      await page.getByRole('button', { name: /Execute query/ }).click();
      await waitFor('the subscription to be sent over graphql-ws', async () => Boolean(subscribed()), 2_000).catch(
        () => undefined,
      );
    }
    // It went over graphql-ws, carrying what was typed in Headers.
    expect(subscribed()?.payload?.extensions?.headers).toEqual({ authorization: `Bearer ${bob.token}` });

    // A message sent now shows up in the result pane (sent again until the
    // server has set the subscription up: it only delivers what comes after).
    const result = page.getByRole('region', { name: 'Result Window' });
    // Monaco renders spaces as no-break spaces.
    const resultText = async () => (await result.innerText()).replace(/\u00a0/g, ' ');
    let n = 0;
    await waitFor('the message to appear in GraphiQL’s result pane', async () => {
      if ((await resultText()).includes('Hello GraphiQL')) return true;
      await sendMessage(server.url, ada.token, bob.user.id, `Hello GraphiQL ${++n}`);
      await new Promise((r) => setTimeout(r, 400));
      return (await resultText()).includes('Hello GraphiQL');
    });
    const text = await resultText();
    expect(text).toContain('"username": "ada"');
    expect(
      frames.some(
        (f) => f.dir === 'received' && f.type === 'next' && f.payload?.data?.messageAdded?.sender?.username === 'ada',
      ),
    ).toBe(true);
    await shot(page, 'graphiql-subscription');
  });

  step('no page errors and nothing loaded from outside the server', async () => {
    expect(offOrigin).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
