/**
 * The web app against a server that runs only trusted documents
 * (TRUSTED_DOCUMENTS=only): two people sign up, find each other, talk live and
 * reload — and not one request or WebSocket frame carries query text: every
 * operation goes by the id codegen gave it, over HTTP and over the socket.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import { startServer, type RunningServer } from './support/server';
import {
  bubble,
  composer,
  failureReport,
  openConversation,
  openTwoPeople,
  signUpInUi,
  storySteps,
  visibleConnection,
} from './support/story';

let server: RunningServer;
let browser: Browser;
let pageA: Page;
let pageB: Page;
const pageErrors: string[] = [];
/** Every GraphQL payload the pages sent: HTTP POST bodies and graphql-ws subscribe frames. */
const sent: Array<{ via: string; payload: { query?: string; operationName?: string; extensions?: unknown } }> = [];
const step = storySteps(
  failureReport(
    'trusted-documents',
    () => ({ a: pageA, b: pageB }),
    () => server?.output() ?? '',
  ),
);

function record(page: Page) {
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/graphql' && request.method() === 'POST')
      sent.push({ via: 'http', payload: JSON.parse(request.postData() ?? '{}') });
  });
  page.on('websocket', (ws) =>
    ws.on('framesent', ({ payload }) => {
      const message = JSON.parse(String(payload)) as { type: string; payload?: (typeof sent)[number]['payload'] };
      if (message.type === 'subscribe') sent.push({ via: 'ws', payload: message.payload! });
    }),
  );
}

beforeAll(async () => {
  server = await startServer({ env: { TRUSTED_DOCUMENTS: 'only' } });
  browser = await launchChromium();
  ({ pageA, pageB } = await openTwoPeople(browser, pageErrors));
  record(pageA);
  record(pageB);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the web app on a server that runs only trusted documents', () => {
  step('the server refuses query text', async () => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe(
      'PERSISTED_QUERY_ONLY',
    );
  });

  step('both sign up in the UI and go live', async () => {
    await pageA.goto(server.url);
    await pageB.goto(server.url);
    await signUpInUi(pageA, 'tina', 'Tina Trusted');
    await signUpInUi(pageB, 'uma', 'Uma Trusted');
    await visibleConnection(pageA).filter({ hasText: 'Live' }).waitFor();
    await visibleConnection(pageB).filter({ hasText: 'Live' }).waitFor();
  });

  step('they find each other and talk live', async () => {
    await openConversation(pageA, 'uma', 'Uma Trusted');
    await composer(pageA).fill('Hello, by id');
    await composer(pageA).press('Enter');
    await openConversation(pageB, 'tina', 'Tina Trusted');
    await bubble(pageB, 'Hello, by id').waitFor({ timeout: 10_000 });
    await composer(pageB).fill('Received, by id too');
    await composer(pageB).press('Enter');
    await bubble(pageA, 'Received, by id too').waitFor({ timeout: 10_000 });
  });

  step('after a reload the conversation is there', async () => {
    await pageA.reload();
    await bubble(pageA, 'Received, by id too').waitFor({ timeout: 15_000 });
    await visibleConnection(pageA).filter({ hasText: 'Live' }).waitFor();
  });

  step('every operation went by id, over both transports, and none was refused', async () => {
    const vias = new Set(sent.map((s) => s.via));
    expect(vias).toEqual(new Set(['http', 'ws']));
    const withText = sent.filter((s) => s.payload.query);
    expect(withText).toEqual([]);
    for (const { payload } of sent)
      expect(payload.extensions).toMatchObject({ persistedQuery: { version: 1, sha256Hash: expect.any(String) } });
    expect(pageErrors.filter((e) => /PERSISTED_QUERY/.test(e))).toEqual([]);
    const operations = new Set(sent.map((s) => s.payload.operationName));
    for (const name of ['SignUp', 'SendMessage', 'MessageAdded', 'ChatHistory']) expect(operations).toContain(name);
  });
});
