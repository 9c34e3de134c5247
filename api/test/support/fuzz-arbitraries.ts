// The fuzz suite's generators, transports and invariants, shared by test/fuzz.test.ts (a short seeded run) and
// scripts/fuzz.ts (the long run).
//
// Operations are built from schema.graphql, the contract: every root field with every argument (as a variable, a
// literal, omitted, of the wrong type), with random selection sets, so a field added to the schema is fuzzed
// without touching this file. Values are hostile (NUL, lone surrogates, bidi controls, zero-width, 4-byte emoji,
// very long strings, huge and negative numbers, floats for Int, nulls, wrong types, garbage and foreign cursors);
// tokens are garbage or forged (alg none, another secret, expired, someone else's session). They go over HTTP
// (POST JSON, GET, malformed bodies, odd content types, SSE) and graphql-ws (generated connection params, subscribe
// messages and malformed frames).
//
// Invariants, checked on every response: no HTTP 5xx, every GraphQL error has an `extensions.code` and none is
// INTERNAL_SERVER_ERROR, no stack trace, no abnormal WebSocket close (1006, 1011, 4500); and no response to anyone but
// A and B ever contains their conversation: its contents (all start with a secret prefix), its message ids, its
// conversation id, or an id-bearing cursor of it — unless the request itself carried that id.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import type { GqlResult, ServerProcess, TestUser } from './server.ts';

// ─── the contract ────────────────────────────────────────────────────────────────────────────────────────────────

export const SCHEMA_FILE = fileURLToPath(new URL('../../../schema.graphql', import.meta.url));

export function loadSchema(file = SCHEMA_FILE): GraphQLSchema {
  return buildSchema(readFileSync(file, 'utf8'));
}

export type OperationKind = 'query' | 'mutation' | 'subscription';

/** Root fields of one kind, as the schema declares them. */
export function rootFields(schema: GraphQLSchema, kind: OperationKind): GraphQLField<unknown, unknown>[] {
  const root = {
    query: schema.getQueryType(),
    mutation: schema.getMutationType(),
    subscription: schema.getSubscriptionType(),
  }[kind];
  return root ? Object.values(root.getFields()) : [];
}

// ─── the world: three users, a private conversation, forged tokens ─────────────────────────────────────────────

export type UserName = 'A' | 'B' | 'C';

/** Who a request claims to be. Only `user` A and B, and `raw` headers carrying their tokens, are insiders. */
export type Actor =
  | { kind: 'user'; name: UserName }
  | { kind: 'none' }
  | { kind: 'forged'; name: string }
  | { kind: 'raw'; header: string; user?: UserName; scheme?: string };

export type FuzzWorld = {
  url: string;
  schema: GraphQLSchema;
  users: Record<UserName, TestUser>;
  /** Every message content between A and B starts with this. */
  secret: string;
  /** A and B's message ids, their conversation id and its base64url (the id-bearing prefix of their cursors). */
  privateIds: Set<string>;
  /** Pools for generated values. */
  ids: string[];
  cursors: string[];
  conversationIds: string[];
  usernames: string[];
  /** Label → forged token (none of them may authenticate). */
  forged: Record<string, string>;
  authorization(actor: Actor): string | undefined;
  isOutsider(actor: Actor): boolean;
  /** A and B talk: a secret message A → B, B types and reads. Subscribers that leak would see it. */
  activity(): Promise<void>;
  /** After an operation that may have logged someone out: signs the users whose token is refused in again, in the
   * background (a log-in costs an argon2 hash); meanwhile their operations are refused, which is fuzzing too. */
  heal(): void;
  /** Resolves once no heal() is running. */
  settled(): Promise<void>;
};

const PASSWORD = 'correct horse';
/** The world's users' own password: one the generators never produce, so a fuzzed changePassword or deleteAccount
 * can never take A, B or C away from the properties (fuzzed users, signed up with PASSWORD, can lose theirs). */
const WORLD_PASSWORD = `world horse ${randomBytes(6).toString('hex')}`;

// Own minimal client (not server.ts's, which loads the server's sources): scripts/fuzz.ts runs against the build.
async function gql(
  server: { url: string },
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GqlResult> {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GqlResult;
}

async function signUp(server: { url: string }, prefix: string): Promise<TestUser> {
  const username = `${prefix}_${randomBytes(4).toString('hex')}`;
  const query = `mutation($u: String!, $p: String!) { signUp(username: $u, password: $p) { token user { id } } }`;
  const r = await gql(server, query, { u: username, p: WORLD_PASSWORD });
  if (!r.data?.signUp) throw new Error(`signUp failed: ${JSON.stringify(r.errors)}`);
  return { id: r.data.signUp.user.id, username, token: r.data.signUp.token };
}
const b64url = (s: string | Buffer) => Buffer.from(s).toString('base64url');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const SEND = `mutation($to: ID!, $text: String!, $cid: String) {
  sendMessage(recipientId: $to, content: $text, clientMessageId: $cid) { id cursor }
}`;

export async function createWorld(server: { url: string }, dataDir: string, schema = loadSchema()): Promise<FuzzWorld> {
  const [a, b, c] = [await signUp(server, 'fz_a'), await signUp(server, 'fz_b'), await signUp(server, 'fz_c')];
  const users: Record<UserName, TestUser> = { A: a, B: b, C: c };
  const secret = `S3CR3T${randomBytes(6).toString('hex')}`;
  const privateIds = new Set<string>();

  /** As `who`, signing in again once if the token was refused (a fuzzed logOut). Throws on other errors. */
  const as = async (who: UserName, query: string, variables: Record<string, unknown> = {}) => {
    let result = await gql(server, query, variables, users[who].token);
    if (result.errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) {
      await relogIn(who);
      result = await gql(server, query, variables, users[who].token);
    }
    if (result.errors?.some((e) => e.extensions?.code === 'FORBIDDEN' && /can't message/.test(e.message))) {
      await unblockAll(); // a fuzzed blockUser between the world's users
      result = await gql(server, query, variables, users[who].token);
    }
    if (result.errors?.length) throw new Error(`${who}: ${query}: ${JSON.stringify(result.errors)}`);
    return result.data;
  };
  const unblockAll = async () => {
    for (const who of ['A', 'B', 'C'] as const) {
      for (const other of ['A', 'B', 'C'] as const) {
        if (other === who) continue;
        await gql(server, `mutation($u: ID!) { unblockUser(userId: $u) }`, { u: users[other].id }, users[who].token);
      }
    }
  };
  const relogIn = async (who: UserName) => {
    const r = await gql(server, `mutation($u: String!, $p: String!) { logIn(username: $u, password: $p) { token } }`, {
      u: users[who].username,
      p: WORLD_PASSWORD,
    });
    if (r.data?.logIn?.token) users[who].token = r.data.logIn.token;
  };
  let sent = 0;
  let healing: Promise<void> | null = null;
  const sendSecret = async () => {
    const m = (await as('A', SEND, { to: b.id, text: `${secret} #${++sent} 🤫`, cid: `fz-${randomUUID()}` }))
      .sendMessage;
    privateIds.add(m.id);
  };

  // The private conversation, and a conversation of C's own (which C may of course see).
  for (let i = 0; i < 3; i++) await sendSecret();
  privateIds.add((await as('B', SEND, { to: a.id, text: `${secret} reply` })).sendMessage.id);
  await as('B', `mutation($s: ID!) { markRead(senderId: $s) { count } }`, { s: a.id });
  const toC = (await as('A', SEND, { to: c.id, text: 'hello C' })).sendMessage;
  await as('C', SEND, { to: a.id, text: 'hello A' });

  const HISTORY = `query($w: ID!) { chatHistory(withUserId: $w) { edges { cursor node { id } } } conversation(withUserId: $w) { id } }`;
  const ab = await as('A', HISTORY, { w: b.id });
  const ac = await as('C', HISTORY, { w: a.id });
  const abConversation: string = ab.conversation.id;
  privateIds.add(abConversation);
  privateIds.add(b64url(abConversation)); // the first 48 characters of every cursor of theirs
  for (const e of ab.chatHistory.edges) privateIds.add(e.node.id);
  const listCursors = async (who: UserName) => {
    const d = await as(who, `{ conversations { edges { cursor } } users(first: 3) { edges { cursor } } }`);
    return [...d.conversations.edges, ...d.users.edges].map((e: { cursor: string }) => e.cursor);
  };

  // The server's own secret (JWT_SECRET, or the one it generated in DATA_DIR), to sign tokens with claims it must refuse.
  const jwtSecret = new TextEncoder().encode(
    process.env.JWT_SECRET || (await readFile(path.join(dataDir, 'jwt-secret'), 'utf8')).trim(),
  );
  const forged = await forgeTokens(users, jwtSecret);

  const world: FuzzWorld = {
    url: server.url,
    schema,
    users,
    secret,
    privateIds,
    ids: [a.id, b.id, c.id, ...[...privateIds].filter((id) => UUID.test(id)), toC.id, ac.conversation.id],
    cursors: [
      ...ab.chatHistory.edges.map((e: { cursor: string }) => e.cursor),
      ...ac.chatHistory.edges.map((e: { cursor: string }) => e.cursor),
      ...(await listCursors('A')),
      ...(await listCursors('C')),
    ],
    conversationIds: [abConversation, ac.conversation.id],
    usernames: [a.username, b.username, c.username],
    forged,
    authorization(actor) {
      switch (actor.kind) {
        case 'user':
          return `Bearer ${users[actor.name].token}`;
        case 'none':
          return undefined;
        case 'forged':
          return `Bearer ${forged[actor.name]}`;
        case 'raw':
          return actor.user ? `${actor.scheme ?? 'Bearer'} ${users[actor.user].token}` : actor.header;
      }
    },
    isOutsider(actor) {
      const user = actor.kind === 'user' ? actor.name : actor.kind === 'raw' ? actor.user : undefined;
      return user !== 'A' && user !== 'B';
    },
    async activity() {
      await sendSecret();
      await as('B', `mutation($w: ID!) { setTyping(withUserId: $w, typing: true) }`, { w: a.id });
      await as('B', `mutation($s: ID!) { markRead(senderId: $s) { count } }`, { s: a.id });
    },
    heal() {
      healing ??= (async () => {
        for (const who of ['A', 'B', 'C'] as const) {
          const r = await gql(server, `{ me { id } }`, {}, users[who].token);
          if (r.errors?.length || !r.data?.me) await relogIn(who);
        }
      })()
        .catch(() => {}) // the server is gone: the property that runs next says so
        .finally(() => (healing = null));
    },
    settled: async () => void (await healing),
  };
  return world;
}

/** Tokens that must never authenticate anyone. Those signed with the server's own secret are refused for their
 * claims (expired, unknown or someone else's session, wrong issuer or algorithm). */
async function forgeTokens(
  users: Record<UserName, TestUser>,
  serverSecret: Uint8Array,
): Promise<Record<string, string>> {
  const claimsOf = (token: string) =>
    JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sub: string; sid: string };
  const a = claimsOf(users.A.token);
  const c = claimsOf(users.C.token);
  const otherSecret = randomBytes(48);
  const inAnHour = Math.floor(Date.now() / 1000) + 3600;
  const sign = (claims: Record<string, unknown>, key: Uint8Array, alg = 'HS256', iss = 'parley', exp = inAnHour) =>
    new SignJWT(claims).setProtectedHeader({ alg }).setIssuer(iss).setIssuedAt().setExpirationTime(exp).sign(key);
  const unsigned = (header: object, claims: object) =>
    `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify({ iss: 'parley', exp: inAnHour, ...claims }))}.`;
  const [header, , signature] = users.A.token.split('.');
  return {
    'alg-none': unsigned({ alg: 'none', typ: 'JWT' }, a),
    'alg-none-no-dot': unsigned({ alg: 'none' }, a).slice(0, -1),
    'alg-None': unsigned({ alg: 'None' }, a),
    'alg-none-with-signature': unsigned({ alg: 'none' }, a) + signature,
    'other-secret': await sign(a, otherSecret),
    'empty-secret-hs256': await sign(a, new Uint8Array(1)),
    expired: await sign(a, serverSecret, 'HS256', 'parley', Math.floor(Date.now() / 1000) - 60),
    'expired-long-ago': await sign(a, serverSecret, 'HS256', 'parley', 1),
    'wrong-issuer': await sign(a, serverSecret, 'HS256', 'evil'),
    hs512: await sign(a, serverSecret, 'HS512'),
    'someone-elses-session': await sign({ sub: c.sub, sid: a.sid }, serverSecret),
    'session-of-c-for-a': await sign({ sub: a.sub, sid: c.sid }, serverSecret),
    'unknown-session': await sign({ sub: a.sub, sid: randomUUID() }, serverSecret),
    'unknown-user': await sign({ sub: randomUUID(), sid: a.sid }, serverSecret),
    'no-session': await sign({ sub: a.sub }, serverSecret),
    'sub-not-a-uuid': await sign({ sub: 'admin', sid: a.sid }, serverSecret),
    'sid-not-a-uuid': await sign({ sub: a.sub, sid: "' OR 1=1 --" }, serverSecret),
    'sub-sql': await sign({ sub: `${a.sub}' OR '1'='1`, sid: a.sid }, serverSecret),
    'sub-number': await sign({ sub: 42, sid: a.sid } as Record<string, unknown>, serverSecret).catch(() => 'x.y.z'),
    'payload-swapped': `${header}.${b64url(JSON.stringify({ ...a, sub: users.B.id }))}.${signature}`,
    'header-only': `${header}..`,
    truncated: users.A.token.slice(0, -2),
    'extra-segment': `${users.A.token}.AAAA`,
    'bad-base64': `${header}.%%%.${signature}`,
    'json-garbage': `${b64url('{"alg":')}.${b64url('[')}.${signature}`,
    huge: `${header}.${b64url('{"a":"' + 'x'.repeat(20_000) + '"}')}.${signature}`,
  };
}

// ─── values ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** `arb` one time in `n`, null otherwise (shrinking towards null). */
const oneIn = <T>(n: number, arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  n === Infinity
    ? fc.constant(null)
    : fc.oneof({ weight: n - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });

/** Leave the argument out (of the document, or of the variables). */
export const OMIT = Symbol('omit');

const SPECIAL = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\udfff\ud800',
  '\u202e',
  '\u202d',
  '\u2066',
  '\u2069',
  '\u061c',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u00ad',
  '\u180e',
  '\u3164',
  '\u115f',
  '\u2800',
  '\ufe0f',
  '\u{e0100}',
  '\u{e0001}',
  '😀',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈',
  '\u{10ffff}',
  '\u{1f600}\u{1f3fb}',
  'e\u0301',
  '\r\n',
  '\n',
  '\t',
  '\u000b',
  '\u2028',
  '\u2029',
  '\u0085',
  '\u001b[31m',
  '\u007f',
  ' ',
  '\u00a0',
  '\u3000',
  '%',
  '_',
  '\\',
  "'",
  '"',
  '`',
  '$',
  '{',
  '}',
  '|',
  ':',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '"; DROP TABLE "User"; --',
  '${7*7}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'NaN',
  'İ',
  'ß',
  'ﬀ',
  'Ǆ',
  '\ufffd',
  '\ufffe',
  '\uffff',
];

const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SPECIAL) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 3 }) },
);

