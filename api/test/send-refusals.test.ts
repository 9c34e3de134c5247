// A refused send stored nothing: every way sendMessage can refuse (authentication, each argument's rules, an unknown
// recipient, a reused clientMessageId, the send limit, a document refused before execution) answers with an error
// and leaves both users' history and conversations as they were (and, on PostgreSQL, the Message table). A client
// told its send failed sends it again, so an error after a commit would store the message twice.
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import {
  collect,
  gql,
  ok,
  signUp,
  startServer,
  wsClient,
  type GqlResult,
  type TestServer,
  type TestUser,
} from './support/server.ts';

const SEND = `mutation($to: ID!, $text: String!, $cid: String) {
  sendMessage(recipientId: $to, content: $text, clientMessageId: $cid) { id content }
}`;
const HISTORY = `query($with: ID!) { chatHistory(withUserId: $with, last: 100) { edges { node { id content } } } }`;
const CONVERSATIONS = `{ conversations { edges { node { id unreadCount lastMessage { id content } } } } }`;

type Result = GqlResult;
type Refusal = { name: string; code: string; argument?: string; send(): Promise<Result> };

function serverFor(env: Record<string, string>) {
  const live: { db?: TestDatabase; server?: TestServer; sender?: TestUser; recipient?: TestUser } = {};
  beforeAll(async () => {
    live.db = await createTestDatabase();
    live.server = await startServer(live.db, env);
    [live.sender, live.recipient] = [await signUp(live.server, 'sender'), await signUp(live.server, 'recipient')];
    // A conversation with something in it, so that a stray message would change its last message and counts.
    await ok(live.server, SEND, { to: live.recipient.id, text: 'before', cid: 'first' }, live.sender.token);
  });
  afterAll(async () => {
    await live.server?.close();
    await live.db?.drop();
  });
  return live as Required<typeof live>;
}

/** Everything a send changes, as both users see it (and the table itself on PostgreSQL). */
async function snapshot({ server, db, sender, recipient }: ReturnType<typeof serverFor>) {
  const [senderHistory, recipientHistory, senderInbox, recipientInbox] = await Promise.all([
    ok(server, HISTORY, { with: recipient.id }, sender.token),
    ok(server, HISTORY, { with: sender.id }, recipient.token),
    ok(server, CONVERSATIONS, {}, sender.token),
    ok(server, CONVERSATIONS, {}, recipient.token),
  ]);
  let rows: unknown = 'not on PostgreSQL';
  if (db.databaseUrl) {
    const client = new pg.Client({ connectionString: db.databaseUrl });
    await client.connect();
    rows = (await client.query('SELECT count(*)::int AS n FROM "Message"').finally(() => client.end())).rows[0].n;
  }
  return { senderHistory, recipientHistory, senderInbox, recipientInbox, rows };
}

async function expectNothingStored(live: ReturnType<typeof serverFor>, refusal: Refusal) {
  const before = await snapshot(live);
  const result = await refusal.send();
  const error = result.errors?.[0] as { extensions?: { code?: string; argument?: string } } | undefined;
  expect([refusal.name, result.data?.sendMessage ?? null, error?.extensions?.code]).toEqual([
    refusal.name,
    null,
    refusal.code,
  ]);
  if (refusal.argument) expect([refusal.name, error?.extensions?.argument]).toEqual([refusal.name, refusal.argument]);
  expect(await snapshot(live)).toEqual(before);
}

