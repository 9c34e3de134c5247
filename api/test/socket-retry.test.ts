// Sockets and credentials as third-party clients meet them: a graphql-ws client with its default settings
// reconnects by itself after a database outage (1013, not a fatal code); the shapes of connectionParams that
// authenticate, and the ones refused with 4400 instead of connecting anonymously; graphql-sse's client in
// single-connection mode (/graphql/stream) and in distinct-connections mode.
import { createClient as createWsClient, type Client } from 'graphql-ws';
import { createClient as createSseClient } from 'graphql-sse';
import { createSchema, createYoga } from 'graphql-yoga';
import WebSocket from 'ws';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { startPgProxy, type PgProxy } from './support/pg-proxy.ts';
import { describeWith } from './support/requirements.ts';
import type { Services } from '../src/context.ts';
import { graphqlSsePlugin } from '../src/http/sse.ts';
import {
  collect,
  connected,
  gql,
  ok,
  signUp,
  sleep,
  startServer,
  wsClient,
  type GqlResult,
  type TestServer,
  type TestUser,
} from './support/server.ts';
import { useTestServer } from './support/suite.ts';

const ME = `{ me { id } }`;
const LOG_IN = `mutation($u: String!, $p: String!) { logIn(username: $u, password: $p) { token } }`;
const SEND = `mutation($to: ID!, $text: String!, $cid: String) { sendMessage(recipientId: $to, content: $text, clientMessageId: $cid) { id cursor } }`;
const ADDED = `subscription($with: ID, $after: String) { messageAdded(withUserId: $with, after: $after) { id content } }`;

type Close = { code: number; reason: string };
const wsUrl = (server: TestServer) => server.url.replace(/^http/, 'ws') + '/graphql';

/** Polls `check` until true, or fails naming `what`. */
async function until(what: string, check: () => boolean, ms: number) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(50);
  }
}

/** One query over a socket: its result, or the error (a close event when the socket closed). */
function queryOver(client: Client, query: string): Promise<GqlResult> {
  return new Promise((resolve, reject) => {
    let result: GqlResult = {};
    client.subscribe(
      { query },
      { next: (value) => void (result = value as GqlResult), error: reject, complete: () => resolve(result) },
    );
  });
}

/** How a socket opened with these connectionParams ended up: the user `me` names, or how it was closed. */
async function connectWith(server: TestServer, connectionParams: Record<string, unknown>) {
  const socket = wsClient(server, undefined, { connectionParams });
  const closed = new Promise<Close>((resolve) => socket.on('closed', (e) => resolve(e as Close)));
  try {
    const me = await queryOver(socket, ME);
    return { me: me.data?.me?.id ?? null, errors: me.errors };
  } catch {
    const { code, reason } = await closed;
    return { closed: { code, reason } };
  } finally {
    await socket.dispose();
  }
}

