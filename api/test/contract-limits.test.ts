// Limits that match the contract, read from the contract itself (schema.graphql): the widest legal operation of
// every root field — each documented argument at the end of its range, every field of the returned types selected —
// runs on a real server; one step beyond a documented range is BAD_USER_INPUT naming the argument; what is over the
// query limits (aliased pages, depth, tokens, directives, introspection depth) is QUERY_TOO_COMPLEX with HTTP 400;
// and every error before execution has the code that says what was wrong, over HTTP and graphql-ws alike.
import { createECDH, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  buildSchema,
  getNamedType,
  isNonNullType,
  isObjectType,
  Kind,
  parse,
  print,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { operationCost, QUERY_LIMITS } from '../src/http/query-limits.ts';
import { ROOT_DIR } from '../src/paths.ts';
import {
  collect,
  connected,
  ok,
  signUp,
  wsClient,
  type GqlResult,
  type TestServer,
  type TestUser,
} from './support/server.ts';
import { useTestServer } from './support/suite.ts';

type Err = { message: string; extensions?: Record<string, unknown> & { code?: string } };
type Answer = { status: number; body: { data?: any; errors?: Err[] } };

let schema: GraphQLSchema;
let server: TestServer;
let alice: TestUser, bob: TestUser;
const PASSWORD = 'correct horse';

let toEdit: string, toDelete: string;
/** Someone alice blocks and unblocks (not bob: their conversation must stay open). */
let stranger: TestUser;
/** A browser push subscription's keys (a P-256 point and a 16-byte secret), for registerPushSubscription. */
const PUSH_KEYS = {
  p256dh: createECDH('prime256v1').generateKeys().toString('base64url'),
  auth: randomBytes(16).toString('base64url'),
};
/** Alice's password: the range probes of changePassword change it. */
let alicePassword = PASSWORD;

useTestServer(async (suite) => {
  server = suite.server;
  schema = buildSchema(await readFile(path.join(ROOT_DIR, 'schema.graphql'), 'utf8'));
  [alice, bob, stranger] = await Promise.all([
    signUp(server, 'alice'),
    signUp(server, 'bob'),
    signUp(server, 'stranger'),
  ]);
  // A conversation with messages both ways, some read, so that the widest queries return every field filled in.
  const send = `mutation($to: ID!, $t: String!) { sendMessage(recipientId: $to, content: $t) { id } }`;
  for (let i = 0; i < 3; i++) {
    await ok(server, send, { to: bob.id, t: `a${i}` }, alice.token);
    await ok(server, send, { to: alice.id, t: `b${i}` }, bob.token);
  }
  await ok(server, `mutation($s: ID!) { markRead(senderId: $s) { count } }`, { s: alice.id }, bob.token);
  // Alice's own messages for the lifecycle mutations: one to edit and react to, one to delete; a reply with both.
  const mine = `mutation($to: ID!, $t: String!, $r: ID) { sendMessage(recipientId: $to, content: $t, replyToId: $r) { id } }`;
  toEdit = (await ok(server, mine, { to: bob.id, t: 'to edit' }, alice.token)).sendMessage.id;
  toDelete = (await ok(server, mine, { to: bob.id, t: 'to delete' }, alice.token)).sendMessage.id;
  await ok(server, mine, { to: bob.id, t: 'a reply', r: toEdit }, alice.token);
  await ok(server, `mutation($m: ID!) { addReaction(messageId: $m, emoji: "👍") { id } }`, { m: toEdit }, bob.token);
});

/** POST /graphql as a GraphQL-over-HTTP client (Apollo Client, urql, graphql-http) asks: graphql-response+json. */
async function post(
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  accept = 'application/graphql-response+json, application/json;q=0.9',
): Promise<Answer> {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

/** The answer to one operation over graphql-ws: its errors (an `error` message, or a `next` with errors). */
function overWs(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GqlResult> {
  const client = wsClient(server, token);
  return new Promise<GqlResult>((resolve) => {
    let last: GqlResult = {};
    const done = (result: GqlResult) => {
      clearTimeout(timer);
      void client.dispose();
      resolve(result);
    };
    const timer = setTimeout(() => done(last), 5_000);
    client.subscribe(
      { query, variables },
      {
        next: (value) => void (last = value as GqlResult),
        error: (err) => done({ errors: Array.isArray(err) ? err : [{ message: String(err) }] }),
        complete: () => done(last),
      },
    );
  });
}

const codes = (body: { errors?: Err[] }) => (body.errors ?? []).map((e) => e.extensions?.code);
const LIMIT_CODES = ['QUERY_TOO_COMPLEX', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED'];

// ---------------------------------------------------------------------------------------------------------------
// The documented ranges, read from the argument descriptions.

type Range = { min?: number; max?: number };

/** "1..100", "3..32 characters", "up to 64 characters", "At least 8 characters". */
function documentedRange(arg: GraphQLArgument): Range | undefined {
  const text = arg.description ?? '';
  let m = /(\d+)\.\.(\d+)/.exec(text);
  if (m) return { min: Number(m[1]), max: Number(m[2]) };
  m = /up to (\d+) characters/i.exec(text);
  if (m) return { max: Number(m[1]) };
  m = /at least (\d+) characters/i.exec(text);
  if (m) return { min: Number(m[1]) };
  return undefined;
}

const rootFields = (type: GraphQLObjectType | null | undefined) =>
  Object.values(type?.getFields() ?? {}) as GraphQLField<unknown, unknown>[];

test('the ranges this suite checks are the ones schema.graphql documents', () => {
  const found: Record<string, Range> = {};
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    for (const field of rootFields(root)) {
      for (const arg of field.args) {
        const range = documentedRange(arg);
        if (range) found[`${root!.name}.${field.name}(${arg.name})`] = range;
      }
    }
  }
  // A description that stops stating its range (or a new one) shows here: check its enforcement below still holds.
  expect(found).toEqual({
    'Query.users(first)': { min: 1, max: 100 },
    'Query.chatHistory(first)': { min: 1, max: 100 },
    'Query.chatHistory(last)': { min: 1, max: 100 },
    'Query.conversations(first)': { min: 1, max: 100 },
    'Query.searchMessages(query)': { min: 1, max: 200 },
    'Query.searchMessages(first)': { min: 1, max: 50 },
    'Mutation.signUp(username)': { min: 3, max: 32 },
    'Mutation.signUp(password)': { min: 8 },
    'Mutation.signUp(displayName)': { max: 64 },
    'Mutation.sendMessage(content)': { min: 1, max: 4000 },
    'Mutation.sendMessage(clientMessageId)': { max: 128 },
    'Mutation.editMessage(content)': { min: 1, max: 4000 },
    'Mutation.createUpload(filename)': { min: 1, max: 255 },
    'Query.sessions(first)': { min: 1, max: 100 },
    'Query.blockedUsers(first)': { min: 1, max: 100 },
    'Mutation.updateProfile(displayName)': { max: 64 },
    'Mutation.changePassword(newPassword)': { min: 8, max: 256 },
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The widest legal operation of each root field.

/** Every field of `type`, object fields recursively; a type may appear twice on a path (one level of a cycle). */
function selectAll(type: GraphQLObjectType, path: string[] = [type.name]): string {
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (field.args.some((a) => isNonNullType(a.type))) continue;
    const named = getNamedType(field.type);
    if (!isObjectType(named)) parts.push(field.name);
    else if (path.filter((t) => t === named.name).length < 2) {
      parts.push(`${field.name} { ${selectAll(named, [...path, named.name])} }`);
    }
  }
  return parts.join(' ');
}

const unique = (prefix: string) => `${prefix}_${randomBytes(4).toString('hex')}`;

/** A legal string for a ranged argument, `length` characters long. */
function stringOf(field: string, arg: string, length: number): string {
  if (arg === 'username') return (unique('u') + 'x'.repeat(length)).slice(0, length).toLowerCase();
  if (arg === 'clientMessageId') return (randomBytes(length).toString('hex') + 'x'.repeat(length)).slice(0, length);
  return `${field}-${arg}-`.padEnd(length, 'x').slice(0, length);
}

type Operation = { name: string; query: string; variables: Record<string, unknown>; token?: string };

/**
 * The widest operations of a root field: a ranged Int (a page size) at its maximum, literal in the document — one
 * operation per page size argument, since chatHistory takes first or last —, ranged strings at their longest
 * (or their shortest when only that is documented), other required arguments from the small table below, other
 * optional arguments left out. With `probe`, that argument is a variable with the probe's value instead (and the
 * operation the one of that page size argument).
 */
function widestOperations(
  kind: 'query' | 'mutation' | 'subscription',
  field: GraphQLField<unknown, unknown>,
  viewer: TestUser,
  peer: TestUser,
  probe?: { arg: string; value: unknown },
): Operation[] {
  const required: Record<string, unknown> = {
    // logIn checks real credentials; every other required argument is the peer, or plain.
    'logIn.username': viewer.username,
    'logIn.password': PASSWORD,
    // createUpload takes a type from its allow-list and a size.
    'createUpload.contentType': 'text/plain',
    'createUpload.byteSize': 1,
    // The lifecycle mutations act on a message of the viewer's (alice's).
    'editMessage.id': toEdit,
    'deleteMessage.id': toDelete,
    'addReaction.messageId': toEdit,
    'addReaction.emoji': '🎉',
    'removeReaction.messageId': toEdit,
    'removeReaction.emoji': '🎉',
    // Account and safety: the viewer's password; a block of someone else than the peer.
    'changePassword.currentPassword': alicePassword,
    'deleteAccount.password': PASSWORD,
    'blockUser.userId': stranger.id,
    'unblockUser.userId': stranger.id,
    // Web Push: a subscription as a browser gives it (push/subscriptions.ts checks the keys).
    'registerPushSubscription.endpoint': 'https://push.example.test/contract-limits',
    'registerPushSubscription.p256dh': PUSH_KEYS.p256dh,
    'registerPushSubscription.auth': PUSH_KEYS.auth,
    'unregisterPushSubscription.endpoint': 'https://push.example.test/contract-limits',
  };
  const pageArgs = field.args.filter((a) => documentedRange(a) && getNamedType(a.type).name === 'Int');
  const probed = pageArgs.filter((a) => a.name === probe?.arg);
  const variants = probed.length ? [probed] : pageArgs.length ? pageArgs.map((a) => [a]) : [[]];
  return variants.map((pages) => {
    const literals: string[] = [];
    const declarations: string[] = [];
    const variables: Record<string, unknown> = {};
    for (const arg of field.args) {
      const range = documentedRange(arg);
      const typeName = getNamedType(arg.type).name;
      let value: unknown;
      if (arg.name === probe?.arg) value = probe.value;
      else if (pageArgs.includes(arg)) {
        if (pages.includes(arg)) literals.push(`${arg.name}: ${range!.max}`);
        continue;
      } else if (range && typeName === 'String') value = stringOf(field.name, arg.name, range.max ?? range.min!);
      else if (`${field.name}.${arg.name}` in required) value = required[`${field.name}.${arg.name}`];
      else if (!isNonNullType(arg.type)) continue;
      else if (typeName === 'ID') value = peer.id;
      else if (typeName === 'Boolean') value = true;
      else value = 'x';
      declarations.push(`$${arg.name}: ${String(arg.type)}`);
      literals.push(`${arg.name}: $${arg.name}`);
      variables[arg.name] = value;
    }
    const named = getNamedType(field.type);
    const selection = isObjectType(named) ? ` { ${selectAll(named)} }` : '';
    const args = literals.length ? `(${literals.join(', ')})` : '';
    const vars = declarations.length ? `(${declarations.join(', ')})` : '';
    const name = `${field.name}${pages.length && !probe ? `(${pages[0].name}: 100)` : ''}`;
    return { name, query: `${kind}${vars} { ${field.name}${args}${selection} }`, variables, token: viewer.token };
  });
}

const costOf = (query: string) => {
  const doc = parse(query);
  const fragments = new Map(
    doc.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const operation = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return operationCost(schema, operation, (name) => fragments.get(name)).cost;
};

test('the widest legal query of every root Query field runs, within every limit', async () => {
  const ran: string[] = [];
  for (const field of rootFields(schema.getQueryType())) {
    for (const op of widestOperations('query', field, alice, bob)) {
      const { status, body } = await post(op.query, op.variables, op.token);
      expect({ op: op.name, status, errors: body.errors }).toEqual({ op: op.name, status: 200, errors: undefined });
      expect(body.data[field.name]).toBeDefined();
      ran.push(`${op.name}: cost ${costOf(op.query)}`);
    }
  }
  console.log(`widest queries (limit ${QUERY_LIMITS.maxCost}):\n${ran.join('\n')}`);
  expect(ran.length).toBeGreaterThanOrEqual(rootFields(schema.getQueryType()).length + 1);
  // The pages hold items, so the widest selection really ran on them.
  const [, newest] = widestOperations('query', schema.getQueryType()!.getFields().chatHistory, alice, bob);
  const history = await post(newest.query, newest.variables, alice.token);
  expect(history.body.data.chatHistory.edges.length).toBeGreaterThanOrEqual(6);
  expect(history.body.data.chatHistory.edges[0].node.sender).toEqual(
    expect.objectContaining({ username: alice.username }),
  );
});

const SESSION_IDS = `{ sessions(first: 1) { edges { node { id } } } }`;

test('the widest legal call of every root Mutation field runs, within every limit', async () => {
  const ran: string[] = [];
  for (const field of rootFields(schema.getMutationType())) {
    // Logging out, a new password and leaving end the viewer's sessions: those run as a user of their own.
    const own = field.name.startsWith('logOut') || ['changePassword', 'deleteAccount'].includes(field.name);
    const viewer = own ? await signUp(server, 'leaver') : alice;
    // logOutSession ends one of the viewer's sessions, named by its id.
    const probe =
      field.name === 'logOutSession'
        ? { arg: 'id', value: (await ok(server, SESSION_IDS, {}, viewer.token)).sessions.edges[0].node.id }
        : undefined;
    for (const op of widestOperations('mutation', field, viewer, bob, probe)) {
      const { status, body } = await post(op.query, op.variables, op.token);
      expect({ op: op.name, status, errors: body.errors }).toEqual({ op: op.name, status: 200, errors: undefined });
      ran.push(`${op.name}: cost ${costOf(op.query)}`);
    }
  }
  console.log(`widest mutations:\n${ran.join('\n')}`);
  expect(ran).toHaveLength(rootFields(schema.getMutationType()).length);
});

test('the widest subscription of every root Subscription field is accepted over graphql-ws and delivers', async () => {
  const client = wsClient(server, alice.token);
  await connected(client, 0);
  const subs = rootFields(schema.getSubscriptionType()).flatMap((field) =>
    widestOperations('subscription', field, alice, bob).map((op) => ({
      op,
      sub: collect(client, op.query, op.variables),
    })),
  );
  await new Promise((r) => setTimeout(r, 300));
  // Something for each: bob types and writes, alice reads it (from another session).
  await ok(server, `mutation($w: ID!) { setTyping(withUserId: $w, typing: true) }`, { w: alice.id }, bob.token);
  await ok(
    server,
    `mutation($w: ID!) { sendMessage(recipientId: $w, content: "live") { id } }`,
    { w: alice.id },
    bob.token,
  );
  await ok(server, `mutation($s: ID!) { markRead(senderId: $s) { count } }`, { s: bob.id }, alice.token);
  await ok(server, `mutation($m: ID!) { addReaction(messageId: $m, emoji: "🎈") { id } }`, { m: toEdit }, bob.token);
  try {
    for (const { op, sub } of subs) {
      const [event] = await sub.waitFor(1);
      expect({ op: op.name, error: sub.error, errors: event.errors }).toEqual({
        op: op.name,
        error: undefined,
        errors: undefined,
      });
      expect(event.data).toBeTruthy();
    }
  } finally {
    for (const { sub } of subs) sub.dispose();
    await client.dispose();
  }
});

// ---------------------------------------------------------------------------------------------------------------
// One step beyond each documented range: BAD_USER_INPUT naming the argument. The ends themselves are accepted.

/** For each documented range, an operation at each of its ends ('inside') or one step beyond each ('outside'). */
function rangeProbes(kind: 'query' | 'mutation', edge: 'inside' | 'outside'): Operation[] {
  const ops: Operation[] = [];
  for (const field of rootFields(kind === 'query' ? schema.getQueryType() : schema.getMutationType())) {
    for (const arg of field.args) {
      const range = documentedRange(arg);
      if (!range) continue;
      const isInt = getNamedType(arg.type).name === 'Int';
      const ends = [range.min === undefined ? [] : [range.min, -1], range.max === undefined ? [] : [range.max, 1]];
      for (const [bound, step] of ends.filter((e) => e.length)) {
        const n = edge === 'inside' ? bound : bound + step;
        const value = isInt ? n : stringOf(field.name, arg.name, n);
        const [op] = widestOperations(kind, field, alice, bob, { arg: arg.name, value });
        ops.push({ ...op, name: `${field.name}(${arg.name}: ${isInt ? n : `${n} characters`})` });
      }
    }
  }
  return ops;
}

test('one step beyond a documented range is BAD_USER_INPUT naming the argument, never a limit error', async () => {
  const probes = [...rangeProbes('query', 'outside'), ...rangeProbes('mutation', 'outside')];
  expect(probes.length).toBeGreaterThanOrEqual(14);
  for (const op of probes) {
    const { status, body } = await post(op.query, op.variables, op.token);
    const argument = /\((\w+):/.exec(op.name)![1];
    expect({ op: op.name, status, errors: body.errors?.map((e) => e.extensions) }).toEqual({
      op: op.name,
      status: 200,
      errors: [expect.objectContaining({ code: 'BAD_USER_INPUT', argument })],
    });
  }
  // The report in the issue: a literal page of 1000 was refused as too costly (HTTP 200, "Syntax Error").
  const big = await post(
    `query($w: ID!) { chatHistory(withUserId: $w, last: 1000) { edges { node { id sender { id username displayName } recipient { id username displayName } } } } }`,
    { w: bob.id },
    alice.token,
  );
  expect(big.body.errors).toEqual([
    expect.objectContaining({
      message: 'last must be between 1 and 100.',
      extensions: { code: 'BAD_USER_INPUT', argument: 'last' },
    }),
  ]);
});

test('the ends of every documented range are accepted', async () => {
  for (const op of [...rangeProbes('query', 'inside'), ...rangeProbes('mutation', 'inside')]) {
    // Each accepted changePassword changes alice's password: the next one gives that one as the current.
    if (op.name.startsWith('changePassword(')) op.variables.currentPassword = alicePassword;
    const { status, body } = await post(op.query, op.variables, op.token);
    expect({ op: op.name, status, errors: body.errors }).toEqual({ op: op.name, status: 200, errors: undefined });
    if (op.name.startsWith('changePassword(')) alicePassword = op.variables.newPassword as string;
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Over the limits: QUERY_TOO_COMPLEX, naming the limit, HTTP 400, before anything runs.

const OWN = `id clientMessageId sender { id username displayName } recipient { id username displayName } content createdAt readAt cursor editedAt deletedAt updateCursor reactions { emoji count reactedByMe } attachments { id filename contentType byteSize url width height thumbnailUrl }`;
const MESSAGE = `${OWN} replyTo { ${OWN} }`;
const fullHistory = (alias: string, last: string) =>
  `${alias}: chatHistory(withUserId: $w, last: ${last}) { edges { cursor node { ${MESSAGE} } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }`;
const aliased = (n: number, fn: (alias: string) => string) =>
  Array.from({ length: n }, (_, i) => fn(`a${i}`)).join(' ');

async function expectTooComplex(
  query: string,
  variables: Record<string, unknown>,
  expected: { measure: string; limit: number; message: RegExp },
) {
  const { status, body } = await post(query, variables, alice.token);
  expect(status).toBe(400);
  expect(body.data).toBeUndefined();
  const error = body.errors?.find((e) => e.extensions?.code === 'QUERY_TOO_COMPLEX');
  expect(error).toEqual({
    ...error,
    message: expect.stringMatching(expected.message),
    extensions: expect.objectContaining({
      code: 'QUERY_TOO_COMPLEX',
      measure: expected.measure,
      limit: expected.limit,
    }),
  });
  expect(error!.message).not.toMatch(/Syntax Error/);
  return error!;
}

test('aliased 100-item pages are over the cost limit, whether the page sizes are literals or variables', async () => {
  const cost = await expectTooComplex(
    `query($w: ID!) { ${aliased(3, (a) => fullHistory(a, '100'))} }`,
    { w: bob.id },
    {
      measure: 'cost',
      limit: QUERY_LIMITS.maxCost,
      message: new RegExp(
        `^Query cost \\d+ is over the limit of ${QUERY_LIMITS.maxCost}: ask for fewer fields or smaller pages`,
      ),
    },
  );
  expect(cost.extensions!.found).toBe(3 * costOf(`query($w: ID!) { ${fullHistory('a', '100')} }`));
  // A page size in a variable counts as the largest page: the document is checked for every value it may get.
  await expectTooComplex(
    `query($w: ID!, $n: Int) { ${aliased(3, (a) => fullHistory(a, '$n'))} }`,
    { w: bob.id, n: 1 },
    {
      measure: 'cost',
      limit: QUERY_LIMITS.maxCost,
      message: /^Query cost \d+ is over/,
    },
  );
  await expectTooComplex(
    `{ ${aliased(2, (a) => `${a}: conversations(first: 100) { edges { node { lastMessage { ${MESSAGE} } peerLastRead { ${MESSAGE} } } } }`)} }`,
    {},
    {
      measure: 'cost',
      limit: QUERY_LIMITS.maxCost,
      message: /^Query cost \d+ is over/,
    },
  );
  // Two such pages are fine.
  const three = await post(
    `query($w: ID!) { ${aliased(2, (a) => fullHistory(a, '100'))} }`,
    { w: bob.id },
    alice.token,
  );
  expect({ status: three.status, errors: three.body.errors }).toEqual({ status: 200, errors: undefined });
});

test('depth, aliases, tokens, directives and introspection depth over their limits are QUERY_TOO_COMPLEX', async () => {
  // The schema has no legal selection deeper than 6; unknown fields deeper than 8 are refused for depth too.
  await expectTooComplex(
    `{ me { a { b { c { d { e { f { g { h } } } } } } } } }`,
    {},
    {
      measure: 'depth',
      limit: QUERY_LIMITS.maxDepth,
      message: new RegExp(`^Query depth 9 is over the limit of ${QUERY_LIMITS.maxDepth}`),
    },
  );
  await expectTooComplex(
    `{ ${aliased(QUERY_LIMITS.maxAliases + 1, (a) => `${a}: me { id }`)} }`,
    {},
    {
      measure: 'aliases',
      limit: QUERY_LIMITS.maxAliases,
      message: new RegExp(
        `^Query has ${QUERY_LIMITS.maxAliases + 1} aliases, over the limit of ${QUERY_LIMITS.maxAliases}`,
      ),
    },
  );
  await expectTooComplex(
    `{ me { ${'id '.repeat(QUERY_LIMITS.maxTokens)} } }`,
    {},
    {
      measure: 'tokens',
      limit: QUERY_LIMITS.maxTokens,
      message: new RegExp(`^Query is over the limit of ${QUERY_LIMITS.maxTokens} tokens`),
    },
  );
  await expectTooComplex(
    `{ ${'__typename @include(if: true) '.repeat(QUERY_LIMITS.maxDirectives + 1)} }`,
    {},
    {
      measure: 'directives',
      limit: QUERY_LIMITS.maxDirectives,
      message: new RegExp(
        `^Query has ${QUERY_LIMITS.maxDirectives + 1} directives, over the limit of ${QUERY_LIMITS.maxDirectives}`,
      ),
    },
  );
  await expectTooComplex(
    `{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }`,
    {},
    {
      measure: 'introspectionDepth',
      limit: 3,
      message: /^Introspection query nests .* over the limit of 3 deep/,
    },
  );
  // GraphiQL's own introspection query is within every limit.
  const { getIntrospectionQuery } = await import('graphql');
  const introspection = await post(getIntrospectionQuery(), {});
  expect({ status: introspection.status, errors: introspection.body.errors }).toEqual({
    status: 200,
    errors: undefined,
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Every error before execution says what was wrong, over HTTP and graphql-ws.

const REQUEST_ERRORS: {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  code: string;
  message: RegExp;
}[] = [
  {
    name: 'syntax',
    query: '{ me { id }',
    code: 'GRAPHQL_PARSE_FAILED',
    message: /^Syntax Error: Expected Name, found <EOF>/,
  },
  {
    name: 'unknown field',
    query: '{ me { nope } }',
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: /^Cannot query field "nope"/,
  },
  {
    name: 'literal out of Int',
    query: '{ users(first: 99999999999) { edges { cursor } } }',
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: /Int cannot represent/,
  },
  {
    name: 'missing variable',
    query: 'query($w: ID!) { conversation(withUserId: $w) { id } }',
    code: 'BAD_USER_INPUT',
    message: /^Variable "\$w" of required type "ID!" was not provided\.$/,
  },
  {
    name: 'variable of the wrong type',
    query: 'query($n: Int) { users(first: $n) { edges { cursor } } }',
    variables: { n: 'ten' },
    code: 'BAD_USER_INPUT',
    message: /^Variable "\$n" got invalid value "ten"; Int cannot represent/,
  },
  {
    name: 'null for a non-null variable',
    query: 'query($w: ID!) { conversation(withUserId: $w) { id } }',
    variables: { w: null },
    code: 'BAD_USER_INPUT',
    message: /^Variable "\$w" of non-null type "ID!" must not be null\.$/,
  },
  {
    name: 'over the cost limit',
    query: `query($w: ID!) { ${aliased(3, (a) => fullHistory(a, '100'))} }`,
    variables: { w: '00000000-0000-0000-0000-000000000000' },
    code: 'QUERY_TOO_COMPLEX',
    message: /^Query cost \d+ is over the limit of 80000/,
  },
  {
    name: 'over the token limit',
    query: `{ me { ${'id '.repeat(QUERY_LIMITS.maxTokens)} } }`,
    code: 'QUERY_TOO_COMPLEX',
    message: /^Query is over the limit of 1000 tokens/,
  },
];

test.each(REQUEST_ERRORS)('$name: $code, HTTP 400 (200 to application/json-only clients)', async (c) => {
  for (const [accept, expectedStatus] of [
    ['application/graphql-response+json', 400],
    ['application/json', 200], // GraphQL over HTTP: a legacy JSON client gets 200 with the errors
  ] as const) {
    const { status, body } = await post(c.query, c.variables, alice.token, accept);
    expect({ accept, status }).toEqual({ accept, status: expectedStatus });
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]).toEqual(
      expect.objectContaining({
        message: expect.stringMatching(c.message),
        extensions: expect.objectContaining({ code: c.code }),
      }),
    );
    expect(codes(body).every((code) => code === c.code || code === 'GRAPHQL_VALIDATION_FAILED')).toBe(true);
  }
});

test.each(REQUEST_ERRORS)('$name over graphql-ws: $code too', async (c) => {
  const result = await overWs(c.query, c.variables, alice.token);
  expect(result.errors?.[0]).toEqual(
    expect.objectContaining({
      message: expect.stringMatching(c.message),
      extensions: expect.objectContaining({ code: c.code }),
    }),
  );
});

const TWO_OPERATIONS = 'query A { me { id } } query B { me { id } }';

test('which operation to run: OPERATION_RESOLUTION_FAILURE over HTTP', async () => {
  const { status, body } = await post(TWO_OPERATIONS, {}, alice.token);
  expect(status).toBe(400);
  expect(codes(body)).toEqual(['OPERATION_RESOLUTION_FAILURE']);
});

// Known gap: graphql-ws itself answers "Unable to identify operation" after our onSubscribe, with no code and past
// every envelop hook. Passing its errors through withCode (graphql-ws's `onError` option, in graphql-ws.ts) fixes
// it; this test then starts passing and must become a plain test.
test('which operation to run: OPERATION_RESOLUTION_FAILURE over graphql-ws too', async () => {
  const result = await overWs(TWO_OPERATIONS, {}, alice.token);
  expect(codes(result as Answer['body'])).toEqual(['OPERATION_RESOLUTION_FAILURE']);
});

// ---------------------------------------------------------------------------------------------------------------
// The web app's operations (web/src/gql, as Apollo Client sends them: __typename added) are within every limit.

async function webDocuments(): Promise<{ name: string; document: DocumentNode }[]> {
  const source = await readFile(path.join(ROOT_DIR, 'web/src/gql/graphql.ts'), 'utf8');
  const docs = [...source.matchAll(/^export const (\w+)Document = (\{.*\}) as unknown as /gm)].map(
    ([, name, json]) => ({
      name,
      document: JSON.parse(json) as DocumentNode,
    }),
  );
  expect(docs.length).toBeGreaterThan(10);
  return docs.map(({ name, document }) => ({
    name,
    // Apollo Client's addTypenameToDocument: __typename in every selection set but the operation's own.
    document: visit(document, {
      SelectionSet: (node, _key, parent) =>
        (parent as { kind?: string })?.kind === Kind.OPERATION_DEFINITION ||
        node.selections.some((s) => s.kind === Kind.FIELD && s.name.value === '__typename')
          ? undefined
          : {
              ...node,
              selections: [...node.selections, { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } }],
            },
    }),
  }));
}

test('the web app’s operations are within every limit (checked by the server, not run)', async () => {
  const seen: string[] = [];
  for (const { name, document } of await webDocuments()) {
    const query = print(document);
    const operation = document.definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    )!;
    // Signed out and without variables, nothing runs (UNAUTHENTICATED, or BAD_USER_INPUT for a missing variable),
    // but the document is parsed and validated, limits included.
    const result = operation.operation === 'subscription' ? await overWs(query) : (await post(query)).body;
    const limitErrors = (result.errors ?? []).filter((e) => LIMIT_CODES.includes(e.extensions?.code as string));
    expect({ name, limitErrors }).toEqual({ name, limitErrors: [] });
    const cost = costOf(query);
    expect(cost).toBeLessThan(QUERY_LIMITS.maxCost / 2);
    seen.push(`${name}: cost ${cost}`);
  }
  console.log(`web app operations (limit ${QUERY_LIMITS.maxCost}):\n${seen.join('\n')}`);
});
