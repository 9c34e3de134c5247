// Safe on the open internet: sessions that end, throttling, per-socket limits, input hygiene, and logs without
// secrets — each against a real server, as an attacker (or a careless client) would meet it.
import pg from 'pg';
import WebSocket from 'ws';
import { SignJWT } from 'jose';
import { createTestDatabase, usingPostgres, type TestDatabase } from './support/databases.ts';
import { describeWith } from './support/requirements.ts';
import {
  collect,
  connected,
  gql,
  ok,
  signUp,
  sleep,
  spawnServer,
  startServer,
  wsClient,
  type ServerProcess,
  type TestServer,
  type TestUser,
} from './support/server.ts';

const SECRET = 'security-test-secret-of-at-least-32-characters';
const ME = `{ me { id } }`;
const LOG_IN = `mutation($u: String!, $p: String!) { logIn(username: $u, password: $p) { token } }`;
const SIGN_UP = `mutation($u: String!, $d: String) { signUp(username: $u, password: "correct horse", displayName: $d) { token } }`;
const SEND = `mutation($to: ID!, $text: String!, $cid: String) { sendMessage(recipientId: $to, content: $text, clientMessageId: $cid) { id } }`;
const ADDED = `subscription { messageAdded { id } }`;

const codeOf = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;
const argumentOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.argument;

/** How a socket ended: resolves with the close code. */
function closedWith(socket: ReturnType<typeof wsClient>): Promise<number> {
  return new Promise((resolve) => socket.on('closed', (e) => resolve((e as { code: number }).code)));
}

async function post(server: { url: string }, body: unknown, token?: string) {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

/** A server on a database of its own for the enclosing describe block (the objects read the live ones). */
function serverForThisBlock(env: Record<string, string> = {}) {
  let db: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startServer(db, env);
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });
  return {
    server: {
      get url() {
        return server.url;
      },
    },
    db: {
      get databaseUrl() {
        return db.databaseUrl;
      },
    },
  };
}

describe('sessions', () => {
  const { server } = serverForThisBlock({ JWT_SECRET: SECRET });

  test('logOut ends only the session of its token; logOutEverywhere ends them all', async () => {
    const alice = await signUp(server, 'alice');
    const second = (await ok(server, LOG_IN, { u: alice.username, p: 'correct horse' })).logIn.token;
    const third = (await ok(server, LOG_IN, { u: alice.username, p: 'correct horse' })).logIn.token;
    expect((await ok(server, `mutation { logOut }`, {}, alice.token)).logOut).toBe(true);
    const refused = await gql(server, ME, {}, alice.token);
    expect(codeOf(refused)).toBe('UNAUTHENTICATED');
    expect(refused.errors![0].message).toMatch(/session has ended/);
    expect((await ok(server, ME, {}, second)).me.id).toBe(alice.id);

    expect((await ok(server, `mutation { logOutEverywhere }`, {}, second)).logOutEverywhere).toBe(2);
    expect(codeOf(await gql(server, ME, {}, second))).toBe('UNAUTHENTICATED');
    expect(codeOf(await gql(server, ME, {}, third))).toBe('UNAUTHENTICATED');
    expect(codeOf(await gql(server, `mutation { logOut }`))).toBe('UNAUTHENTICATED');
  });

  test('a socket is closed (4403) when its session is logged out, from another connection', async () => {
    const bob = await signUp(server, 'bob');
    const socket = wsClient(server, bob.token);
    const closed = closedWith(socket);
    await connected(socket);
    await ok(server, `mutation { logOut }`, {}, bob.token);
    expect(await closed).toBe(4403);
  });

  test('tokens without a session, or naming a session of someone else, or whose subject is not a user id, are refused', async () => {
    const [carol, dan] = [await signUp(server, 'carol'), await signUp(server, 'dan')];
    const key = new TextEncoder().encode(SECRET);
    const sign = (claims: Record<string, unknown>, sub: string) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(sub)
        .setIssuer('parley')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(key);
    const carolsSession = JSON.parse(Buffer.from(carol.token.split('.')[1], 'base64url').toString()).sid;
    for (const token of [
      await sign({}, carol.id),
      await sign({ sid: carolsSession }, dan.id),
      await sign({ sid: carolsSession }, 'not-a-uuid'),
    ]) {
      const res = await post(server, { query: ME }, token);
      expect(res.status).toBe(200);
      expect(codeOf(res.body)).toBe('UNAUTHENTICATED');
    }
  });
});