describe('credentials over graphql-ws', () => {
  let server: TestServer;
  let ada: TestUser;
  useTestServer(async (suite) => {
    server = suite.server;
    ada = await signUp(server, 'ada');
  });

  const bearer = () => `Bearer ${ada.token}`;
  test.each<[string, () => Record<string, unknown>]>([
    ['{ authorization }', () => ({ authorization: bearer() })],
    ['{ Authorization }', () => ({ Authorization: bearer() })],
    ['{ headers: { authorization } }', () => ({ headers: { authorization: bearer() } })],
    ['{ headers: { Authorization } }', () => ({ headers: { Authorization: bearer() } })],
    [
      'the same value at the top and in headers',
      () => ({ authorization: bearer(), headers: { Authorization: bearer() } }),
    ],
    [
      '"bearer" in lower case, next to other headers and params',
      () => ({ headers: { 'User-Agent': 'app/1.0', authorization: `bearer ${ada.token}` }, appVersion: '1.0' }),
    ],
  ])('%s connects as the user', async (_shape, params) => {
    expect(await connectWith(server, params())).toEqual({ me: ada.id, errors: undefined });
  });

  test.each<[string, Record<string, unknown>]>([
    ['no params', {}],
    ['empty values', { authorization: '', headers: { Authorization: null }, token: null }],
    ['headers without credentials', { headers: { 'user-agent': 'app/1.0' } }],
  ])('%s connect anonymously', async (_shape, params) => {
    expect(await connectWith(server, params)).toEqual({ me: null, errors: undefined });
  });

  const SEND_THIS = 'send "authorization": "Bearer <token>"';
  test.each<[string, () => Record<string, unknown>, string]>([
    ['{ token }', () => ({ token: ada.token }), `"token" is not read: ${SEND_THIS}`],
    ['{ authToken }', () => ({ authToken: bearer() }), `"authToken" is not read: ${SEND_THIS}`],
    ['{ jwt }', () => ({ jwt: ada.token }), `"jwt" is not read: ${SEND_THIS}`],
    [
      '{ headers: { "X-Auth-Token" } }',
      () => ({ headers: { 'X-Auth-Token': ada.token } }),
      `"headers.X-Auth-Token" is not read: ${SEND_THIS}`,
    ],
    [
      '{ Authorization } without "Bearer"',
      () => ({ Authorization: ada.token }),
      '"Authorization" must be "Bearer <token>"',
    ],
    [
      '{ Authorization } with another scheme',
      () => ({ Authorization: 'Basic YWRhOmNvcnJlY3QgaG9yc2U=' }),
      '"Authorization" must be "Bearer <token>"',
    ],
    [
      '{ headers: { Authorization: <number> } }',
      () => ({ headers: { Authorization: 42 } }),
      '"headers.Authorization" must be a string: "Bearer <token>"',
    ],
    [
      '{ headers: { Authorization: [..] } }',
      () => ({ headers: { Authorization: [bearer()] } }),
      '"headers.Authorization" must be a string: "Bearer <token>"',
    ],
    [
      '{ headers: "Bearer …" }',
      () => ({ headers: bearer() }),
      '"headers" must be an object: {"authorization": "Bearer <token>"}',
    ],
    [
      'two different values',
      () => ({ authorization: bearer(), headers: { authorization: 'Bearer other' } }),
      `Two different authorization values were sent: ${SEND_THIS} once`,
    ],
  ])('%s is refused with 4400 and a reason naming what to send', async (_shape, params, reason) => {
    expect(await connectWith(server, params())).toEqual({ closed: { code: 4400, reason } });
  });

  test('a key name too long for a close reason is cut short', async () => {
    const result = await connectWith(server, { ['token'.repeat(100)]: 'x' });
    expect(result).toEqual({ closed: { code: 4400, reason: expect.stringContaining('is not read') } });
    expect(Buffer.byteLength((result as { closed: Close }).closed.reason)).toBeLessThanOrEqual(123);
  });

  test('a refused token, in either place, closes with 4403 and says why', async () => {
    for (const params of [
      { authorization: 'Bearer forged.token.value' },
      { headers: { Authorization: 'Bearer forged.token.value' } },
    ]) {
      expect(await connectWith(server, params)).toEqual({
        closed: { code: 4403, reason: 'The token is not valid: log in again.' },
      });
    }
  });

  test('the official client with its default settings does not retry 4400', async () => {
    let opened = 0;
    const failed = new Promise<Close>((resolve) => {
      createWsClient({
        url: wsUrl(server),
        webSocketImpl: WebSocket,
        connectionParams: { token: ada.token },
        lazy: false,
        on: { opened: () => void opened++ },
        onNonLazyError: (err) => resolve(err as Close),
      });
    });
    expect((await failed).code).toBe(4400);
    await sleep(1_500); // past the first retry's wait
    expect(opened).toBe(1);
  });

  test('operation headers (extensions.headers) in a shape not read fail that operation only', async () => {
    const socket = wsClient(server, ada.token);
    try {
      const refused = collect(socket, ME, {}, { headers: { token: ada.token } });
      await connected(socket, 0);
      await refused.waitFor(1);
      expect(refused.error).toEqual([
        expect.objectContaining({
          message: `"token" is not read: ${SEND_THIS}`,
          extensions: { code: 'UNAUTHENTICATED' },
        }),
      ]);
      expect((await queryOver(socket, ME)).data).toEqual({ me: { id: ada.id } });
    } finally {
      await socket.dispose();
    }
  });
});