/** Strings across Unicode: controls, lone surrogates, bidi, zero-width, emoji, injection-looking text. */
export const hostileString: fc.Arbitrary<string> = fc.array(piece, { maxLength: 10 }).map((parts) => parts.join(''));

/** Around the length limits (content 4000 code points, clientMessageId 128, search 100) and far beyond. */
export const longString: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('a', '😀', ' ', '\u200b', 'e\u0301', '\ud800', '%', '\u0000', 'ab'),
    fc.constantFrom(33, 65, 100, 101, 128, 129, 3999, 4000, 4001, 8000, 30_000, 120_000),
    fc.boolean(),
  )
  .map(([unit, n, framed]) => (framed ? `x${unit.repeat(n - 2)}x` : unit.repeat(n)));

const plausibleString = (w: { usernames: string[] }) =>
  fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9._-]{3,32}$/),
    fc.constantFrom(PASSWORD, 'correct horse battery', ...w.usernames, ...w.usernames.map((u) => u.toUpperCase())),
    fc.uuid(),
    fc.string({ minLength: 8, maxLength: 20 }),
  );

const isoish = fc.oneof(
  fc
    .date({ min: new Date(0), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 999 }),
    )
    .map(([y, mo, d, h, mi, s, ms]) => {
      const p = (n: number, w = 2) => String(n).padStart(w, '0');
      return `${p(y, 4)}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(s)}.${p(ms, 3)}Z`;
    }),
  fc.constantFrom(
    '0000-01-01T00:00:00.000Z',
    '9999-12-31T23:59:59.999Z',
    '1970-01-01T00:00:00.000Z',
    '2020-02-30T00:00:00.000Z',
  ),
);

const seqish = fc.oneof(
  fc.nat(12).map(String),
  fc.nat().map(String),
  fc.constantFrom(
    '0',
    '-1',
    '2147483647',
    '2147483648',
    '4294967296',
    '9999999999',
    '99999999999',
    '0000000001',
    '1e3',
    '1.5',
    '',
  ),
);

const uuidish = (w: { conversationIds: string[]; ids: string[] }) =>
  fc.oneof(
    fc.constantFrom(...w.conversationIds),
    fc.constantFrom(...w.ids),
    fc.uuid(),
    fc.stringMatching(/^[0-9a-f-]{36}$/),
    fc.constantFrom(
      '------------------------------------',
      '00000000-0000-0000-0000-000000000000',
      'ffffffffffffffffffffffffffffffffffff',
    ),
  );

/** Cursors: real ones of every list (so one list's cursor reaches another), truncated ones, and forgeries of each
 * list's format (`<conversation>:<seq>`, `k|<time>|<id>`, `u:<username>`), random base64url and plain garbage. */
export function cursorArb(w: FuzzWorld): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...w.cursors) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...w.cursors), fc.nat(), fc.constantFrom('', 'A', '=', '+', '/', '.', '\u0000'))
        .map(([c, i, ch]) => c.slice(0, i % (c.length + 1)) + ch + c.slice((i % (c.length + 1)) + 1)),
    },
    {
      // Classic forgeries of each format: out-of-range positions, NUL, year 0, ids that are not UUIDs.
      weight: 3,
      arbitrary: fc.constantFrom(
        b64url('uuid:99999999999'),
        ...w.conversationIds.flatMap((id) =>
          [`${id}:0`, `${id}:-1`, `${id}:2147483648`, `${id}:99999999999`].map(b64url),
        ),
        b64url('u:\u0000'),
        b64url('u:a\u0000'),
        b64url('u:%'),
        b64url('u:\\'),
        b64url(`k|0000-01-01T00:00:00.000Z|${w.conversationIds[0]}`),
        b64url('k|2020-01-01T00:00:00.000Z|------------------------------------'),
        b64url(`k|2020-01-01T00:00:00.000Z|${w.conversationIds[0].toUpperCase()}`),
        b64url(`k|9999-12-31T23:59:59.999Z|ffffffff-ffff-ffff-ffff-ffffffffffff`),
      ),
    },
    { weight: 3, arbitrary: fc.tuple(uuidish(w), seqish).map(([id, n]) => b64url(`${id}:${n}`)) },
    { weight: 3, arbitrary: fc.tuple(isoish, uuidish(w)).map(([at, id]) => b64url(`k|${at}|${id}`)) },
    { weight: 3, arbitrary: fc.oneof(hostileString, plausibleString(w)).map((s) => b64url(`u:${s}`)) },
    { weight: 1, arbitrary: hostileString.map((s) => b64url(s)) },
    { weight: 1, arbitrary: fc.base64String({ maxLength: 64 }) },
    { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{0,80}$/) },
    { weight: 1, arbitrary: hostileString },
  );
}

const intValue = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -2, max: 102 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      0,
      -1,
      1,
      100,
      101,
      2 ** 31 - 1,
      -(2 ** 31),
      2 ** 31,
      -(2 ** 31) - 1,
      2 ** 53,
      Number.MAX_SAFE_INTEGER + 2,
      1e300,
      -1e300,
      0.5,
      1.5,
      99.99999,
      5e-324,
      -0,
    ),
  },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
);

const idValue = (w: FuzzWorld) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...w.ids) },
    { weight: 1, arbitrary: fc.constantFrom(...w.ids).map((id) => id.toUpperCase()) },
    { weight: 1, arbitrary: fc.constantFrom(...w.ids).map((id) => ` ${id}\u200b`) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: uuidish(w) },
    { weight: 1, arbitrary: fc.integer() },
    { weight: 1, arbitrary: hostileString },
    { weight: 1, arbitrary: fc.constantFrom(...w.cursors) },
  );

const wrongTypeValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom<unknown>([], {}, [null], '', 0, true, 'true', '1', [1, 2], { id: 1 }, [[[]]], { __proto__: 1 }),
);

/** Arguments that take a cursor, by name. */
const CURSORISH = /^(after|before)$|cursor/i;