describe('with rate limits off', () => {
  const live = serverFor({});
  /** As the sender, or with `token` (null: none). */
  const send = (variables: Record<string, unknown>, token?: string | null) => () =>
    gql(
      live.server,
      SEND,
      { to: live.recipient.id, text: 'hello', ...variables },
      token === undefined ? live.sender.token : (token ?? undefined),
    );
  const bad = (name: string, argument: string, variables: Record<string, unknown>): Refusal => ({
    name,
    code: 'BAD_USER_INPUT',
    argument,
    send: send(variables),
  });

  const refusals = (): Refusal[] => [
    { name: 'no token', code: 'UNAUTHENTICATED', send: send({}, null) },
    { name: 'a forged token', code: 'UNAUTHENTICATED', send: send({}, `${live.sender.token.slice(0, -4)}AAAA`) },
    bad('recipientId not an id', 'recipientId', { to: 'nobody' }),
    bad('recipientId yourself', 'recipientId', { to: live.sender.id }),
    { name: 'an unknown recipient', code: 'NOT_FOUND', send: send({ to: '00000000-0000-4000-8000-000000000000' }) },
    bad('empty content', 'content', { text: '' }),
    bad('blank content', 'content', { text: ' \n\t ' }),
    bad('invisible content', 'content', { text: '\u200b\u2060\ufe0f' }),
    bad('content too long', 'content', { text: 'x'.repeat(4001) }),
    bad('content with NUL', 'content', { text: 'x\u0000y' }),
    // The reported case: a lone surrogate without clientMessageId was stored as U+FFFD, then refused.
    bad('content with a lone high surrogate', 'content', { text: 'x\ud800y' }),
    bad('content with a lone high surrogate and a clientMessageId', 'content', { text: 'x\ud800y', cid: 'lone-1' }),
    bad('content with a lone low surrogate', 'content', { text: '\udc00 after' }),
    bad('content with a reversed pair', 'content', { text: 'a\ude00\ud83db' }),
    bad('content ending in half a pair', 'content', { text: 'emoji \ud83d' }),
    bad('empty clientMessageId', 'clientMessageId', { cid: '' }),
    bad('clientMessageId too long', 'clientMessageId', { cid: 'c'.repeat(129) }),
    bad('clientMessageId with a control character', 'clientMessageId', { cid: 'a\nb' }),
    bad('clientMessageId with NUL', 'clientMessageId', { cid: 'a\u0000b' }),
    bad('clientMessageId with a lone surrogate', 'clientMessageId', { cid: 'id-\udbff' }),
    bad('clientMessageId reused for other content', 'clientMessageId', { cid: 'first', text: 'something else' }),
    {
      name: 'content of the wrong type',
      code: 'BAD_USER_INPUT',
      send: send({ text: 42 }),
    },
  ];

  test('each refusal answers with an error and stores nothing', async () => {
    for (const refusal of refusals()) await expectNothingStored(live, refusal);
  });

  test('clientMessageId reused for another recipient stores nothing', async () => {
    const other = await signUp(live.server, 'other');
    await expectNothingStored(live, {
      name: 'clientMessageId reused for another recipient',
      code: 'BAD_USER_INPUT',
      argument: 'clientMessageId',
      send: send({ to: other.id, text: 'before', cid: 'first' }),
    });
  });

  test('a token whose session has ended stores nothing', async () => {
    const second = (
      await ok(live.server, `mutation($u: String!) { logIn(username: $u, password: "correct horse") { token } }`, {
        u: live.sender.username,
      })
    ).logIn.token as string;
    await ok(live.server, `mutation { logOut }`, {}, second);
    await expectNothingStored(live, { name: 'a logged-out token', code: 'UNAUTHENTICATED', send: send({}, second) });
  });

  test('a document refused before execution stores nothing', async () => {
    const aliases = Array.from({ length: 20 }, (_, i) => `s${i}: sendMessage(recipientId: $to, content: "hi") { id }`);
    await expectNothingStored(live, {
      name: 'too many aliases',
      code: 'QUERY_TOO_COMPLEX',
      send: () =>
        gql(live.server, `mutation($to: ID!) { ${aliases.join(' ')} }`, { to: live.recipient.id }, live.sender.token),
    });
  });

  test('over graphql-ws too: a lone surrogate is refused, naming content, and stores nothing', async () => {
    const client = wsClient(live.server, live.sender.token);
    try {
      await expectNothingStored(live, {
        name: 'a lone surrogate over graphql-ws',
        code: 'BAD_USER_INPUT',
        argument: 'content',
        send: async () => {
          const sent = collect(client, SEND, { to: live.recipient.id, text: 'x\ud800y' });
          const [result] = await sent.waitFor(1);
          return result;
        },
      });
    } finally {
      await client.dispose();
    }
  });

  test('a retry of a stored message succeeds with the stored message (the control)', async () => {
    const retried = await gql(
      live.server,
      SEND,
      { to: live.recipient.id, text: 'before', cid: 'first' },
      live.sender.token,
    );
    expect(retried.errors).toBeUndefined();
    expect(retried.data?.sendMessage.content).toBe('before');
  });
});

describe('with rate limits on', () => {
  const live = serverFor({ RATE_LIMITS: 'on', SENDS_PER_SECOND: '1', SEND_BURST: '3' });

  test('sends refused by the limit store nothing; the others are stored once each', async () => {
    const { server, sender, recipient } = live;
    const texts = Array.from({ length: 10 }, (_, i) => `burst ${i}`);
    const results = await Promise.all(
      texts.map((text, i) => gql(server, SEND, { to: recipient.id, text, cid: `burst-${i}` }, sender.token)),
    );
    const refused = texts.filter((_, i) => results[i].errors);
    expect(refused.length).toBeGreaterThan(0);
    for (const [i, r] of results.entries()) {
      expect([texts[i], r.errors ? r.errors[0].extensions?.code : r.data?.sendMessage.content]).toEqual([
        texts[i],
        r.errors ? 'RATE_LIMITED' : texts[i],
      ]);
      if (r.errors) expect(r.data?.sendMessage ?? null).toBeNull();
    }
    const { senderHistory, recipientHistory, rows } = await snapshot(live);
    const stored = (h: any) => h.chatHistory.edges.map((e: any) => e.node.content).sort();
    const expected = ['before', ...texts.filter((t) => !refused.includes(t))].sort();
    expect(stored(senderHistory)).toEqual(expected);
    expect(stored(recipientHistory)).toEqual(expected);
    if (live.db.databaseUrl) expect(rows).toBe(expected.length);
  });
});