describe('graphql-sse', () => {
  let server: TestServer;
  let alice: TestUser, bob: TestUser;
  useTestServer(async (suite) => {
    server = suite.server;
    [alice, bob] = [await signUp(server, 'alice'), await signUp(server, 'bob')];
  });

  /** Subscribes to messageAdded with graphql-sse's client; `received` resolves with the first message's content. */
  function subscribeSse(url: string, singleConnection: boolean, token: string) {
    const client = createSseClient({
      url,
      singleConnection,
      headers: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    const received = new Promise<string>((resolve, reject) => {
      client.subscribe<{ messageAdded: { content: string } }>(
        { query: ADDED, variables: { with: bob.id } },
        {
          next: (value) =>
            value.data ? resolve(value.data.messageAdded.content) : reject(new Error(JSON.stringify(value))),
          error: reject,
          complete: () => reject(new Error('completed without a message')),
        },
      );
    });
    return { client, received };
  }

  test.each([
    ['single-connection mode at /graphql/stream', '/graphql/stream', true],
    ['distinct-connections mode at /graphql/stream', '/graphql/stream', false],
    ['distinct-connections mode at /graphql', '/graphql', false],
  ] as const)('%s receives a message, with the Authorization header', async (_mode, path, singleConnection) => {
    const text = `over sse, ${_mode}`;
    const sub = subscribeSse(`${server.url}${path}`, singleConnection, alice.token);
    try {
      await sleep(500); // the subscription is live
      await ok(server, SEND, { to: alice.id, text }, bob.token);
      expect(await sub.received).toBe(text);
    } finally {
      sub.client.dispose();
    }
  });

  test('single-connection mode: a stream is reserved only by a signed-in user, and used only by that user', async () => {
    const url = `${server.url}/graphql/stream`;
    const anonymous = await fetch(url, { method: 'PUT' });
    expect(anonymous.status).toBe(401);

    const reserved = await fetch(url, { method: 'PUT', headers: { authorization: `Bearer ${alice.token}` } });
    expect(reserved.status).toBe(201);
    const token = await reserved.text();
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    // Bob, or nobody, cannot open Alice's stream nor send operations to it.
    for (const [headers, status] of [
      [{}, 401],
      [{ authorization: `Bearer ${bob.token}` }, 404],
    ] as const) {
      const open = await fetch(url, {
        headers: { ...headers, accept: 'text/event-stream', 'x-graphql-event-stream-token': token },
      });
      await open.body?.cancel();
      const post = await fetch(url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'x-graphql-event-stream-token': token },
        body: JSON.stringify({ query: ME, extensions: { operationId: '1' } }),
      });
      expect({ open: open.status, post: post.status }).toEqual({ open: status, post: status });
    }
    // A token the client names is not a reservation.
    expect(
      (
        await fetch(`${url}?token=${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`, {
          headers: { accept: 'text/event-stream' },
        })
      ).status,
    ).toBe(404);
  });

  test('single-connection mode: at most 10 streams per user; a stream closed by its client frees its place', async () => {
    const url = `${server.url}/graphql/stream`;
    const carol = await signUp(server, 'carol');
    const authorization = `Bearer ${carol.token}`;
    const tokens: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await fetch(url, { method: 'PUT', headers: { authorization } });
      expect(res.status).toBe(201);
      tokens.push(await res.text());
    }
    const over = await fetch(url, { method: 'PUT', headers: { authorization } });
    expect(over.status).toBe(429);
    expect(await over.json()).toEqual({
      errors: [expect.objectContaining({ extensions: { code: 'TOO_MANY_STREAMS' } })],
    });

    const controller = new AbortController();
    const open = await fetch(url, {
      headers: { authorization, accept: 'text/event-stream', 'x-graphql-event-stream-token': tokens[0]! },
      signal: controller.signal,
    });
    expect(open.status).toBe(200);
    controller.abort();
    let again = 0;
    for (let i = 0; i < 40 && again !== 201; i++) {
      await sleep(50);
      again = (await fetch(url, { method: 'PUT', headers: { authorization } })).status;
    }
    expect(again).toBe(201);
  });

  test('single-connection mode: a reservation nobody opens is dropped, with the operations sent to it', async () => {
    let stopped = 0;
    const schema = createSchema({
      typeDefs: `type Query { ok: Boolean } type Subscription { ticks: Int }`,
      resolvers: {
        Subscription: {
          ticks: {
            subscribe: async function* () {
              try {
                for (let i = 0; ; i++) {
                  yield { ticks: i };
                  await sleep(20);
                }
              } finally {
                stopped++;
              }
            },
          },
        },
      },
    });
    const user = { id: '00000000-0000-4000-8000-000000000001', username: 'u', displayName: 'U' };
    const services = {
      tokens: {
        verify: async (t: string) =>
          t === 'good'
            ? { userId: user.id, sessionId: user.id, expiresAt: new Date(Date.now() + 60_000) }
            : { error: 'bad' },
      },
      sessions: { viewerOf: async () => user, watch: () => ({ stop() {} }) },
    } as unknown as Services;
    const yoga = createYoga({
      schema,
      logging: false,
      plugins: [graphqlSsePlugin(services, { reservationMs: 300, maxStreamsPerUser: 1 })],
    });
    const url = 'http://localhost/graphql/stream';
    const headers = { authorization: 'Bearer good' };

    const token = await (await yoga.fetch(url, { method: 'PUT', headers })).text();
    expect((await yoga.fetch(url, { method: 'PUT', headers })).status).toBe(429);
    const sent = await yoga.fetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'x-graphql-event-stream-token': token },
      body: JSON.stringify({ query: 'subscription { ticks }', extensions: { operationId: 'a' } }),
    });
    expect(sent.status).toBe(202);

    await until('the reservation is dropped', () => stopped === 1, 3_000);
    const open = await yoga.fetch(url, {
      headers: { ...headers, accept: 'text/event-stream', 'x-graphql-event-stream-token': token },
    });
    expect(open.status).toBe(404);
    expect((await yoga.fetch(url, { method: 'PUT', headers })).status).toBe(201); // its place is free
  });
});