function stringValue(w: FuzzWorld, argName: string): fc.Arbitrary<string> {
  const cursorish = CURSORISH.test(argName);
  return fc.oneof(
    { weight: cursorish ? 6 : 1, arbitrary: cursorArb(w) },
    { weight: cursorish ? 1 : 6, arbitrary: hostileString },
    { weight: 2, arbitrary: plausibleString(w) },
    { weight: 1, arbitrary: longString },
    { weight: 1, arbitrary: fc.constantFrom(...w.ids) },
  );
}

/** A value of the argument's own type (for a scalar, often a hostile one). */
/** `strict`: a value GraphQL's coercion accepts (32-bit Int, an enum value, …), so the resolver runs. */
function typedValue(
  w: FuzzWorld,
  type: GraphQLInputType,
  argName: string,
  depth = 0,
  strict = false,
): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return typedValue(w, type.ofType, argName, depth, strict);
  if (isListType(type)) {
    const item = typedValue(w, type.ofType, argName, depth + 1, strict);
    return fc.oneof(fc.array(item, { maxLength: 3 }), item); // a single value coerces to a list
  }
  if (isEnumType(type)) {
    const values = fc.constantFrom(...type.getValues().map((v) => v.name));
    return strict ? values : fc.oneof(values, hostileString);
  }
  if (isInputObjectType(type)) {
    if (depth > 3) return fc.constant(null);
    const fields = Object.values(type.getFields());
    return fc.record(
      Object.fromEntries(fields.map((f) => [f.name, typedValue(w, f.type, f.name, depth + 1, strict)])),
      { requiredKeys: strict ? fields.filter((f) => isNonNullType(f.type)).map((f) => f.name) : [] },
    );
  }
  switch (type.name) {
    case 'Int':
      return strict
        ? fc.oneof(
            { weight: 6, arbitrary: fc.integer({ min: 1, max: 100 }) },
            { weight: 1, arbitrary: fc.integer({ min: -2, max: 102 }) },
            { weight: 1, arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) },
          )
        : intValue;
    case 'Float':
      return strict ? fc.double({ noNaN: true, noDefaultInfinity: true }) : fc.oneof(fc.double(), intValue);
    case 'Boolean':
      return fc.boolean();
    case 'ID':
      return strict
        ? fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...w.ids) }, { weight: 1, arbitrary: idValue(w) })
        : idValue(w);
    case 'String':
      return strict && CURSORISH.test(argName) ? cursorArb(w) : stringValue(w, argName);
    default: // custom scalars (DateTime, …)
      return fc.oneof(isoish, hostileString, intValue);
  }
}

/** Any value for an argument: of its type, null, left out, or of another type. */
function argValue(w: FuzzWorld, arg: GraphQLArgument): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 14, arbitrary: typedValue(w, arg.type, arg.name) },
    { weight: 2, arbitrary: fc.constant(null) },
    { weight: 2, arbitrary: fc.constant(OMIT) },
    { weight: 2, arbitrary: wrongTypeValue },
  );
}

// ─── documents ──────────────────────────────────────────────────────────────────────────────────────────────────

/** A value as a GraphQL literal (strings escaped as JSON, which GraphQL's string syntax accepts). */
export function literal(value: unknown, type?: GraphQLInputType): string {
  const named = type ? getNamedType(type) : undefined;
  if (value === null || value === undefined || value === OMIT) return 'null';
  if (typeof value === 'string') {
    if (named && isEnumType(named) && named.getValue(value)) return value;
    return JSON.stringify(value);
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const item =
      type && isListType(getNullableType(type))
        ? (getNullableType(type) as { ofType: GraphQLInputType }).ofType
        : undefined;
    return `[${value.map((v) => literal(v, item)).join(', ')}]`;
  }
  const fields = named && isInputObjectType(named) ? named.getFields() : {};
  const entries = Object.entries(value as Record<string, unknown>).filter(([k]) => /^[_A-Za-z][_0-9A-Za-z]*$/.test(k));
  return `{${entries.map(([k, v]) => `${k}: ${literal(v, fields[k]?.type)}`).join(', ')}}`;
}

/** Literals the parser must refuse (each a GRAPHQL_PARSE_FAILED), and odd but valid ones. */
const rawLiteral = fc.constantFrom(
  '1.',
  '.5',
  '0x10',
  '00',
  '-',
  '1_000',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e999',
  '99999999999999999999999',
  '$undefinedVariable',
  '"unterminated',
  '"""',
  '"""block \\""" string"""',
  '"""\u0000"""',
  '{',
  '[',
  '[[[[[[[[[[]]]]]]]]]]',
  'true false',
  '@skip',
  '"\\u{D800}"',
  '"\\uD800"',
  '"\\uDC00\\uD800"',
  '"\\x00"',
  '"\\u0000"',
  '"\\u202e\\u200b"',
  'ENUM_VALUE',
  '{a: 1, a: 2}',
  '""',
);

export type Operation = {
  kind: OperationKind;
  /** The root fields it selects (for reports, and to know when someone may have logged out). */
  fields: string[];
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
};

const MAX_DEPTH = 6;
/** Relative weights of root fields: those that hash a password (argon2: up to a second on a busy machine) and those
 * that end sessions (which then need a new log-in) are generated less often than the rest. */
const fieldWeight = (name: string) =>
  /^(signUp|logIn|changePassword|deleteAccount)$/.test(name) ? 1 : /^logOut/.test(name) ? 2 : 6;

/** Arbitraries built once per world and type (building them per case would cost more than the requests). */
const memo = new WeakMap<FuzzWorld, Map<string, fc.Arbitrary<unknown>>>();
function memoised<T>(w: FuzzWorld, key: string, build: () => fc.Arbitrary<T>): fc.Arbitrary<T> {
  let byKey = memo.get(w);
  if (!byKey) memo.set(w, (byKey = new Map()));
  let arb = byKey.get(key) as fc.Arbitrary<T> | undefined;
  if (!arb) byKey.set(key, (arb = build()));
  return arb;
}

/** A selection set of a random subset of the type's fields (at least one), recursively. */
function selectionSet(w: FuzzWorld, type: GraphQLNamedType, depth: number): fc.Arbitrary<string> {
  return memoised(w, `selection:${type.name}:${depth}`, () => {
    if (isLeafType(type)) return fc.constant('');
    if (!isObjectType(type) && !isInterfaceType(type)) return fc.constant('{ __typename }'); // unions: types vary
    const fields = Object.values(type.getFields()).filter((f) => depth < MAX_DEPTH || isLeafType(getNamedType(f.type)));
    const parts = [
      ...fields.map((f) =>
        fc
          .tuple(
            f.args.length ? fieldArgsLiteral(w, f.args) : fc.constant(''),
            selectionSet(w, getNamedType(f.type), depth + 1),
            oneIn(10, fc.constantFrom('x', 'again')),
          )
          .map(([args, sel, alias]) => `${alias ? `${alias}: ` : ''}${f.name}${args} ${sel}`.trim()),
      ),
      fc.constant('__typename'),
    ];
    return fc
      .tuple(...parts.map((part) => oneIn(2, part)))
      .map((chosen) => `{ ${chosen.filter((c) => c !== null).join(' ') || '__typename'} }`);
  });
}

/** Arguments of a nested field, as literals only (variables are declared at the root). */
function fieldArgsLiteral(w: FuzzWorld, args: readonly GraphQLArgument[]): fc.Arbitrary<string> {
  return fc
    .tuple(
      ...args.map((arg) => argValue(w, arg).map((v) => (v === OMIT ? '' : `${arg.name}: ${literal(v, arg.type)}`))),
    )
    .map((parts) => (parts.some(Boolean) ? `(${parts.filter(Boolean).join(', ')})` : ''));
}

type ArgPlan = { mode: 'variable' | 'literal' | 'omit'; value: unknown; declared: string; raw: string | null };

/** An argument as the schema wants it (optional ones left out or null now and then): the resolver runs. */
function wellTypedArgPlan(w: FuzzWorld, arg: GraphQLArgument, cursorFields = false): fc.Arbitrary<ArgPlan> {
  const value = typedValue(w, arg.type, arg.name, 0, true);
  // Cursor fields: their cursor arguments always present (a cursor), the others optional as usual.
  const required = isNonNullType(arg.type) || (cursorFields && CURSORISH.test(arg.name));
  return fc.record({
    mode: required
      ? fc.constantFrom<ArgPlan['mode']>('variable', 'variable', 'literal')
      : fc.constantFrom<ArgPlan['mode']>('variable', 'variable', 'literal', 'omit'),
    value: required ? value : fc.oneof({ weight: 5, arbitrary: value }, { weight: 1, arbitrary: fc.constant(null) }),
    declared: fc.constant(String(arg.type)),
    raw: fc.constant(null),
  });
}

function argPlan(w: FuzzWorld, arg: GraphQLArgument): fc.Arbitrary<ArgPlan> {
  const declared = fc.oneof(
    { weight: 12, arbitrary: fc.constant(String(arg.type)) },
    { weight: 1, arbitrary: fc.constant(String(getNullableType(arg.type))) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('String', 'Int!', 'ID', '[ID!]', 'Boolean', 'Float', 'Nope', 'String!', 'DateTime'),
    },
  );
  return fc.record({
    mode: fc.constantFrom<ArgPlan['mode']>('variable', 'variable', 'variable', 'literal', 'literal', 'omit'),
    value: argValue(w, arg),
    declared,
    raw: oneIn(12, rawLiteral),
  });
}

type RootPlan = {
  field: GraphQLField<unknown, unknown>;
  alias: string | null;
  args: ArgPlan[];
  extraArg: string | null;
  selection: string;
};

function rootPlan(
  w: FuzzWorld,
  kind: OperationKind,
  field: GraphQLField<unknown, unknown>,
  { wellTyped = false, cursorFields = false }: OperationOptions,
): fc.Arbitrary<RootPlan> {
  return memoised(w, `root:${kind}:${field.name}:${wellTyped}:${cursorFields}`, () =>
    fc.record({
      field: fc.constant(field),
      alias: oneIn(8, fc.constantFrom('a', 'b', 'first')),
      // Two in five well typed, so that resolvers run (and throttles count) often; the rest anything at all.
      args: fc.oneof(
        { weight: wellTyped ? 0 : 3, arbitrary: fc.tuple(...field.args.map((arg) => argPlan(w, arg))) },
        { weight: 2, arbitrary: fc.tuple(...field.args.map((arg) => wellTypedArgPlan(w, arg, cursorFields))) },
      ),
      extraArg: wellTyped
        ? fc.constant(null)
        : oneIn(15, fc.constantFrom('bogus: 1', 'first: 1', 'withUserId: "x"', '__proto__: 1')),
      selection: fc.oneof(
        { weight: 15, arbitrary: selectionSet(w, getNamedType(field.type), 2) },
        { weight: 1, arbitrary: fc.constantFrom('', '{ id }', '{ __typename }', '{ nope }') },
      ),
    }),
  );
}