describe('a socket whose token expires', () => {
  const { server } = serverForThisBlock({ JWT_TTL: '2s' });

  test('is closed with 4403 when the token expires, and the token is refused over HTTP', async () => {
    const erin = await signUp(server, 'erin');
    const socket = wsClient(server, erin.token);
    const closed = closedWith(socket);
    const started = Date.now();
    await connected(socket, 0);
    expect(await closed).toBe(4403);
    expect(Date.now() - started).toBeLessThan(3_500);
    expect(codeOf(await gql(server, ME, {}, erin.token))).toBe('UNAUTHENTICATED');
  });
});

describeWith(['TEST_DATABASE_URL'], 'a socket whose user is deleted (PostgreSQL)', () => {
  const { server, db } = serverForThisBlock();

  test('is closed within the re-check interval, and the token refused', async () => {
    const frank = await signUp(server, 'frank');
    const socket = wsClient(server, frank.token);
    const closed = closedWith(socket);
    await connected(socket, 0);
    const client = new pg.Client({ connectionString: db.databaseUrl });
    await client.connect();
    await client.query('DELETE FROM "User" WHERE "id" = $1', [frank.id]).finally(() => client.end());
    const started = Date.now();
    expect(await closed).toBe(4403);
    expect(Date.now() - started).toBeLessThan(7_000);
    await sleep(1_100); // the per-session cache
    expect(codeOf(await gql(server, ME, {}, frank.token))).toBe('UNAUTHENTICATED');
  });
});

