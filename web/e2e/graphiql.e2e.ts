/**
 * GraphiQL, as a stranger meets it: /graphql opens on a welcome that fits the
 * editor at 1280, 1400 and 1920 px, one tab per operation with its variables
 * filled in and the Headers (where the token goes) shown, Docs opening on the
 * schema's description; all of it loaded from the server alone, under its CSP.
 * Then Grace walks it: signs up (filling in the empty username and password
 * she is asked for) and the page reloads with her token in the Headers of
 * every tab that needs one (kept through a reload and in a second browser
 * tab: one token for all tabs), finds Bob in People, runs
 * Live, sends from a second browser tab — it arrives in Live's result pane
 * (graphql-ws, authenticated from those Headers), and so does Bob's reply —
 * and reads the conversation in History.
 * Screenshots (1400 px): test-results/e2e/graphiql-*.png
 */
import { mkdirSync } from 'node:fs';
import { parse, type OperationDefinitionNode } from 'graphql';
import type { Browser, BrowserContext, Page, WebSocket } from 'playwright-core';
import { launchChromium } from './support/browser';
import {
  copyResult,
  editorGeometry,
  editTool,
  editorText,
  openTab,
  operationEditor,
  parseJsonc,
  run,
  resultShows,
  runUntil,
  storedTabs,
  toolEditor,
  type StoredTab,
} from './support/graphiql';
import { gql, sendMessage, signUp } from './support/graphqlApi';
import { RESULTS_DIR } from './support/paths';
import { startServer, type RunningServer } from './support/server';
import { failureReport, PASSWORD, shot, storySteps, waitFor, watchErrors } from './support/story';

const TABS = ['Welcome', 'SignUp', 'LogIn', 'People', 'History', 'Send', 'Live', 'Inbox', 'Change', 'Search'];
const WIDTHS = [1280, 1400, 1920];
const TOKEN_PLACEHOLDER = '<paste the token>';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** The second browser tab Grace sends from while Live runs in the first. */
let page2: Page | undefined;
let bob: { token: string; user: { id: string } };
let grace: { token: string; id: string };
/** Bob's id, as Grace finds it in People. */
let bobId: string;
const pageErrors: string[] = [];
const offOrigin: string[] = [];
/** graphql-ws frames the pages sent and received, parsed. */
const frames: Array<{ page: string; dir: 'sent' | 'received'; type?: string; payload?: any }> = [];
const report = failureReport(
  'graphiql',
  () => ({ page, page2 }),
  () => server?.output() ?? '',
);
const step = storySteps(async () => {
  console.warn(`graphql-ws frames: ${JSON.stringify(frames).slice(0, 2000)}\npage errors: ${pageErrors.join('\n')}`);
  await report();
});

function recordFrames(p: Page, name: string) {
  p.on('websocket', (ws: WebSocket) => {
    const record = (dir: 'sent' | 'received') => (f: { payload: string | Buffer }) => {
      try {
        frames.push({ page: name, dir, ...JSON.parse(String(f.payload)) });
      } catch {
        /* not graphql-ws JSON */
      }
    };
    ws.on('framesent', record('sent'));
    ws.on('framereceived', record('received'));
  });
}

beforeAll(async () => {
  mkdirSync(RESULTS_DIR, { recursive: true });
  server = await startServer();
  bob = await signUp(server.url, 'bob', PASSWORD, 'Bob Baker');
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  context.setDefaultTimeout(15_000);
  // Grace copies and pastes (the token, ids).
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  // Anything not served by parley itself would fail offline and behind firewalls.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(server.url) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
    offOrigin.push(url);
    return route.abort();
  });
  page = await context.newPage();
  // Console errors include what a Content-Security-Policy refuses ("Refused to …").
  watchErrors(page, 'GraphiQL', pageErrors);
  recordFrames(page, 'first');
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The Headers of the tab titled `title` (as GraphiQL keeps them) hold Grace's token: put there by her sign-up. */
async function tokenInHeaders(p: Page, title: string) {
  await waitFor(`the Headers of ${title} to hold her token`, async () => {
    const tab = (await storedTabs(p)).find((t) => t.title === title);
    return Boolean(tab?.headers?.includes(`"authorization": "Bearer ${grace.token}"`));
  });
}

/** Every stored tab that needs a token holds Grace's; SignUp and LogIn hold none. */
async function everyTabHoldsHerToken(p: Page) {
  const tabs = await storedTabs(p);
  expect(tabs.map((t) => t.title)).toEqual(TABS);
  for (const tab of tabs) {
    const needsToken = !['SignUp', 'LogIn'].includes(tab.title);
    expect({ tab: tab.title, headers: parseJsonc(tab.headers ?? '{}') }).toEqual({
      tab: tab.title,
      headers: needsToken ? { authorization: `Bearer ${grace.token}` } : {},
    });
  }
}