function render(kind: OperationKind, roots: RootPlan[], name: string | null) {
  const varDefs: string[] = [];
  const variables: Record<string, unknown> = {};
  const parts = roots.map((r, i) => {
    const args = r.field.args.flatMap((arg, j) => {
      const plan = r.args[j];
      if (plan.mode === 'omit') return [];
      if (plan.mode === 'literal') return [`${arg.name}: ${plan.raw ?? literal(plan.value, arg.type)}`];
      const variable = i ? `${arg.name}${i}` : arg.name;
      varDefs.push(`$${variable}: ${plan.declared}`);
      if (plan.value !== OMIT) variables[variable] = plan.value;
      return [`${arg.name}: $${variable}`];
    });
    if (r.extraArg) args.push(r.extraArg);
    return `${r.alias ? `${r.alias}: ` : ''}${r.field.name}${args.length ? `(${args.join(', ')})` : ''} ${r.selection}`.trim();
  });
  const head = `${kind}${name ? ` ${name}` : ''}${varDefs.length ? `(${varDefs.join(', ')})` : ''}`;
  const shorthand = kind === 'query' && !name && !varDefs.length;
  return { query: `${shorthand ? '' : `${head} `}{ ${parts.join(' ')} }`, variables };
}

export type OperationOptions = {
  /** Only root fields with an argument whose name says it takes a cursor (after, before). */
  cursorFields?: boolean;
  /** Only well-typed arguments, and no broken documents: every operation reaches its resolver. */
  wellTyped?: boolean;
};

/** A generated operation of one of `kinds` over the schema's root fields; now and then with a character inserted or
 * removed, so the parser sees near-misses too. */
export function operationArb(
  w: FuzzWorld,
  kinds: OperationKind[] = ['query', 'mutation', 'subscription'],
  { cursorFields = false, wellTyped = false }: OperationOptions = {},
): fc.Arbitrary<Operation> {
  const byKind = kinds
    .map((kind) => ({
      kind,
      fields: rootFields(w.schema, kind).filter((f) => !cursorFields || f.args.some((a) => CURSORISH.test(a.name))),
    }))
    .filter((k) => k.fields.length)
    .map(({ kind, fields }) => ({
      weight: fields.length,
      arbitrary: memoised(w, `operation:${kind}:${cursorFields}:${wellTyped}`, () => {
        const root = fc.oneof(
          ...fields.map((f) => ({
            weight: fieldWeight(f.name),
            arbitrary: rootPlan(w, kind, f, { wellTyped, cursorFields }),
          })),
        );
        return fc.record({
          kind: fc.constant(kind),
          roots: fc.oneof(
            { weight: 6, arbitrary: fc.tuple(root) },
            { weight: wellTyped && kind === 'subscription' ? 0 : 1, arbitrary: fc.tuple(root, root) },
          ),
          name: oneIn(3, fc.constantFrom('Fuzz', 'op', 'Q1')),
        });
      }),
    }));
  return fc
    .tuple(
      // Every field about as likely, whatever its kind.
      fc.oneof(...byKind),
      oneIn(
        wellTyped ? Infinity : 12,
        fc.tuple(fc.nat(), fc.constantFrom('', '{', '}', '(', ')', '$', ':', '!', '"', '\\', '…', '#', '@', '\u0000')),
      ),
      oneIn(wellTyped ? Infinity : 10, fc.constantFrom('Fuzz', 'Other', '')),
    )
    .map(([{ kind, roots, name }, edit, operationName]) => {
      const rendered = render(kind, roots, name);
      const { variables } = rendered;
      let { query } = rendered;
      if (edit) {
        const at = edit[0] % (query.length + 1);
        query = query.slice(0, at) + edit[1] + query.slice(at + (edit[1] ? 0 : 1));
      }
      return {
        kind,
        fields: roots.map((r) => r.field.name),
        query,
        variables,
        ...(operationName !== null ? { operationName } : {}),
      };
    });
}

// ─── who asks ───────────────────────────────────────────────────────────────────────────────────────────────────

/** Mostly the outsider C, often nobody or a forged token, sometimes A or B (their own data, fuzzed too). */
export function actorArb(w: FuzzWorld, opts: { insiders?: boolean } = {}): fc.Arbitrary<Actor> {
  const garbage = fc.oneof(
    fc.constantFrom(
      '',
      'Bearer',
      'Bearer ',
      'Bearer  ',
      'Basic dXNlcjpwYXNz',
      'bearer null',
      'Bearer undefined',
      'Token abc',
      'Bearer a b',
    ),
    fc.stringMatching(/^[ -~]{0,60}$/).map((s) => `Bearer ${s}`),
    fc.stringMatching(/^[ -~]{0,80}$/),
    fc.stringMatching(/^[A-Za-z0-9_-]{1,40}\.[A-Za-z0-9_-]{1,60}\.[A-Za-z0-9_-]{0,43}$/).map((s) => `Bearer ${s}`),
  );
  const insiders = opts.insiders ?? true;
  return fc.oneof(
    { weight: 10, arbitrary: fc.constant<Actor>({ kind: 'user', name: 'C' }) },
    {
      weight: insiders ? 3 : 0,
      arbitrary: fc.constantFrom<Actor>({ kind: 'user', name: 'A' }, { kind: 'user', name: 'B' }),
    },
    { weight: 2, arbitrary: fc.constant<Actor>({ kind: 'none' }) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(...Object.keys(w.forged)).map((name): Actor => ({ kind: 'forged', name })),
    },
    { weight: 2, arbitrary: garbage.map((header): Actor => ({ kind: 'raw', header })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom<UserName>(...(insiders ? (['A', 'C'] as const) : (['C'] as const))),
          fc.constantFrom('bearer', 'BEARER', 'Bearer  ', 'Bearer\t'),
        )
        .map(([user, scheme]): Actor => ({ kind: 'raw', header: '', user, scheme })),
    },
  );
}

// ─── HTTP ───────────────────────────────────────────────────────────────────────────────────────────────────────

export type HttpExchange = {
  request: { method: string; path: string; headers: Record<string, string>; body?: string | Buffer };
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** A stream (SSE, multipart) cut off after a quiet moment. */
  cut: boolean;
};

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

/** One request over node:http (no client-side validation of bodies; header values must be Latin-1). Streams are
 * read until `idleMs` pass without data. */
export function httpExchange(
  baseUrl: string,
  request: HttpExchange['request'],
  { idleMs = 20, maxMs = 15_000, fresh = false } = {},
): Promise<HttpExchange> {
  const url = new URL(baseUrl);
  const bodySize = request.body === undefined ? 0 : Buffer.byteLength(request.body);
  const headSize =
    request.path.length + Object.entries(request.headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
  // Beyond Node's limits (16 KiB of request line and headers, MAX_BODY_BYTES of body) the server may answer (413,
  // 431) and close while the request is still being sent, or just close: a refusal, not a failure.
  const oversized = bodySize > 100 * 1024 || headSize > 16 * 1024;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let idle: NodeJS.Timeout | undefined;
    const overall = setTimeout(() => {
      req.destroy();
      reject(new Error(`no complete response within ${maxMs} ms`));
    }, maxMs);
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.path,
        headers: request.headers,
        agent: fresh ? false : agent,
      },
      (res) => {
        const streaming = /event-stream|multipart/i.test(String(res.headers['content-type'] ?? ''));
        const finish = (cut: boolean) => {
          clearTimeout(overall);
          clearTimeout(idle);
          resolve({
            request,
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            cut,
          });
        };
        const arm = () => {
          if (!streaming) return;
          clearTimeout(idle);
          idle = setTimeout(() => {
            res.destroy();
            finish(true);
          }, idleMs);
        };
        arm();
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          arm();
        });
        res.on('end', () => finish(false));
        res.on('error', () => finish(true));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(overall);
      clearTimeout(idle);
      // A kept-alive connection the server closed after the previous (malformed) exchange: once more, on a new one.
      if (req.reusedSocket && !fresh) resolve(httpExchange(baseUrl, request, { idleMs, maxMs, fresh: true }));
      else if (oversized && /EPIPE|ECONNRESET/.test(err.code ?? '')) {
        resolve({ request, status: 0, headers: {}, body: '', cut: true });
      } else reject(err);
    });
    req.end(request.body);
  });
}

export type HttpPlan = {
  method: 'POST' | 'GET';
  actor: Actor;
  op: Operation;
  /** How the operation travels in a POST. */
  encoding: 'json' | 'json+extensions' | 'variables-as-string' | 'variables-wrong-shape' | 'graphql-body' | 'batch';
  contentType: string;
  accept: string | null;
  /** The header Yoga's CSRF prevention asks of GET requests. */
  csrfHeader: boolean;
  junk: unknown;
};

export function httpPlanArb(
  w: FuzzWorld,
  method: 'POST' | 'GET',
  options: OperationOptions = {},
): fc.Arbitrary<HttpPlan> {
  return fc.record({
    method: fc.constant(method),
    actor: actorArb(w),
    op: operationArb(
      w,
      method === 'GET' ? ['query', 'query', 'query', 'mutation', 'subscription'] : undefined,
      options,
    ),
    encoding: fc.oneof(
      { weight: 20, arbitrary: fc.constant<HttpPlan['encoding']>('json') },
      {
        weight: 3,
        arbitrary: fc.constantFrom<HttpPlan['encoding']>(
          'json+extensions',
          'variables-as-string',
          'variables-wrong-shape',
          'graphql-body',
          'batch',
        ),
      },
    ),
    contentType: fc.oneof(
      { weight: 20, arbitrary: fc.constant('application/json') },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          'application/json; charset=utf-8',
          'application/graphql',
          'application/graphql+json',
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/json; charset=latin1',
        ),
      },
    ),
    accept: oneIn(
      3,
      fc.constantFrom(
        'application/json',
        'application/graphql-response+json',
        'text/event-stream',
        'multipart/mixed',
        '*/*',
        'text/html',
        'application/xml',
      ),
    ),
    csrfHeader: fc.boolean(),
    junk: wrongTypeValue,
  });
}

