// Queries and mutations run on graphql-js the first time a document is seen and compiled (graphql-jit) from then on
// (api/src/http/compiled-execution.ts): every answer, refusal and request error must read the same either way.
import { gql, ok, signUp, type TestServer, type TestUser } from './support/server.ts';
import { useTestServer } from './support/suite.ts';

const SEND = `mutation($to: ID!, $text: String!, $reply: ID) {
  sendMessage(recipientId: $to, content: $text, replyToId: $reply) { id }
}`;
const REACT = `mutation($id: ID!, $e: String!) { addReaction(messageId: $id, emoji: $e) { id } }`;
// The web client's page: the quoted message, reactions, attachments, cursors, both users.
const PAGE = `query($with: ID!, $last: Int) {
  chatHistory(withUserId: $with, last: $last) {
    edges { cursor node {
      id content createdAt readAt editedAt deletedAt cursor updateCursor clientMessageId
      sender { id username displayName } recipient { id }
      replyTo { id content deletedAt sender { id displayName } reactions { emoji count reactedByMe } }
      reactions { emoji count reactedByMe }
      attachments { id url }
    } }
    pageInfo { hasPreviousPage hasNextPage startCursor endCursor }
  }
}`;
const EDIT = `mutation($id: ID!, $text: String!) { editMessage(id: $id, content: $text) { id content } }`;

let server: TestServer;
let alice: TestUser, bob: TestUser;

useTestServer(async (suite) => {
  server = suite.server;
  [alice, bob] = await Promise.all([signUp(server, 'alice'), signUp(server, 'bob')]);
});

/** The same request `times` times, one after another (the first on graphql-js, the later ones compiled). */
async function runs(times: number, ...args: Parameters<typeof gql>) {
  const results = [];
  for (let i = 0; i < times; i++) results.push(await gql(...args));
  return results;
}

test('a history page with quoted messages and reactions reads the same before and after its document is compiled', async () => {
  const first = await ok(server, SEND, { to: bob.id, text: 'Lunch at noon?' }, alice.token);
  const reply = await ok(
    server,
    SEND,
    { to: alice.id, text: 'Yes, the usual place', reply: first.sendMessage.id },
    bob.token,
  );
  await ok(server, REACT, { id: first.sendMessage.id, e: '👍' }, bob.token);
  await ok(server, REACT, { id: reply.sendMessage.id, e: '🎉' }, alice.token);

  const [once, ...later] = await runs(4, server, PAGE, { with: bob.id, last: 10 }, alice.token);
  expect(once.errors).toBeUndefined();
  const edges = once.data.chatHistory.edges;
  expect(edges.map((e: any) => e.node.content)).toEqual(['Lunch at noon?', 'Yes, the usual place']);
  expect(edges[1].node.replyTo).toMatchObject({ id: first.sendMessage.id, reactions: [{ emoji: '👍', count: 1 }] });
  expect(edges[1].node.reactions).toEqual([{ emoji: '🎉', count: 1, reactedByMe: true }]);
  for (const result of later) expect(result).toEqual(once);
});

test('a refusal from a resolver reads the same on every run: code, message, path', async () => {
  const sent = await ok(server, SEND, { to: bob.id, text: 'mine to edit' }, alice.token);
  const results = await runs(3, server, EDIT, { id: sent.sendMessage.id, text: 'not yours' }, bob.token);
  expect(results[0]).toMatchObject({
    data: null,
    errors: [{ path: ['editMessage'], extensions: { code: 'FORBIDDEN' } }],
  });
  for (const result of results.slice(1)) expect(result).toEqual(results[0]);
});

test('an argument out of range reads the same on every run', async () => {
  const results = await runs(3, server, PAGE, { with: bob.id, last: 0 }, alice.token);
  expect(results[0].errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'last' });
  for (const result of results.slice(1)) expect(result).toEqual(results[0]);
});

test('a variable of the wrong type for a compiled document gets graphql-js’s own request error', async () => {
  await runs(2, server, PAGE, { with: bob.id, last: 5 }, alice.token); // compiled from here on
  const bad = await gql(server, PAGE, { with: bob.id, last: 'five' }, alice.token);
  expect(bad.data).toBeUndefined();
  expect(bad.errors).toEqual([
    expect.objectContaining({
      message: 'Variable "$last" got invalid value "five"; Int cannot represent non-integer value: "five"',
      extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
    }),
  ]);
});