describe('throttling', () => {
  const { server } = serverForThisBlock({
    RATE_LIMITS: 'on',
    LOGIN_FAILURES_PER_USERNAME: '3',
    SIGNUPS_PER_IP: '6',
    SENDS_PER_SECOND: '2',
    SEND_BURST: '4',
  });
  let sender: TestUser, recipient: TestUser;
  beforeAll(async () => {
    // Before the sign-up test uses up this address's sign-ups.
    [sender, recipient] = [await signUp(server, 'hal'), await signUp(server, 'ida')];
  });

  test('password guessing is stopped per username: RATE_LIMITED with retryAfter and HTTP 429, even for the right password', async () => {
    const gina = await signUp(server, 'gina');
    for (let i = 0; i < 3; i++)
      expect(codeOf(await gql(server, LOG_IN, { u: gina.username, p: `wrong ${i}` }))).toBe('UNAUTHENTICATED');
    const refused = await post(server, {
      query: LOG_IN,
      variables: { u: gina.username.toUpperCase(), p: 'correct horse' },
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    expect(refused.body.errors[0].extensions.http).toBeUndefined();
  });

  test('sign-ups are limited per client address', async () => {
    const results = [];
    for (let i = 0; i < 6; i++) results.push(codeOf(await gql(server, SIGN_UP, { u: `flood_${Date.now()}_${i}` })));
    expect(results).toContain('RATE_LIMITED');
  });

  test('sends are limited per user (a burst, then a steady rate); a refused send succeeds later with the same clientMessageId', async () => {
    const [token, toId] = [sender.token, recipient.id];
    const codes = [];
    for (let i = 0; i < 8; i++)
      codes.push(codeOf(await gql(server, SEND, { to: toId, text: `burst ${i}`, cid: `burst-${i}` }, token)) ?? 'OK');
    expect(codes.filter((c) => c === 'OK').length).toBeGreaterThanOrEqual(2);
    expect(codes).toContain('RATE_LIMITED');
    const refusedAt = codes.indexOf('RATE_LIMITED');
    await sleep(2_100);
    expect(
      (await ok(server, SEND, { to: toId, text: `burst ${refusedAt}`, cid: `burst-${refusedAt}` }, token)).sendMessage
        .id,
    ).toBeTruthy();
  });
});

describe('limits per socket and per user', () => {
  const { server } = serverForThisBlock({
    WS_MAX_PAYLOAD: '4096',
    MAX_SUBSCRIPTIONS_PER_SOCKET: '3',
    MAX_SOCKETS_PER_USER: '2',
  });

  test('more operations at once on one socket than allowed get TOO_MANY_OPERATIONS; the others keep running', async () => {
    const jo = await signUp(server, 'jo');
    const socket = wsClient(server, jo.token);
    try {
      const subs = [0, 1, 2, 3].map(() => collect(socket, ADDED));
      await connected(socket);
      await sleep(200);
      const failed = subs.filter((s) => s.error);
      expect(failed).toHaveLength(1);
      expect(JSON.stringify(failed[0].error)).toContain('TOO_MANY_OPERATIONS');
    } finally {
      await socket.dispose();
    }
  });

  test('a user opening more sockets than allowed has the extra one closed with 4429', async () => {
    const kim = await signUp(server, 'kim');
    const sockets = [wsClient(server, kim.token), wsClient(server, kim.token)];
    try {
      await Promise.all(sockets.map((s) => connected(s, 0)));
      const third = wsClient(server, kim.token);
      sockets.push(third);
      await expect(connected(third, 0)).rejects.toMatchObject({ event: { code: 4429 } });
    } finally {
      await Promise.all(sockets.map((s) => s.dispose()));
    }
  });

  test('a WebSocket frame larger than WS_MAX_PAYLOAD closes the socket (1009)', async () => {
    const lee = await signUp(server, 'lee');
    const raw = new WebSocket(`${server.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    await new Promise((resolve) => raw.once('open', resolve));
    const code = new Promise<number>((resolve) => raw.once('close', (c) => resolve(c)));
    raw.send(
      JSON.stringify({
        type: 'connection_init',
        payload: { authorization: `Bearer ${lee.token}`, pad: 'x'.repeat(10_000) },
      }),
    );
    expect(await code).toBe(1009);
  });
});

describe('input hygiene', () => {
  const { server } = serverForThisBlock();

  test('a NUL character in any argument is BAD_USER_INPUT naming it, from variables or inline literals', async () => {
    const mo = await signUp(server, 'mo');
    const nel = await signUp(server, 'nel');
    const cases: [string, Record<string, unknown>, string, string?][] = [
      [LOG_IN, { u: 'a\u0000b', p: 'x' }, 'username'],
      [SIGN_UP, { u: 'okname', d: 'Bad\u0000Name' }, 'displayName'],
      [SEND, { to: nel.id, text: 'hi\u0000' }, 'content', mo.token],
      [`query($s: String) { users(search: $s) { edges { node { id } } } }`, { s: '\u0000' }, 'search', mo.token],
      [`{ users(search: "a\\u0000b") { edges { node { id } } } }`, {}, 'search', mo.token],
    ];
    for (const [query, variables, argument, token] of cases) {
      const res = await gql(server, query, variables, token);
      expect([query.slice(0, 40), codeOf(res), argumentOf(res)]).toEqual([
        query.slice(0, 40),
        'BAD_USER_INPUT',
        argument,
      ]);
    }
  });

  test('invisible-only content, bidi overrides in names, cursors beyond the stored range are BAD_USER_INPUT', async () => {
    const [oz, pat] = [await signUp(server, 'oz'), await signUp(server, 'pat')];
    for (const text of ['\u200b\u200b', '\u3164', '\u2060\ufeff']) {
      expect(argumentOf(await gql(server, SEND, { to: pat.id, text }, oz.token))).toBe('content');
    }
    expect(argumentOf(await gql(server, SIGN_UP, { u: `bidi_${Date.now()}`, d: 'evil\u202Egnp.exe' }))).toBe(
      'displayName',
    );
    const cursor = Buffer.from('00000000-0000-4000-8000-000000000000:9999999999').toString('base64url');
    const res = await gql(
      server,
      `query($w: ID!, $b: String) { chatHistory(withUserId: $w, before: $b) { edges { cursor } } }`,
      { w: pat.id, b: cursor },
      oz.token,
    );
    expect([codeOf(res), argumentOf(res)]).toEqual(['BAD_USER_INPUT', 'before']);
  });
});

describe('logs', () => {
  let db: TestDatabase;
  let server: ServerProcess;
  beforeAll(async () => {
    db = await createTestDatabase();
    server = await spawnServer(db);
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  test('failing operations with secrets inline leave no password, token, content or source in the log', async () => {
    const quin = await signUp(server, 'quin');
    const secrets = ['hunter2-secret-password', 'very-private-message-content', quin.token];
    await gql(
      server,
      `mutation { logIn(username: "${quin.username}", password: "hunter2-secret-password") { token } }`,
    );
    await gql(
      server,
      `mutation { sendMessage(recipientId: "00000000-0000-4000-8000-000000000000", content: "very-private-message-content") { id } }`,
      {},
      quin.token,
    );
    await gql(
      server,
      `mutation { sendMessage(recipientId: "not-an-id", content: "very-private-message-content") { id } }`,
      {},
      quin.token,
    );
    await gql(server, `mutation { logIn(username: "x", password: "hunter2-secret-password" { token } }`); // syntax error
    await gql(server, `mutation { logIn(username: "x\\u0000", password: "hunter2-secret-password") { token } }`);
    await gql(server, ME, {}, `${quin.token}x`);
    await sleep(300);
    const log = server.output();
    expect(log).toMatch(/"msg":"graphql"/); // operations were logged…
    for (const secret of secrets) expect(log).not.toContain(secret); // …without their secrets
    expect(log).not.toMatch(/GraphQL request:\d/);
  });
});

describeWith(['TEST_DATABASE_URL', 'REDIS_URL'], 'across two instances (PostgreSQL + Redis)', () => {
  let db: TestDatabase;
  let a: ServerProcess, b: ServerProcess;
  const env = () => ({
    REDIS_URL: process.env.REDIS_URL!,
    JWT_SECRET: SECRET,
    RATE_LIMITS: 'on',
    LOGIN_FAILURES_PER_USERNAME: '4',
  });
  beforeAll(async () => {
    db = await createTestDatabase();
    [a, b] = [await spawnServer(db, env()), await spawnServer(db, env())];
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await db?.drop();
  });

  test('a session ended on one instance is refused on the other within a second, and its socket there is closed', async () => {
    const rae = await signUp(a, 'rae');
    expect((await ok(b, ME, {}, rae.token)).me.id).toBe(rae.id);
    const socket = wsClient(b, rae.token);
    const closed = closedWith(socket);
    await connected(socket, 300);
    await ok(a, `mutation { logOut }`, {}, rae.token);
    expect(await closed).toBe(4403);
    await sleep(usingPostgres() ? 200 : 0);
    expect(codeOf(await gql(b, ME, {}, rae.token))).toBe('UNAUTHENTICATED');
  });

  test('log-in failures are counted across instances', async () => {
    const sam = await signUp(a, 'sam');
    for (const server of [a, b, a, b]) await gql(server, LOG_IN, { u: sam.username, p: 'wrong' });
    expect(codeOf(await gql(b, LOG_IN, { u: sam.username, p: 'correct horse' }))).toBe('RATE_LIMITED');
    expect(codeOf(await gql(a, LOG_IN, { u: sam.username, p: 'correct horse' }))).toBe('RATE_LIMITED');
  });
});