function bodyOf(plan: HttpPlan): string {
  const { query, variables, operationName } = plan.op;
  const base = { query, variables, ...(operationName !== undefined ? { operationName } : {}) };
  switch (plan.encoding) {
    case 'json':
      return JSON.stringify(base);
    case 'json+extensions':
      return JSON.stringify({ ...base, extensions: plan.junk });
    case 'variables-as-string':
      return JSON.stringify({ ...base, variables: JSON.stringify(variables) });
    case 'variables-wrong-shape':
      return JSON.stringify({ ...base, variables: plan.junk });
    case 'graphql-body':
      return query;
    case 'batch':
      return JSON.stringify([base, base]);
  }
}

export function httpRequestOf(w: FuzzWorld, plan: HttpPlan): HttpExchange['request'] {
  const headers: Record<string, string> = {};
  const authorization = w.authorization(plan.actor);
  if (authorization !== undefined) headers.authorization = authorization;
  // As a client would: subscriptions over HTTP ask for SSE (unless the plan sends an accept header of its own).
  const accept = plan.accept ?? (plan.op.kind === 'subscription' ? 'text/event-stream' : null);
  if (accept) headers.accept = accept;
  if (plan.csrfHeader) headers['x-graphql-yoga-csrf'] = 'fuzz';
  if (plan.method === 'GET') {
    // The encodings, in a query string: variables and extensions of the wrong shape or not JSON at all, the query
    // given twice.
    const params = new URLSearchParams({ query: plan.op.query });
    const variables = JSON.stringify(plan.op.variables);
    if (plan.encoding === 'variables-wrong-shape') params.set('variables', JSON.stringify(plan.junk) ?? 'undefined');
    else if (plan.encoding === 'variables-as-string') params.set('variables', variables.slice(0, -1));
    else if (variables !== '{}') params.set('variables', variables);
    if (plan.op.operationName !== undefined) params.set('operationName', plan.op.operationName);
    if (plan.encoding === 'json+extensions') params.set('extensions', JSON.stringify(plan.junk) ?? 'undefined');
    if (plan.encoding === 'graphql-body') params.set('extensions', '{"persistedQuery":');
    if (plan.encoding === 'batch') params.append('query', plan.op.query);
    return { method: 'GET', path: `/graphql?${params}`, headers };
  }
  headers['content-type'] = plan.contentType;
  return { method: 'POST', path: '/graphql', headers, body: bodyOf(plan) };
}

/** Requests no client should send: other methods, broken and oversized bodies, odd encodings and content types,
 * GraphQL multipart uploads gone wrong, paths outside /graphql. */
export function malformedRequestArb(w: FuzzWorld): fc.Arbitrary<HttpExchange['request']> {
  const op = operationArb(w);
  const json = op.map((o) => JSON.stringify({ query: o.query, variables: o.variables }));
  const upload = (operations: string, map: string, boundary: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${operations}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n${map}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--${boundary}--\r\n`;
  const body: fc.Arbitrary<{ body: string | Buffer; contentType?: string; encoding?: string }> = fc.oneof(
    fc.tuple(json, fc.nat()).map(([j, n]) => ({ body: j.slice(0, n % (j.length + 1)) })),
    fc.uint8Array({ maxLength: 300 }).map((u) => ({ body: Buffer.from(u) })),
    fc.jsonValue({ maxDepth: 3 }).map((v) => ({ body: JSON.stringify(v) ?? '' })),
    fc
      .record(
        {
          query: fc.oneof(
            hostileString,
            fc.jsonValue({ maxDepth: 2 }),
            op.map((o) => o.query),
          ),
          variables: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string()),
          operationName: fc.oneof(fc.jsonValue({ maxDepth: 1 }), hostileString),
          extensions: fc.oneof(
            fc.jsonValue({ maxDepth: 2 }),
            fc.constant({ persistedQuery: { version: 1, sha256Hash: 'x' } }),
          ),
        },
        { requiredKeys: [] },
      )
      .map((v) => ({ body: JSON.stringify(v) })),
    fc.constantFrom(10_000, 50_000).map((n) => ({ body: `${'['.repeat(n)}${']'.repeat(n)}` })),
    fc
      .constantFrom(2_000, 20_000)
      .map((n) => ({ body: `{"query":"{ me { id } }","variables":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}` })),
    fc.constantFrom(150_000, 2_000_000).map((n) => ({ body: `{"query":"${'a'.repeat(n)}"}` })),
    fc.constant({ body: `{"query":"{ me { id } }","query":"mutation { logOut }"}` }),
    fc.constant({ body: '\ufeff{"query":"{ me { id } }"}' }),
    fc.constant({ body: Buffer.from('{"query":"{ me { id \xff\xfe } }"}', 'latin1') }),
    fc
      .tuple(
        json,
        fc.constantFrom(
          '{"0":["variables.x"]}',
          '{"0":["variables"]}',
          '{"0":["query"]}',
          '{"0":[]}',
          '[',
          '{"1":["variables.a"]}',
          '{"0":["variables.__proto__.x"]}',
        ),
        fc.constantFrom('x', 'y'),
      )
      .map(([ops, map, boundary]) => ({
        body: upload(ops, map, boundary),
        contentType: 'multipart/form-data; boundary=x',
      })),
    json.map((j) => ({ body: gzipSync(j), encoding: 'gzip' })),
    fc
      .tuple(fc.uint8Array({ maxLength: 64 }), fc.constantFrom('gzip', 'deflate', 'br'))
      .map(([u, encoding]) => ({ body: Buffer.from(u), encoding })),
    json.map((j) => ({ body: j, encoding: 'x-garbage' })),
    fc.constant({ body: 'query=%7B%20me%20%7B%20id%20%7D%20%7D', contentType: 'application/x-www-form-urlencoded' }),
  );
  return fc
    .record({
      method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
      path: fc.oneof(
        { weight: 8, arbitrary: fc.constant('/graphql') },
        {
          weight: 3,
          arbitrary: fc.constantFrom(
            '/graphql/',
            '/graphql?',
            '/graphql?query=%7B',
            '/graphql?query=%7Bme%7Bid%7D%7D&variables=%7B',
            '/graphql?query=%7Bme%7Bid%7D%7D&variables=%5B%5D',
            '/graphql?query=%7Bme%7Bid%7D%7D&extensions=%7B%22persistedQuery%22%3A1%7D',
            '/graphql?query=mutation%7BlogOut%7D',
            '/graphql?query=subscription%7BconversationUpdated%7Bid%7D%7D',
            '/graphql?query=%00',
            '/graphql?query=%F0%9F%98%80%ED%A0%80',
            '/graphql/graphql',
            '/graphql/stream',
            '/graphql/stream?token=00000000-0000-0000-0000-000000000000',
            '/graphql/stream?token=%00',
            '/graphql%00',
            '/health?x=%ZZ',
            '/ready',
            '/../../../../etc/passwd',
            '/%2e%2e/%2e%2e/etc/passwd',
            '/..%5c..%5cetc%5cpasswd',
            '//etc/passwd',
            '/index.html%00.js',
            '/%ZZ',
          ),
        },
      ),
      body,
      contentType: oneIn(
        6,
        fc.constantFrom(
          'application/json',
          'application/json; charset=utf-8',
          'application/json; charset=utf-16',
          'application/graphql',
          'text/plain',
          'multipart/form-data; boundary=x',
          'multipart/form-data',
          'multipart/mixed; boundary=x',
          'application/x-www-form-urlencoded',
          'application/octet-stream',
          '',
          '*/*',
          'garbage;;;=',
          'application/json; boundary=x',
        ),
      ),
      accept: oneIn(
        2,
        fc.constantFrom('application/json', 'text/event-stream', 'multipart/mixed', 'text/html', '*/*', 'garbage', ''),
      ),
      actor: actorArb(w),
      /** graphql-sse's stream token (single-connection mode at /graphql/stream). */
      streamToken: oneIn(4, fc.oneof(fc.uuid(), fc.stringMatching(/^[ -~]{0,40}$/))),
    })
    .map(({ method, path, body, contentType, accept, actor, streamToken }) => {
      const headers: Record<string, string> = {};
      if (streamToken !== null) headers['x-graphql-event-stream-token'] = streamToken;
      const ct = body.contentType ?? contentType ?? 'application/json';
      if (ct) headers['content-type'] = ct;
      if (accept !== null) headers.accept = accept;
      if (body.encoding) headers['content-encoding'] = body.encoding;
      const authorization = w.authorization(actor);
      if (authorization !== undefined) headers.authorization = authorization;
      const hasBody = method !== 'GET' && method !== 'HEAD';
      return { method, path, headers, ...(hasBody ? { body: body.body } : {}) };
    });
}

// ─── graphql-ws ─────────────────────────────────────────────────────────────────────────────────────────────────

export type WsFrame =
  | { kind: 'subscribe'; id: string; op: Operation; headers: Actor | null; payloadJunk: unknown | null }
  | { kind: 'raw'; text: string }
  | { kind: 'binary'; data: Uint8Array }
  | { kind: 'complete'; id: string };

export type WsPlan = {
  protocol: string | null;
  actor: Actor;
  /** How connection_init carries the actor's token, or what it carries instead. */
  init: 'authorization' | 'Authorization' | 'headers' | 'wrong-type' | 'payload-junk' | 'none' | 'raw-junk';
  junk: unknown;
  frames: WsFrame[];
};

export function wsPlanArb(w: FuzzWorld): fc.Arbitrary<WsPlan> {
  const ids = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('1', '2', '3') },
    { weight: 1, arbitrary: hostileString },
  );
  const rawFrame = fc.oneof(
    hostileString,
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? ''),
    fc
      .record(
        {
          type: fc.constantFrom(
            'subscribe',
            'complete',
            'ping',
            'pong',
            'next',
            'error',
            'connection_init',
            'connection_ack',
            'start',
            'stop',
            'ka',
          ),
          id: fc.oneof(ids, fc.jsonValue({ maxDepth: 1 })),
          payload: fc.oneof(
            fc.jsonValue({ maxDepth: 2 }),
            operationArb(w).map((o) => ({ query: o.query, variables: o.variables })),
          ),
        },
        { requiredKeys: ['type'] },
      )
      .map((m) => JSON.stringify(m)),
    fc.constantFrom(
      '',
      '{',
      'null',
      '[]',
      '{"type":"subscribe","id":"1","payload":{"query":5}}',
      '{"type":"subscribe","id":"1","payload":{"query":"{ me { id } }","variables":"x"}}',
    ),
    fc.constant(
      JSON.stringify({ type: 'subscribe', id: 'big', payload: { query: `{ me { id } } #${'x'.repeat(70_000)}` } }),
    ),
  );
  const frame: fc.Arbitrary<WsFrame> = fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({
        kind: fc.constant('subscribe' as const),
        id: ids,
        op: operationArb(w, ['subscription', 'subscription', 'subscription', 'query', 'mutation']),
        headers: oneIn(5, actorArb(w)),
        payloadJunk: oneIn(10, wrongTypeValue),
      }),
    },
    { weight: 2, arbitrary: rawFrame.map((text): WsFrame => ({ kind: 'raw', text })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }).map((data): WsFrame => ({ kind: 'binary', data })) },
    { weight: 1, arbitrary: ids.map((id): WsFrame => ({ kind: 'complete', id })) },
  );
  return fc
    .record({
      protocol: fc.oneof(
        { weight: 12, arbitrary: fc.constant('graphql-transport-ws') },
        { weight: 1, arbitrary: fc.constantFrom(null, 'graphql-ws', 'foo') },
      ),
      actor: actorArb(w),
      init: fc.oneof(
        { weight: 10, arbitrary: fc.constant<WsPlan['init']>('authorization') },
        { weight: 2, arbitrary: fc.constantFrom<WsPlan['init']>('Authorization', 'headers', 'none') },
        { weight: 1, arbitrary: fc.constantFrom<WsPlan['init']>('wrong-type', 'payload-junk', 'raw-junk') },
      ),
      junk: wrongTypeValue,
      frames: fc.array(frame, { minLength: 1, maxLength: 4 }),
    })
    .map((plan) => {
      // An outsider's socket carries only outsiders' operation headers: the leak check then covers everything.
      if (!w.isOutsider(plan.actor)) return plan;
      return {
        ...plan,
        frames: plan.frames.map((f) =>
          f.kind === 'subscribe' && f.headers && !w.isOutsider(f.headers) ? { ...f, headers: null } : f,
        ),
      };
    });
}