describeWith(['TEST_DATABASE_URL'], 'a graphql-ws client after a database outage', () => {
  let db: TestDatabase;
  let proxy: PgProxy;
  let server: TestServer;
  let alice: TestUser, bob: TestUser;

  beforeAll(async () => {
    db = await createTestDatabase();
    proxy = await startPgProxy(db.databaseUrl!);
    server = await startServer({ ...db, databaseUrl: proxy.urlFor(db.databaseUrl!) });
    [alice, bob] = [await signUp(server, 'alice'), await signUp(server, 'bob')];
  });
  afterEach(() => proxy?.acceptNew());
  afterAll(async () => {
    await server?.close();
    await proxy?.close();
    await db?.drop();
  });

  test('connecting while the database refuses connections closes with 1013; the client (default retry settings) reconnects by itself and its subscription gets what is sent afterwards', async () => {
    const from = await ok(server, SEND, { to: alice.id, text: 'before the outage' }, bob.token);
    // A session the server has never checked: the token check needs the database.
    const token = (await ok(server, LOG_IN, { u: alice.username, p: 'correct horse' })).logIn.token as string;

    proxy.refuseNew('57P03', 'the database system is not yet accepting connections');
    await proxy.killAll();
    await sleep(200); // the pool notices its closed connections
    const refusedBefore = proxy.refusals();

    const closes: number[] = [];
    let connections = 0;
    // The official client as a third party would use it: default retryAttempts (5), retryWait and shouldRetry.
    const client = createWsClient({
      url: wsUrl(server),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      on: { closed: (e) => void closes.push((e as Close).code), connected: () => void connections++ },
    });
    try {
      const live = collect(client, ADDED, { with: bob.id, after: from.sendMessage.cursor });
      await until('the first socket closes', () => closes.length > 0, 10_000);
      expect(closes).toEqual([1013]);
      expect(proxy.refusals()).toBeGreaterThan(refusedBefore); // the token check did meet the outage
      expect(connections).toBe(0);

      await sleep(1_000); // the database is back within seconds
      proxy.acceptNew();
      await until('the client reconnects by itself', () => connections > 0, 45_000);
      expect(new Set(closes)).toEqual(new Set([1013]));

      // Sent after the reconnect (retried while the server finds its database again).
      const deadline = Date.now() + 10_000;
      let sent = await gql(server, SEND, { to: alice.id, text: 'after the outage', cid: 'after-outage' }, bob.token);
      while (sent.errors && Date.now() < deadline) {
        await sleep(200);
        sent = await gql(server, SEND, { to: alice.id, text: 'after the outage', cid: 'after-outage' }, bob.token);
      }
      expect(sent.errors).toBeUndefined();
      const events = await live.waitFor(1, 10_000);
      expect(live.error).toBeUndefined();
      expect(events.map((e) => e.data?.messageAdded.content)).toEqual(['after the outage']);
    } finally {
      await client.dispose();
    }
  }, 90_000);
});