describe('GraphiQL at /graphql', () => {
  let tabs: StoredTab[] = [];

  step('opens on the welcome, one tab per operation, Headers shown with the token placeholder', async () => {
    const response = await page.goto(`${server.url}/graphql`);
    // Served under its Content-Security-Policy (what it refuses would show up as console errors: see the last step).
    expect(response?.headers()['content-security-policy']).toBeTruthy();
    await page.getByRole('button', { name: /Execute query/ }).waitFor();
    await page.getByText('Welcome to parley').first().waitFor();
    expect(await page.title()).toBe('parley GraphiQL');
    expect(await page.locator('.graphiql-tab-button').allInnerTexts()).toEqual(TABS);
    // The Headers editor is what the bottom pane shows, with where the token goes.
    await page.getByRole('region', { name: 'Headers' }).waitFor();
    await waitFor('Headers to show the token placeholder', async () =>
      (await editorText(toolEditor(page))).includes(`"authorization": "Bearer ${TOKEN_PLACEHOLDER}"`),
    );
    // GraphiQL stores its tabs a moment after it renders them.
    await waitFor('GraphiQL to store its tabs', async () => (await storedTabs(page)).length === TABS.length);
    tabs = await storedTabs(page);
    expect(tabs.map((t) => t.title)).toEqual(TABS);
    await shot(page, 'graphiql-welcome');
  });

  step('each tab is one operation with every variable it declares filled in, and the Headers it needs', async () => {
    for (const tab of tabs) {
      const document = parse(tab.query ?? '');
      const operations = document.definitions.filter(
        (d): d is OperationDefinitionNode => d.kind === 'OperationDefinition',
      );
      expect(operations.map((o) => o.name?.value)).toEqual([tab.title]);
      const declared = (operations[0]!.variableDefinitions ?? []).map((v) => v.variable.name.value);
      const given = tab.variables?.trim() ? Object.keys(parseJsonc(tab.variables)) : [];
      expect({ tab: tab.title, variables: given }).toEqual({ tab: tab.title, variables: declared });
      const headers = parseJsonc(tab.headers ?? '{}');
      const needsToken = !['SignUp', 'LogIn'].includes(tab.title);
      expect({ tab: tab.title, headers }).toEqual({
        tab: tab.title,
        headers: needsToken ? { authorization: `Bearer ${TOKEN_PLACEHOLDER}` } : {},
      });
    }
  });

  step('every line of every tab fits its editor at 1280, 1400 and 1920 px (nothing cut off)', async () => {
    const longest = (texts: Array<string | null>) =>
      Math.max(...texts.flatMap((t) => (t ?? '').split('\n')).map((line) => line.length));
    const queryChars = longest(tabs.map((t) => t.query));
    const toolChars = longest(tabs.flatMap((t) => [t.variables, t.headers]));
    try {
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        await new Promise((r) => setTimeout(r, 500));
        // The lines shown end inside the editor…
        const query = await editorGeometry(operationEditor(page));
        for (const line of query.lines)
          expect({ width, line: line.text, fits: line.right <= query.right }).toMatchObject({ fits: true });
        // …and so would the longest line of any tab, in the operation editor and in Variables / Headers.
        const tools = await editorGeometry(toolEditor(page));
        const fits = (g: typeof query, chars: number) => g.left + chars * g.charWidth <= g.right;
        expect({ width, queryChars, fits: fits(query, queryChars) }).toMatchObject({ fits: true });
        expect({ width, toolChars, fits: fits(tools, toolChars) }).toMatchObject({ fits: true });
        if (width !== 1400) await shot(page, `graphiql-welcome-${width}`);
      }
    } finally {
      await page.setViewportSize({ width: 1400, height: 900 });
    }
  });

  step('Docs opens on the schema description', async () => {
    const { __schema } = await gql<{ __schema: { description: string | null } }>(
      server.url,
      '{ __schema { description } }',
    );
    expect(__schema.description).toBeTruthy();
    const firstParagraph = __schema.description!.split('\n')[0]!;
    const docsButton = page.getByRole('button', { name: 'Show Documentation Explorer' });
    await docsButton.click();
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.getByText(firstParagraph.slice(0, 60)).waitFor();
    await shot(page, 'graphiql-docs');
    await page.getByRole('button', { name: 'Hide Documentation Explorer' }).click();
    await docs.waitFor({ state: 'hidden' });
  });

  step('SignUp asks for a username and a password, and signs Grace up with hers', async () => {
    await openTab(page, 'SignUp');
    // Run as it opens: the empty username is refused, saying what a username is.
    await run(page);
    expect(await resultShows(page, 'username must be 3..32 characters')).toBe(true);
    await editTool(page, 'Variables', '"username": ""', (text) =>
      text
        .replace('"username": ""', '"username": "grace"')
        .replace('"password": ""', `"password": "${PASSWORD}"`)
        .replace('"displayName": ""', '"displayName": "Grace Hopper"'),
    );
    const reloaded = page.waitForEvent('load', { timeout: 60_000 }); // sign-up hashes, then GraphiQL loads again
    await run(page);
    await shot(page, 'graphiql-signed-up');
    // The page reloads with her token kept in this browser.
    await reloaded;
    await page.getByRole('button', { name: /Execute query/ }).waitFor();
    const token = await page.evaluate(() => localStorage.getItem('parley:graphiql:token'));
    const { me } = await gql<{ me: { id: string; username: string; displayName: string } }>(
      server.url,
      '{ me { id username displayName } }',
      {},
      token!,
    );
    expect(me).toMatchObject({ username: 'grace', displayName: 'Grace Hopper' });
    grace = { token: token!, id: me.id };
  });

  step('her token is in the Headers of every tab that needs one, and still after a reload', async () => {
    await everyTabHoldsHerToken(page);
    await page.reload();
    await page.getByRole('button', { name: /Execute query/ }).waitFor();
    await everyTabHoldsHerToken(page);
    // What the open tab's Headers editor shows, too.
    await openTab(page, 'Welcome');
    await waitFor('the Headers editor to show her token', async () =>
      (await editorText(toolEditor(page))).includes(`"authorization": "Bearer ${grace.token}"`),
    );
    await run(page);
    expect((await copyResult(page)).data.me).toMatchObject({ id: grace.id, username: 'grace' });
  });

  step('People, with her token in Headers, lists Bob', async () => {
    await openTab(page, 'People');
    await tokenInHeaders(page, 'People');
    await run(page);
    const people = (await copyResult(page)).data.users.edges.map((e: any) => e.node);
    expect(people).toEqual([{ id: bob.user.id, username: 'bob', displayName: 'Bob Baker' }]);
    bobId = people[0].id;
  });

  step('Live, run with her token, receives what she sends from a second browser tab, and Bob’s reply', async () => {
    await openTab(page, 'Live');
    await tokenInHeaders(page, 'Live');
    // It goes over graphql-ws, carrying what was pasted into Headers.
    const subscribed = () =>
      frames.find(
        (f) =>
          f.page === 'first' &&
          f.dir === 'sent' &&
          f.type === 'subscribe' &&
          f.payload?.extensions?.headers?.authorization === `Bearer ${grace.token}`,
      );
    await runUntil(page, 'the subscription to be sent over graphql-ws with her token', async () =>
      Boolean(subscribed()),
    );
    expect(subscribed()?.payload?.extensions?.headers).toEqual({ authorization: `Bearer ${grace.token}` });

    // A second browser tab on GraphiQL: the same tabs and token (kept in this browser), Send with Bob's id.
    page2 = await context.newPage();
    watchErrors(page2, 'GraphiQL, second tab', pageErrors);
    recordFrames(page2, 'second');
    await page2.goto(`${server.url}/graphql`);
    await page2.getByRole('button', { name: /Execute query/ }).waitFor();
    await openTab(page2, 'Send');
    await tokenInHeaders(page2, 'Send');
    await editTool(page2, 'Variables', '"to": "<a user id>"', (text) =>
      text.replace('"<a user id>"', JSON.stringify(bobId)).replace('"Hello!"', '"Hello from GraphiQL"'),
    );
    // Sent again until Live shows it: the server delivers only what is stored after it has set the subscription up.
    await runUntil(page2, 'Live to show the message', async () => resultShows(page, 'Hello from GraphiQL'));
    await shot(page2, 'graphiql-send');
    expect((await copyResult(page2)).data.sendMessage).toMatchObject({ content: 'Hello from GraphiQL' });

    await sendMessage(server.url, bob.token, grace.id, 'Hi Grace, Bob here');
    await waitFor('Bob’s reply in Live’s result pane', () => resultShows(page, 'Hi Grace, Bob here'));
    expect(
      frames.some(
        (f) =>
          f.page === 'first' &&
          f.type === 'next' &&
          f.payload?.data?.messageAdded?.content === 'Hi Grace, Bob here' &&
          f.payload.data.messageAdded.sender.username === 'bob',
      ),
    ).toBe(true);
    await page.bringToFront();
    await shot(page, 'graphiql-subscription');
  });

  step('History, with Bob’s id, shows the conversation', async () => {
    await openTab(page2!, 'History');
    await tokenInHeaders(page2!, 'History');
    await editTool(page2!, 'Variables', '"with": "<a user id>"', (text) =>
      text.replace('"<a user id>"', JSON.stringify(bobId)),
    );
    await run(page2!);
    await shot(page2!, 'graphiql-history');
    const contents = (await copyResult(page2!)).data.chatHistory.edges.map((e: any) => e.node.content);
    expect(contents[contents.length - 1]).toBe('Hi Grace, Bob here');
    expect(contents).toContain('Hello from GraphiQL');
  });

  step('no page errors (nothing refused by the CSP) and nothing loaded from outside the server', async () => {
    expect(offOrigin).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