export type WsOutcome = {
  sent: string[];
  received: string[];
  /** The server closed the socket (before the client did): its code and reason. */
  serverClose: { code: number; reason: string } | null;
  opened: boolean;
  unexpectedResponse?: number;
};

function initMessage(w: FuzzWorld, plan: WsPlan): string | null {
  const authorization = w.authorization(plan.actor) ?? null;
  switch (plan.init) {
    case 'none':
      return null;
    case 'raw-junk':
      return typeof plan.junk === 'string' ? plan.junk : (JSON.stringify(plan.junk) ?? '');
    case 'payload-junk':
      return JSON.stringify({ type: 'connection_init', payload: plan.junk });
    case 'wrong-type':
      return JSON.stringify({ type: 'connection_init', payload: { authorization: plan.junk } });
    case 'headers':
      return JSON.stringify({ type: 'connection_init', payload: { headers: { authorization } } });
    default:
      return JSON.stringify({
        type: 'connection_init',
        payload: authorization === null ? {} : { [plan.init]: authorization },
      });
  }
}

function frameText(w: FuzzWorld, f: WsFrame): string | Uint8Array {
  switch (f.kind) {
    case 'raw':
      return f.text;
    case 'binary':
      return f.data;
    case 'complete':
      return JSON.stringify({ type: 'complete', id: f.id });
    case 'subscribe': {
      const authorization = f.headers ? w.authorization(f.headers) : undefined;
      const payload = f.payloadJunk ?? {
        query: f.op.query,
        variables: f.op.variables,
        ...(f.op.operationName !== undefined ? { operationName: f.op.operationName } : {}),
        ...(f.headers ? { extensions: { headers: { authorization: authorization ?? null } } } : {}),
      };
      return JSON.stringify({ type: 'subscribe', id: f.id, payload });
    }
  }
}

/** Runs a plan on a fresh socket: connect, init, send the frames, let them settle, let A and B talk while the
 * subscriptions run (when there may be some), close. */
export async function wsExchange(w: FuzzWorld, plan: WsPlan): Promise<WsOutcome> {
  const outcome: WsOutcome = { sent: [], received: [], serverClose: null, opened: false };
  const url = `${w.url.replace(/^http/, 'ws')}/graphql`;
  const socket = new WebSocket(url, plan.protocol ? [plan.protocol] : undefined);
  let lastActivity = Date.now();
  let clientClosing = false;
  const closed = new Promise<void>((resolve) => {
    socket.on('close', (code, reason) => {
      if (!clientClosing) outcome.serverClose = { code, reason: reason.toString() };
      resolve();
    });
    socket.on('error', () => {});
  });
  socket.on('unexpected-response', (_req, res) => {
    outcome.unexpectedResponse = res.statusCode;
    socket.terminate();
  });
  socket.on('message', (data) => {
    lastActivity = Date.now();
    outcome.received.push(data.toString());
  });
  const opened = await Promise.race([
    new Promise<boolean>((resolve) => socket.once('open', () => resolve(true))),
    closed.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5_000)),
  ]);
  outcome.opened = opened;
  const isOpen = () => socket.readyState === WebSocket.OPEN;
  /** Until `done()` or `idleMs` without a message, at most `maxMs`. */
  const settle = async (idleMs: number, maxMs: number, done: () => boolean = () => false) => {
    const start = Date.now();
    lastActivity = Date.now();
    while (isOpen() && !done() && Date.now() - lastActivity < idleMs && Date.now() - start < maxMs) {
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const send = (data: string | Uint8Array) => {
    if (!isOpen()) return;
    outcome.sent.push(typeof data === 'string' ? data : `<binary ${Buffer.from(data).toString('hex')}>`);
    socket.send(data);
  };
  if (opened) {
    const init = initMessage(w, plan);
    if (init !== null) {
      send(init);
      await settle(3_000, 3_000, () => outcome.received.some((m) => m.includes('connection_ack')));
    }
    for (const f of plan.frames) send(frameText(w, f));
    // A barrier: the server handles a socket's messages in order, so once this ping's pong is back it has taken up
    // every frame above (and closed the socket if one of them makes it), and what follows is not a race.
    const barrier = JSON.stringify({ type: 'ping', payload: { fuzz: 'barrier' } });
    send(barrier);
    await settle(2_000, 2_000, () => outcome.received.some((m) => m.includes('"barrier"')));
    const subscribeIds = plan.frames.filter((f) => f.kind === 'subscribe').map((f) => f.id);
    const finished = () =>
      subscribeIds.every((id) =>
        outcome.received.some((m) => {
          try {
            const msg = JSON.parse(m) as { id?: string; type?: string };
            return msg.id === id && (msg.type === 'error' || msg.type === 'complete');
          } catch {
            return false;
          }
        }),
      );
    await settle(60, 3_000, finished);
    if (isOpen() && !finished()) {
      await w.activity(); // live subscriptions: give them something they must not leak
      await settle(80, 3_000);
    }
  }
  // Closed by the client only if it still was open (or connecting) here: a socket the server has begun to close is
  // CLOSING already, and its close event, whenever it comes, is the server's.
  if (isOpen() || socket.readyState === WebSocket.CONNECTING) {
    clientClosing = true;
    if (isOpen()) socket.close(1000);
    else socket.terminate();
  }
  const timer = setTimeout(() => socket.terminate(), 2_000);
  await closed;
  clearTimeout(timer);
  return outcome;
}

// ─── invariants ─────────────────────────────────────────────────────────────────────────────────────────────────

type GraphQLErrorShape = { message?: unknown; extensions?: { code?: unknown; [k: string]: unknown } };

/** Close codes that mean the server failed: abnormal closure (dropped), internal error, restart, 4500. */
const BAD_CLOSE_CODES = new Set([1006, 1011, 1012, 1013, 1014, 4500]);

/** Problems with one GraphQL result's errors. */
export function errorProblems(result: unknown): string[] {
  if (!result || typeof result !== 'object') return [];
  const errors = (result as { errors?: unknown }).errors;
  if (errors === undefined) return [];
  if (!Array.isArray(errors)) return [`"errors" is not a list: ${JSON.stringify(errors)}`];
  return errors.flatMap((e: GraphQLErrorShape) => {
    const code = e?.extensions?.code;
    if (code === undefined || code === null) return [`error without extensions.code: ${JSON.stringify(e)}`];
    if (code === 'INTERNAL_SERVER_ERROR') return [`INTERNAL_SERVER_ERROR: ${JSON.stringify(e)}`];
    if (typeof code !== 'string') return [`extensions.code is not a string: ${JSON.stringify(e)}`];
    return [];
  });
}

/** GraphQL results in an HTTP body: JSON, SSE events or multipart parts. */
function resultsIn(contentType: string, body: string): { results: unknown[]; problems: string[] } {
  const results: unknown[] = [];
  const problems: string[] = [];
  const parse = (text: string, where: string) => {
    try {
      results.push(JSON.parse(text));
    } catch {
      problems.push(`${where} is not JSON: ${text.slice(0, 300)}`);
    }
  };
  if (/event-stream/.test(contentType)) {
    for (const event of body.split(/\n\n/)) {
      const data = event
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trimStart())
        .join('\n');
      if (data) parse(data, 'an SSE event');
    }
  } else if (/multipart/.test(contentType)) {
    for (const part of body.split(/\r?\n--[^\r\n]*/)) {
      const blank = part.search(/\r?\n\r?\n/);
      const content = blank >= 0 ? part.slice(blank).trim() : '';
      if (content.startsWith('{')) parse(content, 'a multipart part');
    }
  } else if (/json/.test(contentType) && body.trim()) {
    parse(body, 'the JSON body');
  }
  const flat = results.flatMap((r) => (Array.isArray(r) ? r : [r]));
  // multipart/SSE results of incremental delivery may nest results under "incremental"
  return { results: flat, problems };
}

/** What the response reveals of A and B's conversation that the request did not carry. */
export function leaks(w: FuzzWorld, response: string, request: string): string[] {
  const found: string[] = [];
  if (response.includes(w.secret)) found.push(`contains the content of A and B's messages (${w.secret}…)`);
  const res = response.toLowerCase();
  const req = request.toLowerCase();
  for (const id of w.privateIds) {
    const needle = UUID.test(id) ? id.toLowerCase() : id;
    const hay = UUID.test(id) ? res : response;
    if (hay.includes(needle) && !(UUID.test(id) ? req : request).includes(needle)) {
      found.push(`contains ${id}, an id of A and B's conversation, which the request did not carry`);
    }
  }
  return found;
}

