// Your account (issue #22): display name, password, where you are signed in. Each mutation and each refusal, through
// HTTP and graphql-ws against a real server (PGlite, or PostgreSQL with TEST_DATABASE_URL). The same effects across
// two instances: account-cluster.test.ts.
import { useTestServer } from './support/suite.ts';
import {
  collect,
  connected,
  gql,
  ok,
  signUp,
  sleep,
  startServer,
  wsClient,
  type TestServer,
  type TestUser,
} from './support/server.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';

const SEND = `mutation($to: ID!, $text: String!) { sendMessage(recipientId: $to, content: $text) { id } }`;
const LOG_IN = `mutation($u: String!, $p: String!) { logIn(username: $u, password: $p) { token } }`;
const UPDATE = `mutation($n: String!) { updateProfile(displayName: $n) { id username displayName } }`;
const CHANGE = `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`;
const SESSIONS = `query($first: Int, $after: String) { sessions(first: $first, after: $after) {
  edges { cursor node { id createdAt lastSeenAt userAgent current } } pageInfo { hasNextPage endCursor } } }`;
const LOG_OUT_SESSION = `mutation($id: ID!) { logOutSession(id: $id) }`;
const UPDATED = `subscription { conversationUpdated { id peer { id displayName } } }`;

const code = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;
const argument = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.argument;

/** A log-in with a User-Agent of its own. */
async function logInAs(server: { url: string }, username: string, password: string, userAgent: string) {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': userAgent },
    body: JSON.stringify({ query: LOG_IN, variables: { u: username, p: password } }),
  });
  const body = (await res.json()) as { data?: { logIn: { token: string } }; errors?: unknown[] };
  return body;
}

let server: TestServer;
useTestServer((s) => {
  server = s.server;
});

describe('updateProfile', () => {
  test('changes the display name with the sign-up rules; peers see it live through conversationUpdated', async () => {
    const [alice, bob] = [await signUp(server, 'alice'), await signUp(server, 'bob')];
    await ok(server, SEND, { to: bob.id, text: 'hi' }, alice.token);
    const client = wsClient(server, bob.token);
    try {
      const updates = collect(client, UPDATED);
      await connected(client);
      const { updateProfile } = await ok(server, UPDATE, { n: '  Alice   Liddell ' }, alice.token);
      expect(updateProfile).toEqual({ id: alice.id, username: alice.username, displayName: 'Alice Liddell' });
      const [event] = await updates.waitFor(1, 5_000);
      expect(event.data.conversationUpdated.peer).toEqual({ id: alice.id, displayName: 'Alice Liddell' });
      // The new name is what everyone reads from now on (within the session cache's second).
      await sleep(1_100);
      expect((await ok(server, `{ me { displayName } }`, {}, alice.token)).me.displayName).toBe('Alice Liddell');
      const inbox = await ok(server, `{ conversations { edges { node { peer { displayName } } } } }`, {}, bob.token);
      expect(inbox.conversations.edges[0].node.peer.displayName).toBe('Alice Liddell');
    } finally {
      await client.dispose();
    }
  });

  test('"" means the username; a name too long or with control or bidi characters is BAD_USER_INPUT', async () => {
    const alice = await signUp(server, 'alice');
    expect((await ok(server, UPDATE, { n: '' }, alice.token)).updateProfile.displayName).toBe(alice.username);
    for (const bad of ['x'.repeat(65), 'evil\u202Eeman', 'tab\u0007bell']) {
      const r = await gql(server, UPDATE, { n: bad }, alice.token);
      expect([code(r), argument(r)]).toEqual(['BAD_USER_INPUT', 'displayName']);
    }
    expect(code(await gql(server, UPDATE, { n: 'Anonymous' }))).toBe('UNAUTHENTICATED');
  });
});

describe('changePassword', () => {
  test('a wrong current password is UNAUTHENTICATED, a short new one BAD_USER_INPUT; nothing changes', async () => {
    const alice = await signUp(server, 'alice');
    const wrong = await gql(server, CHANGE, { c: 'not my password', n: 'a new password' }, alice.token);
    expect(code(wrong)).toBe('UNAUTHENTICATED');
    expect(wrong.errors![0].message).toBe('Wrong password.');
    const short = await gql(server, CHANGE, { c: 'correct horse', n: 'short' }, alice.token);
    expect([code(short), argument(short)]).toEqual(['BAD_USER_INPUT', 'newPassword']);
    expect((await ok(server, LOG_IN, { u: alice.username, p: 'correct horse' })).logIn.token).toBeTruthy();
  });

  test('changes it, keeps this session, ends every other one at once and closes its socket', async () => {
    const alice = await signUp(server, 'alice');
    const other = (await ok(server, LOG_IN, { u: alice.username, p: 'correct horse' })).logIn.token as string;
    const socket = wsClient(server, other);
    const closed = new Promise<{ code: number; at: number }>((resolve) =>
      socket.on('closed', (e) => resolve({ code: (e as { code: number }).code, at: Date.now() })),
    );
    try {
      await connected(socket);
      const started = Date.now();
      expect((await ok(server, CHANGE, { c: 'correct horse', n: 'battery staple' }, alice.token)).changePassword).toBe(
        true,
      );
      const { code: closeCode, at } = await closed;
      expect(closeCode).toBe(4403);
      expect(at - started).toBeLessThan(1_000);
      expect(code(await gql(server, `{ me { id } }`, {}, other))).toBe('UNAUTHENTICATED');
      expect((await ok(server, `{ me { id } }`, {}, alice.token)).me.id).toBe(alice.id);
      expect(code(await gql(server, LOG_IN, { u: alice.username, p: 'correct horse' }))).toBe('UNAUTHENTICATED');
      expect((await ok(server, LOG_IN, { u: alice.username, p: 'battery staple' })).logIn.token).toBeTruthy();
    } finally {
      await socket.dispose();
    }
  });
});

