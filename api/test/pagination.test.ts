// chatHistory paging: Relay semantics over 250 messages, each exactly once and in order, both directions.
import { gql, ok, signUp, type TestServer, type TestUser } from './support/server.ts';
import { useTestServer } from './support/suite.ts';

const PAGE = `query($with: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  chatHistory(withUserId: $with, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { id content createdAt sender { id } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

let server: TestServer;
let alice: TestUser, bob: TestUser;
const sent: string[] = [];

useTestServer(async (suite) => {
  server = suite.server;
  [alice, bob] = await Promise.all([signUp(server, 'alice'), signUp(server, 'bob')]);
  // 250 messages, alternating senders, sent from two concurrent streams to exercise ordering.
  for (let i = 0; i < 250; i += 2) {
    await Promise.all([
      ok(
        server,
        `mutation($to: ID!, $t: String!) { sendMessage(recipientId: $to, content: $t) { id } }`,
        { to: bob.id, t: `m${i}` },
        alice.token,
      ),
      ok(
        server,
        `mutation($to: ID!, $t: String!) { sendMessage(recipientId: $to, content: $t) { id } }`,
        { to: alice.id, t: `m${i + 1}` },
        bob.token,
      ),
    ]).then((r) => sent.push(...r.map((x) => x.sendMessage.id)));
  }
});

type Page = { edges: { cursor: string; node: { id: string; content: string; createdAt: string } }[]; pageInfo: any };
const page = async (vars: Record<string, unknown>, token = alice.token): Promise<Page> =>
  (await ok(server, PAGE, { with: token === alice.token ? bob.id : alice.id, ...vars }, token)).chatHistory;

test('the default is the newest 50, oldest first inside the page', async () => {
  const p = await page({});
  expect(p.edges).toHaveLength(50);
  expect(p.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
  const times = p.edges.map((e) => e.node.createdAt);
  expect([...times].sort()).toEqual(times);
});

test('paging back with last/before returns all 250 exactly once, in order; both participants see the same', async () => {
  for (const token of [alice.token, bob.token]) {
    const seen: string[] = [];
    let before: string | undefined;
    let pages = 0;
    for (;;) {
      const p = await page({ last: 37, before }, token);
      seen.unshift(...p.edges.map((e) => e.node.id));
      pages++;
      if (!p.pageInfo.hasPreviousPage) break;
      expect(p.pageInfo.startCursor).toBe(p.edges[0].cursor);
      before = p.pageInfo.startCursor;
    }
    expect(pages).toBe(Math.ceil(250 / 37));
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
    expect(seen).toEqual(await forwardIds(token));
  }
});

async function forwardNodes(token: string): Promise<{ id: string; content: string }[]> {
  const nodes: { id: string; content: string }[] = [];
  let after: string | undefined;
  for (;;) {
    const p = await page({ first: 100, after }, token);
    nodes.push(...p.edges.map((e) => e.node));
    if (after) expect(p.pageInfo.hasPreviousPage).toBe(true);
    if (!p.pageInfo.hasNextPage) break;
    after = p.pageInfo.endCursor;
  }
  return nodes;
}
const forwardIds = async (token: string) => (await forwardNodes(token)).map((n) => n.id);

test('paging forward with first/after returns all 250 exactly once, in send order per sender', async () => {
  const nodes = await forwardNodes(alice.token);
  expect(nodes).toHaveLength(250);
  expect(new Set(nodes.map((n) => n.id))).toEqual(new Set(sent));
  // Each sender's own messages keep the order in which they were acknowledged (alice sent the even ones).
  const numbers = nodes.map((n) => Number(n.content.slice(1)));
  for (const parity of [0, 1]) {
    const mine = numbers.filter((n) => n % 2 === parity);
    expect(mine).toEqual(Array.from({ length: 125 }, (_, i) => 2 * i + parity));
  }
});

test('after and before together select the range between them', async () => {
  const ten = await page({ first: 10 });
  const inner = await page({ first: 100, after: ten.edges[2].cursor, before: ten.edges[7].cursor });
  expect(inner.edges.map((e) => e.node.id)).toEqual(ten.edges.slice(3, 7).map((e) => e.node.id));
  expect(inner.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
  const innerBack = await page({ last: 2, after: ten.edges[2].cursor, before: ten.edges[7].cursor });
  expect(innerBack.edges.map((e) => e.node.id)).toEqual(ten.edges.slice(5, 7).map((e) => e.node.id));
  expect(innerBack.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
});

test('bad paging arguments are BAD_USER_INPUT', async () => {
  const carol = await signUp(server, 'carol');
  const foreign = (await page({ first: 1 })).edges[0].cursor;
  await ok(
    server,
    `mutation($to: ID!) { sendMessage(recipientId: $to, content: "x") { id } }`,
    { to: alice.id },
    carol.token,
  );
  const bad: Record<string, unknown>[] = [
    { first: 0 },
    { last: 101 },
    { first: -1 },
    { first: 5, last: 5 },
    { after: 'garbage' },
    { before: Buffer.from('x:1').toString('base64url') },
  ];
  for (const vars of bad) {
    const r = await gql(server, PAGE, { with: bob.id, ...vars }, alice.token);
    expect([vars, r.errors?.[0]?.extensions?.code]).toEqual([vars, 'BAD_USER_INPUT']);
  }
  // A cursor from the alice–bob conversation means nothing in the alice–carol one.
  const r = await gql(server, PAGE, { with: carol.id, after: foreign }, alice.token);
  expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  const unknownUser = await gql(server, PAGE, { with: '00000000-0000-4000-8000-000000000000' }, alice.token);
  expect(unknownUser.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
});

test('a conversation without messages is an empty page', async () => {
  const dave = await signUp(server, 'dave');
  const p = await page({}, dave.token);
  expect(p).toEqual({
    edges: [],
    pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
  });
});