const STACK = /\n\s+at [^\n]+\(|"stack"\s*:|node_modules\//;

export function httpProblems(w: FuzzWorld, ex: HttpExchange, outsider: boolean): string[] {
  const problems: string[] = [];
  if (ex.status >= 500) problems.push(`HTTP ${ex.status}`);
  const contentType = String(ex.headers['content-type'] ?? '');
  const { results, problems: parseProblems } = resultsIn(contentType, ex.body);
  if (!ex.cut) problems.push(...parseProblems);
  for (const r of results) problems.push(...errorProblems(r));
  if (/json|event-stream|multipart/.test(contentType) && STACK.test(ex.body))
    problems.push('the body contains a stack trace');
  if (/root:x:0:0/.test(ex.body)) problems.push('the body contains /etc/passwd');
  if (outsider) problems.push(...leaks(w, ex.body, describeRequest(ex.request)));
  return problems;
}

export function wsProblems(w: FuzzWorld, plan: WsPlan, out: WsOutcome): string[] {
  const problems: string[] = [];
  if (out.unexpectedResponse !== undefined && out.unexpectedResponse >= 500) {
    problems.push(`the WebSocket upgrade was answered with HTTP ${out.unexpectedResponse}`);
  }
  // 1006 is also what the client reports when it gives up on a handshake itself (a subprotocol the server refuses).
  const handshakeRefused = out.serverClose?.code === 1006 && plan.protocol !== 'graphql-transport-ws';
  if (out.serverClose && BAD_CLOSE_CODES.has(out.serverClose.code) && !handshakeRefused) {
    problems.push(`the server closed the socket with ${out.serverClose.code} ${out.serverClose.reason}`);
  }
  for (const text of out.received) {
    let msg: { type?: string; payload?: unknown };
    try {
      msg = JSON.parse(text);
    } catch {
      problems.push(`a message that is not JSON: ${text.slice(0, 300)}`);
      continue;
    }
    if (msg.type === 'error') {
      if (!Array.isArray(msg.payload))
        problems.push(`an error message whose payload is not a list: ${text.slice(0, 300)}`);
      else problems.push(...errorProblems({ errors: msg.payload }));
    } else if (msg.type === 'next') {
      problems.push(...errorProblems(msg.payload));
    }
    if (STACK.test(text)) problems.push(`a message with a stack trace: ${text.slice(0, 300)}`);
  }
  if (w.isOutsider(plan.actor)) problems.push(...leaks(w, out.received.join('\n'), out.sent.join('\n')));
  return problems;
}

// ─── reports ────────────────────────────────────────────────────────────────────────────────────────────────────

const clip = (s: string, n = 1500) => (s.length > n ? `${s.slice(0, n)}… (${s.length} characters)` : s);

export function describeRequest(r: HttpExchange['request']): string {
  const body =
    r.body === undefined
      ? ''
      : Buffer.isBuffer(r.body)
        ? `<${r.body.length} bytes: ${r.body.toString('hex').slice(0, 200)}>`
        : r.body;
  return `${r.method} ${r.path}\n${Object.entries(r.headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}\n\n${body}`;
}

/** Fails a property run with the request and the response, so fast-check's counterexample comes with both. */
export class Violation extends Error {
  constructor(
    readonly problems: string[],
    readonly exchange: string,
  ) {
    super(`${problems.join('\n')}\n── exchange ──\n${clip(exchange, 4000)}`);
    this.name = 'Violation';
  }
}

export function describeHttp(ex: HttpExchange): string {
  return `${clip(describeRequest(ex.request))}\n── response ──\nHTTP ${ex.status} ${ex.headers['content-type'] ?? ''}${ex.cut ? ' (stream, cut)' : ''}\n${clip(ex.body)}`;
}

export function describeWs(plan: WsPlan, out: WsOutcome): string {
  return [
    `graphql-ws, subprotocol ${plan.protocol}, actor ${JSON.stringify(plan.actor)}`,
    ...out.sent.map((s) => `→ ${clip(s, 600)}`),
    ...out.received.map((s) => `← ${clip(s, 600)}`),
    out.serverClose
      ? `✕ closed by the server: ${out.serverClose.code} ${out.serverClose.reason}`
      : '✕ closed by the client',
  ].join('\n');
}

// ─── properties ─────────────────────────────────────────────────────────────────────────────────────────────────

/** Cases per property in the seeded test (scripts/fuzz.ts runs ten times as many by default). */
export const FUZZ_TEST_RUNS = {
  post: 400,
  cursors: 300,
  get: 150,
  malformed: 200,
  tokens: 100,
  ws: 150,
  rateLimits: 60,
  illFormed: 120,
};

/** The second server's limits: low, so that a short run reaches them (the world's set-up stays under them). */
export const FUZZ_LIMITS_ENV = {
  RATE_LIMITS: 'on',
  SENDS_PER_SECOND: '1',
  SEND_BURST: '5',
  CHEAP_MUTATIONS_PER_SECOND: '1',
  LOGIN_FAILURES_PER_USERNAME: '2',
  LOGIN_FAILURES_PER_IP: '6',
  SIGNUPS_PER_IP: '5',
};

/** For FuzzTarget.crashed: null while the process runs, its exit and last output once it is gone. */
export const crashedOf = (p: ServerProcess) => () =>
  p.child.exitCode !== null || p.child.signalCode !== null
    ? `exit ${p.child.exitCode ?? p.child.signalCode}\n${p.output().slice(-3000)}`
    : null;

/** The server under test: its world, and whether its process is still running (null) or why not. */
export type FuzzTarget = { world: FuzzWorld; crashed(): string | null };

/** RATE_LIMITED errors seen by rateLimitProperty. */
export type RateLimitTally = { rateLimited: number };

export type FuzzProperty<T> = {
  name: string;
  /** Share of a run's cases (fuzz.test.ts and scripts/fuzz.ts scale these). */
  runs: number;
  arbitrary: fc.Arbitrary<T>;
  /** Resolves when every invariant holds; throws a Violation otherwise. */
  check(value: T): Promise<void>;
};

const mayLogOut = (text: string) => /logOut/.test(text);

function assertAlive(target: FuzzTarget, exchange: string) {
  const crash = target.crashed();
  if (crash) throw new Violation([`the server process died: ${crash}`], exchange);
}

async function runHttp(
  target: FuzzTarget,
  request: HttpExchange['request'],
  outsider: boolean,
  extra?: (ex: HttpExchange) => string[],
) {
  const w = target.world;
  let ex: HttpExchange;
  try {
    ex = await httpExchange(w.url, request);
  } catch (err) {
    assertAlive(target, describeRequest(request));
    throw new Violation([`no response: ${(err as Error).message}`], describeRequest(request));
  }
  const problems = [...httpProblems(w, ex, outsider), ...(extra?.(ex) ?? [])];
  if (problems.length) throw new Violation(problems, describeHttp(ex));
  assertAlive(target, describeHttp(ex));
  if (mayLogOut(describeRequest(request))) w.heal();
  return ex;
}

/** Generated operations over HTTP, POST (JSON and other encodings, SSE and multipart for subscriptions) or GET. */
export function httpProperty(target: FuzzTarget, method: 'POST' | 'GET', runs: number): FuzzProperty<HttpPlan> {
  const w = target.world;
  return {
    name: `HTTP ${method}: generated operations`,
    runs,
    arbitrary: httpPlanArb(w, method),
    check: async (plan) => void (await runHttp(target, httpRequestOf(w, plan), w.isOutsider(plan.actor))),
  };
}

/** Every argument that takes a cursor, with real cursors of every list and forgeries of each list's format, the
 * other arguments well typed: what the cursor decoders and the statements behind them make of them. */
export function cursorProperty(target: FuzzTarget, runs: number): FuzzProperty<HttpPlan> {
  const w = target.world;
  return {
    name: 'cursors: real, foreign and forged cursors in every cursor argument',
    runs,
    arbitrary: fc
      .tuple(httpPlanArb(w, 'POST', { cursorFields: true, wellTyped: true }), fc.constantFrom<UserName>('C', 'C', 'A'))
      .map(([plan, user]) => ({
        ...plan,
        actor: { kind: 'user' as const, name: user },
        encoding: 'json' as const,
        contentType: 'application/json',
        accept: null,
      })),
    check: async (plan) => void (await runHttp(target, httpRequestOf(w, plan), w.isOutsider(plan.actor))),
  };
}

export function malformedHttpProperty(target: FuzzTarget, runs: number): FuzzProperty<HttpExchange['request']> {
  const w = target.world;
  return {
    name: 'HTTP: malformed requests',
    runs,
    arbitrary: malformedRequestArb(w),
    check: async (request) => {
      const auth = request.headers.authorization ?? '';
      const insider = [w.users.A.token, w.users.B.token].some((t) => auth.includes(t));
      await runHttp(target, request, !insider);
    },
  };
}

/** Forged and garbage tokens never sign anyone in, over HTTP and graphql-ws (connection and operation level). */
export function tokenProperty(
  target: FuzzTarget,
  runs: number,
): FuzzProperty<{ actor: Actor; transport: 'http' | 'ws-init' | 'ws-operation' }> {
  const w = target.world;
  const forgedOrGarbage = actorArb(w, { insiders: false }).filter(
    (a) => a.kind === 'forged' || (a.kind === 'raw' && !a.user),
  );
  const ME = '{ me { id username } }';
  /** Who `me` named in any of the results, when anyone. */
  const signedIn = (results: unknown[]) =>
    results.map((r) => (r as { data?: { me?: { id?: string } | null } } | null)?.data?.me?.id).find(Boolean);
  return {
    name: 'tokens: forged and garbage tokens never authenticate',
    runs,
    arbitrary: fc.record({
      actor: forgedOrGarbage,
      transport: fc.constantFrom('http' as const, 'ws-init' as const, 'ws-operation' as const),
    }),
    check: async ({ actor, transport }) => {
      if (transport === 'http') {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        const authorization = w.authorization(actor);
        if (authorization !== undefined) headers.authorization = authorization;
        await runHttp(
          target,
          { method: 'POST', path: '/graphql', headers, body: JSON.stringify({ query: ME }) },
          true,
          (ex) => {
            const { results } = resultsIn(String(ex.headers['content-type'] ?? ''), ex.body);
            const who = signedIn(results);
            return who ? [`a forged or garbage token signed in ${who}`] : [];
          },
        );
        return;
      }
      const plan: WsPlan = {
        protocol: 'graphql-transport-ws',
        actor: transport === 'ws-init' ? actor : { kind: 'user', name: 'C' },
        init: 'authorization',
        junk: null,
        frames: [
          {
            kind: 'subscribe',
            id: '1',
            op: { kind: 'query', fields: ['me'], query: ME, variables: {} },
            headers: transport === 'ws-operation' ? actor : null,
            payloadJunk: null,
          },
        ],
      };
      const out = await wsExchange(w, plan);
      const results = out.received.flatMap((m) => {
        const msg = JSON.parse(m) as { type: string; payload: unknown };
        return msg.type === 'next' ? [msg.payload] : [];
      });
      // An operation whose headers carry an empty authorization runs as the socket (C): it presented no token.
      const who = signedIn(results);
      const allowed = transport === 'ws-operation' && w.authorization(actor) === '' ? w.users.C.id : undefined;
      const problems = [
        ...wsProblems(w, plan, out),
        ...(who && who !== allowed ? [`a forged or garbage token signed in ${who}`] : []),
      ];
      if (problems.length) throw new Violation(problems, describeWs(plan, out));
      assertAlive(target, describeWs(plan, out));
    },
  };
}

/** graphql-ws: generated connection params, subscribe messages (every kind of operation) and malformed frames. */
export function wsProperty(target: FuzzTarget, runs: number): FuzzProperty<WsPlan> {
  const w = target.world;
  return {
    name: 'graphql-ws: generated connections, operations and frames',
    runs,
    arbitrary: wsPlanArb(w),
    check: async (plan) => {
      const out = await wsExchange(w, plan);
      const problems = wsProblems(w, plan, out);
      if (problems.length) throw new Violation(problems, describeWs(plan, out));
      assertAlive(target, describeWs(plan, out));
      if (out.sent.some(mayLogOut)) w.heal();
    },
  };
}

/** With limits on: operations that hit them fail with RATE_LIMITED, a whole number of seconds in `retryAfter`,
 * and — when the HTTP status is 429 — a Retry-After header. */
export function rateLimitProperty(
  target: FuzzTarget,
  runs: number,
  tally: RateLimitTally,
): FuzzProperty<{ plan: HttpPlan; times: number }> {
  const w = target.world;
  const plan: fc.Arbitrary<HttpPlan> = fc.record({
    method: fc.constant('POST' as const),
    actor: fc.constantFrom<Actor>({ kind: 'user', name: 'C' }, { kind: 'user', name: 'A' }, { kind: 'none' }),
    op: operationArb(w, ['mutation', 'mutation', 'mutation', 'query']),
    encoding: fc.constant('json' as const),
    contentType: fc.constant('application/json'),
    accept: fc.constant(null),
    csrfHeader: fc.constant(true),
    junk: fc.constant(null),
  });
  const check = (plan: HttpPlan) =>
    runHttp(target, httpRequestOf(w, plan), w.isOutsider(plan.actor), (ex) => {
      const { results } = resultsIn(String(ex.headers['content-type'] ?? ''), ex.body);
      const limited = results.flatMap((r) =>
        ((r as { errors?: GraphQLErrorShape[] })?.errors ?? []).filter((e) => e.extensions?.code === 'RATE_LIMITED'),
      );
      tally.rateLimited += limited.length;
      const problems = limited.flatMap((e) => {
        const retryAfter = e.extensions?.retryAfter;
        return Number.isInteger(retryAfter) && (retryAfter as number) >= 1
          ? []
          : [`RATE_LIMITED without a whole retryAfter ≥ 1: ${JSON.stringify(e)}`];
      });
      if (ex.status === 429 && !ex.headers['retry-after']) problems.push('HTTP 429 without Retry-After');
      if (ex.status === 429 && !limited.length) problems.push('HTTP 429 without a RATE_LIMITED error');
      return problems;
    });
  return {
    name: 'rate limits on: RATE_LIMITED is a proper client error',
    runs,
    // Each operation a few times in a row: bursts are what limits are for.
    arbitrary: fc.record({ plan, times: fc.integer({ min: 1, max: 4 }) }),
    check: async ({ plan, times }) => {
      for (let i = 0; i < times; i++) await check(plan);
    },
  };
}

// ─── ill-formed UTF-16 ──────────────────────────────────────────────────────────────────────────────────────────

/** Ill-formed UTF-16 (valid in JSON as `\\udXXX` escapes): lone high and low surrogates, a pair reversed or cut in
 * half, anywhere in otherwise ordinary text. The database would store each as U+FFFD, so the server must refuse it. */
export const illFormedString: fc.Arbitrary<string> = fc
  .tuple(
    fc.string({ maxLength: 8 }),
    fc.oneof(
      fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff', '\ude00\ud83d', '\ud83d\ud83d', '\udc00\udc00'),
      fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)),
    ),
    fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('😀', ' ', '\u200b', 'é')),
  )
  .map(([before, bad, after]) => before + bad + after)
  .filter((value) => /\p{Cs}/u.test(value)); // a lone high unit followed by a low one would be a pair