describe('sessions and logOutSession', () => {
  test('lists open sessions with their User-Agent (shortened), marks this one; logOutSession ends another', async () => {
    const alice = await signUp(server, 'alice');
    const phone = await logInAs(server, alice.username, 'correct horse', 'ParleyPhone/1.0 (iPhone)');
    const long = await logInAs(server, alice.username, 'correct horse', `Bot/${'x'.repeat(300)}`);
    const phoneToken = phone.data!.logIn.token;
    const { sessions } = await ok(server, SESSIONS, {}, phoneToken);
    const nodes = sessions.edges.map((e: { node: Record<string, unknown> }) => e.node);
    expect(nodes).toHaveLength(3);
    expect(nodes.map((n: { current: boolean }) => n.current)).toEqual([false, true, false]);
    expect(nodes[1].userAgent).toBe('ParleyPhone/1.0 (iPhone)');
    expect([...(nodes[0].userAgent as string)]).toHaveLength(200);
    expect(nodes[0].userAgent).toMatch(/^Bot\/x+…$/);
    for (const n of nodes) expect(Date.parse(n.lastSeenAt as string)).toBeGreaterThanOrEqual(Date.parse(n.createdAt));

    // Paging.
    const first = (await ok(server, SESSIONS, { first: 2 }, phoneToken)).sessions;
    expect(first.edges).toHaveLength(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = (await ok(server, SESSIONS, { first: 2, after: first.pageInfo.endCursor }, phoneToken)).sessions;
    expect(rest.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([nodes[2].id]);
    expect(code(await gql(server, SESSIONS, { after: 'bm9wZQ' }, phoneToken))).toBe('BAD_USER_INPUT');

    // Ending the long one's session from the phone.
    expect((await ok(server, LOG_OUT_SESSION, { id: nodes[0].id }, phoneToken)).logOutSession).toBe(true);
    expect(code(await gql(server, `{ me { id } }`, {}, long.data!.logIn.token))).toBe('UNAUTHENTICATED');
    expect((await ok(server, LOG_OUT_SESSION, { id: nodes[0].id }, phoneToken)).logOutSession).toBe(false);
    const left = (await ok(server, SESSIONS, {}, phoneToken)).sessions.edges.map((e: any) => e.node.id);
    expect(left).toEqual([nodes[1].id, nodes[2].id]);
  });

  test("another user's session is NOT_FOUND (and stays open); a malformed id is BAD_USER_INPUT", async () => {
    const [alice, mallory] = [await signUp(server, 'alice'), await signUp(server, 'mallory')];
    const [aliceSession] = (await ok(server, SESSIONS, {}, alice.token)).sessions.edges;
    const r = await gql(server, LOG_OUT_SESSION, { id: aliceSession.node.id }, mallory.token);
    expect(code(r)).toBe('NOT_FOUND');
    expect((await ok(server, `{ me { id } }`, {}, alice.token)).me.id).toBe(alice.id);
    const bad = await gql(server, LOG_OUT_SESSION, { id: 'not-a-uuid' }, mallory.token);
    expect([code(bad), argument(bad)]).toEqual(['BAD_USER_INPUT', 'id']);
    expect(code(await gql(server, SESSIONS, {}))).toBe('UNAUTHENTICATED');
  });
});

describe('changePassword is throttled like logIn', () => {
  let db: TestDatabase;
  let limited: TestServer;
  beforeAll(async () => {
    db = await createTestDatabase();
    limited = await startServer(db, { RATE_LIMITS: 'on', LOGIN_FAILURES_PER_USERNAME: '3' });
  });
  afterAll(async () => {
    await limited?.close();
    await db?.drop();
  });

  test('guesses sent at once: exactly 3 are checked, the rest are RATE_LIMITED, even the right one after', async () => {
    const alice: TestUser = await signUp(limited, 'alice');
    const guesses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => gql(limited, CHANGE, { c: `guess ${i}!`, n: 'a new password' }, alice.token)),
    );
    const codes = guesses.map(code).sort();
    expect(codes.filter((c) => c === 'UNAUTHENTICATED')).toHaveLength(3);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(5);
    const right = await gql(limited, CHANGE, { c: 'correct horse', n: 'a new password' }, alice.token);
    expect(code(right)).toBe('RATE_LIMITED');
    // deleteAccount confirms the password through the same limit.
    expect(code(await gql(limited, `mutation { deleteAccount(password: "correct horse") }`, {}, alice.token))).toBe(
      'RATE_LIMITED',
    );
  });
});