/** One string (or ID) argument of one root field. */
export type StringArgument = { kind: OperationKind; field: GraphQLField<unknown, unknown>; arg: GraphQLArgument };

export function stringArguments(schema: GraphQLSchema): StringArgument[] {
  return (['query', 'mutation', 'subscription'] as const).flatMap((kind) =>
    rootFields(schema, kind).flatMap((field) =>
      field.args
        .filter((arg) => ['String', 'ID'].includes(getNamedType(arg.type).name))
        .map((arg) => ({ kind, field, arg })),
    ),
  );
}

/** How the bad value arrives: a variable holding ill-formed UTF-16, or NUL spelt as a variable-width escape in a
 * literal or in a variable's default (a document-only spelling the server must see through). */
export type IllFormedCase = {
  target: StringArgument;
  value: string;
  via: 'variable' | 'literal-nul' | 'default-nul';
  /** The other arguments, well typed. */
  others: Record<string, unknown>;
};

/** Every string and ID argument of every root field, given ill-formed UTF-16 (or NUL) with the other arguments
 * well typed: each is refused before execution as BAD_USER_INPUT naming that argument — over HTTP POST, or SSE for
 * subscriptions — so nothing of it reaches a resolver or the database. `examples` covers each argument once. */
export function illFormedUnicodeProperty(
  target: FuzzTarget,
  runs: number,
): FuzzProperty<IllFormedCase> & { examples: [IllFormedCase][] } {
  const w = target.world;
  const targets = stringArguments(w.schema);
  const request = ({ target: t, value, via, others }: IllFormedCase) => {
    const defs: string[] = [];
    const variables: Record<string, unknown> = {};
    const args = t.field.args.map((arg) => {
      if (arg !== t.arg) {
        if (!(arg.name in others)) return '';
        defs.push(`$${arg.name}: ${String(arg.type)}`);
        variables[arg.name] = others[arg.name];
        return `${arg.name}: $${arg.name}`;
      }
      if (via === 'literal-nul') return `${arg.name}: "a\\u{0}b"`;
      defs.push(`$${arg.name}: ${String(arg.type)}${via === 'default-nul' ? ' = "a\\u{0}b"' : ''}`);
      if (via === 'variable') variables[arg.name] = value;
      return `${arg.name}: $${arg.name}`;
    });
    const selection = isLeafType(getNamedType(t.field.type)) ? '' : '{ __typename }';
    const argList = args.filter(Boolean).join(', ');
    const query = `${t.kind}${defs.length ? `(${defs.join(', ')})` : ''} { ${t.field.name}${argList ? `(${argList})` : ''} ${selection} }`;
    return {
      method: 'POST',
      path: '/graphql',
      headers: {
        'content-type': 'application/json',
        accept: t.kind === 'subscription' ? 'text/event-stream' : 'application/graphql-response+json',
        authorization: `Bearer ${w.users.C.token}`,
      },
      body: JSON.stringify({ query, variables }),
    };
  };
  // The other arguments: required ones always, optional ones now and then, each of its type and clean (so the only
  // thing wrong with the request is the bad string): no NUL or surrogate of their own, and a body under the limit.
  const othersOf = (t: StringArgument) =>
    fc
      .record(
        Object.fromEntries(
          t.field.args.filter((a) => a !== t.arg).map((a) => [a.name, typedValue(w, a.type, a.name, 0, true)]),
        ),
        { requiredKeys: t.field.args.filter((a) => a !== t.arg && isNonNullType(a.type)).map((a) => a.name) },
      )
      .filter((others) => {
        const text = JSON.stringify(others);
        return text.length < 20_000 && !/\\u0000|\\ud[89a-f]/i.test(text);
      });
  const caseArb = fc
    .tuple(
      fc.constantFrom(...targets),
      illFormedString,
      fc.constantFrom<IllFormedCase['via']>('variable', 'variable', 'variable', 'literal-nul', 'default-nul'),
    )
    .chain(([t, value, via]) => othersOf(t).map((others) => ({ target: t, value, via, others })));
  return {
    name: 'ill-formed UTF-16 and NUL in every string argument: BAD_USER_INPUT naming it',
    runs,
    arbitrary: caseArb,
    examples: targets.map((t) => [{ target: t, value: 'x\ud800y', via: 'variable', others: requiredOthers(w, t) }]),
    check: async (c) => {
      await runHttp(target, request(c), true, (ex) => {
        const { results } = resultsIn(String(ex.headers['content-type'] ?? ''), ex.body);
        const first = results[0] as { data?: Record<string, unknown> | null; errors?: GraphQLErrorShape[] } | undefined;
        const error = first?.errors?.[0];
        const where = `${describeTarget(c.target)} via ${c.via}`;
        if (!error) return [`${where}: no error`];
        const problems: string[] = [];
        if (error.extensions?.code !== 'BAD_USER_INPUT')
          problems.push(`${where}: code ${String(error.extensions?.code)}`);
        if (error.extensions?.argument !== c.target.arg.name)
          problems.push(`${where}: argument ${String(error.extensions?.argument)}`);
        if (first?.data?.[c.target.field.name]) problems.push(`${where}: the field was resolved`);
        return problems;
      });
    },
  };
}

const describeTarget = (s: StringArgument) => `${s.kind} ${s.field.name}(${s.arg.name})`;

/** Well-typed values for the required other arguments of an example (the first id and cursor of the world). */
function requiredOthers(w: FuzzWorld, target: StringArgument): Record<string, unknown> {
  return Object.fromEntries(
    target.field.args
      .filter((a) => a !== target.arg && isNonNullType(a.type))
      .map((a) => [
        a.name,
        getNamedType(a.type).name === 'ID' ? w.ids[0] : CURSORISH.test(a.name) ? w.cursors[0] : 'x',
      ]),
  );
}

/** What a server printed at level error (50) or above — unexpected errors, failed streams, rejections — and what
 * libraries printed around pino (console.error of an error: a line naming an Error, not its stack lines). */
export function loggedErrors(output: string): string[] {
  return output.split('\n').filter((line) => {
    try {
      return (JSON.parse(line) as { level?: number }).level! >= 50;
    } catch {
      return /\bError\b/.test(line) && !/^\s+at /.test(line);
    }
  });
}
