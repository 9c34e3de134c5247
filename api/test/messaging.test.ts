// Sending, live delivery over graphql-ws and SSE, read receipts, and who may see what.
import { collect, connected, gql, ok, signUp, wsClient, type TestServer, type TestUser } from './support/server.ts';
import { useTestServer } from './support/suite.ts';

const SEND = `mutation($to: ID!, $text: String!, $cid: String) {
  sendMessage(recipientId: $to, content: $text, clientMessageId: $cid) {
    id content clientMessageId createdAt readAt sender { id username } recipient { id }
  }
}`;
const ADDED = `subscription($with: ID) { messageAdded(withUserId: $with) { id content sender { id } recipient { id } } }`;
const HISTORY = `query($with: ID!) { chatHistory(withUserId: $with) { edges { node { id content readAt sender { id } } } } }`;
const MARK = `mutation($from: ID!, $upTo: ID) { markRead(senderId: $from, upToMessageId: $upTo) { count readAt } }`;

let server: TestServer;
let alice: TestUser, bob: TestUser, carol: TestUser;

useTestServer(async (suite) => {
  server = suite.server;
  [alice, bob, carol] = await Promise.all([signUp(server, 'alice'), signUp(server, 'bob'), signUp(server, 'carol')]);
});

const codeOf = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;

test('two users exchange messages live over graphql-ws; the sender’s other tab sees its own message', async () => {
  const aliceTab1 = wsClient(server, alice.token);
  const aliceTab2 = wsClient(server, alice.token);
  const bobTab = wsClient(server, bob.token);
  try {
    const a1 = collect(aliceTab1, ADDED, { with: bob.id });
    const a2 = collect(aliceTab2, ADDED, {});
    const b = collect(bobTab, ADDED, {});
    await Promise.all([connected(aliceTab1), connected(aliceTab2), connected(bobTab)]);

    const sent = await ok(server, SEND, { to: bob.id, text: '  Hello Bob  ', cid: 'a-1' }, alice.token);
    expect(sent.sendMessage).toMatchObject({
      content: 'Hello Bob',
      clientMessageId: 'a-1',
      readAt: null,
      sender: { id: alice.id },
    });
    await ok(server, SEND, { to: alice.id, text: 'Hi Alice' }, bob.token);

    const [bobEvents, a1Events, a2Events] = await Promise.all([b.waitFor(2), a1.waitFor(2), a2.waitFor(2)]);
    const contents = (events: { data?: any }[]) => events.map((e) => e.data.messageAdded.content);
    expect(contents(bobEvents)).toEqual(['Hello Bob', 'Hi Alice']);
    expect(contents(a1Events)).toEqual(['Hello Bob', 'Hi Alice']);
    expect(contents(a2Events)).toEqual(['Hello Bob', 'Hi Alice']);
    expect(bobEvents[0].data.messageAdded.id).toBe(sent.sendMessage.id);
  } finally {
    await Promise.all([aliceTab1.dispose(), aliceTab2.dispose(), bobTab.dispose()]);
  }
});

test('a third user cannot read, mark or receive a conversation they are not in', async () => {
  const carolSocket = wsClient(server, carol.token);
  try {
    const all = collect(carolSocket, ADDED, {});
    const withAlice = collect(carolSocket, ADDED, { with: alice.id });
    await connected(carolSocket);
    const sent = await ok(server, SEND, { to: bob.id, text: 'secret for bob' }, alice.token);

    // Carol's history with either of them does not contain their messages.
    const history = await ok(server, HISTORY, { with: alice.id }, carol.token);
    expect(history.chatHistory.edges).toEqual([]);
    // She cannot mark Alice's message to Bob read, neither by sender nor by naming the message.
    const mark = await ok(server, MARK, { from: alice.id }, carol.token);
    expect(mark.markRead.count).toBe(0);
    const markById = await gql(server, MARK, { from: alice.id, upTo: sent.sendMessage.id }, carol.token);
    expect(codeOf(markById)).toBe('FORBIDDEN');
    const bobHistory = await ok(server, HISTORY, { with: alice.id }, bob.token);
    expect(bobHistory.chatHistory.edges.at(-1).node).toMatchObject({ content: 'secret for bob', readAt: null });

    // A message that does concern Carol arrives, and is the only thing she received.
    await ok(server, SEND, { to: carol.id, text: 'hi carol' }, bob.token);
    const events = await all.waitFor(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(events.map((e) => e.data.messageAdded.content)).toEqual(['hi carol']);
    expect(withAlice.events).toEqual([]);
  } finally {
    await carolSocket.dispose();
  }
});

test('messageAdded(withUserId) only delivers that conversation', async () => {
  const socket = wsClient(server, alice.token);
  try {
    const onlyCarol = collect(socket, ADDED, { with: carol.id });
    await connected(socket);
    await ok(server, SEND, { to: alice.id, text: 'from bob' }, bob.token);
    await ok(server, SEND, { to: alice.id, text: 'from carol' }, carol.token);
    const events = await onlyCarol.waitFor(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(events.map((e) => e.data.messageAdded.content)).toEqual(['from carol']);
  } finally {
    await socket.dispose();
  }
});

test('subscriptions also work over SSE with the Authorization header', async () => {
  const controller = new AbortController();
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${bob.token}` },
    body: JSON.stringify({ query: ADDED, variables: { with: carol.id } }),
    signal: controller.signal,
  });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.getReader();
  setTimeout(() => void ok(server, SEND, { to: bob.id, text: 'over sse' }, carol.token), 300);
  let text = '';
  while (!text.includes('over sse')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  controller.abort();
  expect(text).toContain('"content":"over sse"');
});

test('sendMessage validates its input with BAD_USER_INPUT / NOT_FOUND / UNAUTHENTICATED', async () => {
  const cases: [Record<string, unknown>, string | undefined, string][] = [
    [{ to: bob.id, text: '   ' }, alice.token, 'BAD_USER_INPUT'],
    [{ to: bob.id, text: 'x'.repeat(4001) }, alice.token, 'BAD_USER_INPUT'],
    [{ to: alice.id, text: 'me to me' }, alice.token, 'BAD_USER_INPUT'],
    [{ to: 'not-an-id', text: 'hi' }, alice.token, 'BAD_USER_INPUT'],
    [{ to: '00000000-0000-4000-8000-000000000000', text: 'hi' }, alice.token, 'NOT_FOUND'],
    [{ to: bob.id, text: 'hi', cid: '' }, alice.token, 'BAD_USER_INPUT'],
    [{ to: bob.id, text: 'hi' }, undefined, 'UNAUTHENTICATED'],
    [{ to: bob.id, text: 'hi' }, 'not.a.token', 'UNAUTHENTICATED'],
  ];
  for (const [vars, token, code] of cases) {
    const result = await gql(server, SEND, vars, token);
    expect({ vars: Object.keys(vars), code: codeOf(result) }).toEqual({ vars: Object.keys(vars), code });
    expect(result.data).toBeNull();
  }
  // 4000 characters (after trimming) is fine, and counts code points, not UTF-16 units.
  const long = await gql(server, SEND, { to: bob.id, text: ` ${'😀'.repeat(4000)} ` }, alice.token);
  expect(long.errors).toBeUndefined();
});

test('the sender is always the signed-in user, and clientMessageId is shown to the sender only', async () => {
  const sent = await ok(server, SEND, { to: carol.id, text: 'mine', cid: 'cid-carol-1' }, bob.token);
  expect(sent.sendMessage.sender.id).toBe(bob.id);
  const carolView = await ok(
    server,
    `query($w: ID!) { chatHistory(withUserId: $w, last: 1) { edges { node { clientMessageId } } } }`,
    { w: bob.id },
    carol.token,
  );
  expect(carolView.chatHistory.edges[0].node.clientMessageId).toBeNull();
  const bobView = await ok(
    server,
    `query($w: ID!) { chatHistory(withUserId: $w, last: 1) { edges { node { clientMessageId } } } }`,
    { w: carol.id },
    bob.token,
  );
  expect(bobView.chatHistory.edges[0].node.clientMessageId).toBe('cid-carol-1');
});

test('markRead marks what the sender sent me, up to a message, idempotently', async () => {
  const [dan, eve] = await Promise.all([signUp(server, 'dan'), signUp(server, 'eve')]);
  const ids: string[] = [];
  for (const text of ['one', 'two', 'three'])
    ids.push((await ok(server, SEND, { to: eve.id, text }, dan.token)).sendMessage.id);
  const mine = (await ok(server, SEND, { to: dan.id, text: 'eve writes' }, eve.token)).sendMessage.id;

  const upTo = await ok(server, MARK, { from: dan.id, upTo: ids[1] }, eve.token);
  expect(upTo.markRead.count).toBe(2);
  expect(new Date(upTo.markRead.readAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
  const rest = await ok(server, MARK, { from: dan.id }, eve.token);
  expect(rest.markRead.count).toBe(1);
  const again = await ok(server, MARK, { from: dan.id }, eve.token);
  expect(again.markRead.count).toBe(0);

  const history = await ok(server, HISTORY, { with: eve.id }, dan.token);
  const byId = new Map(history.chatHistory.edges.map((e: any) => [e.node.id, e.node]));
  expect((byId.get(ids[0]) as any).readAt).toBe(upTo.markRead.readAt);
  expect((byId.get(ids[2]) as any).readAt).toBe(rest.markRead.readAt);
  expect((byId.get(mine) as any).readAt).toBeNull(); // eve's own message is dan's to mark

  expect(
    codeOf(await gql(server, MARK, { from: dan.id, upTo: '00000000-0000-4000-8000-000000000000' }, eve.token)),
  ).toBe('NOT_FOUND');
  expect(codeOf(await gql(server, MARK, { from: eve.id }, eve.token))).toBe('BAD_USER_INPUT');
  expect(codeOf(await gql(server, MARK, { from: 'nope' }, eve.token))).toBe('BAD_USER_INPUT');
  expect(codeOf(await gql(server, MARK, { from: dan.id }))).toBe('UNAUTHENTICATED');
});

test('connectionParams.Authorization is accepted in any letter case', async () => {
  const socket = wsClient(server, undefined, { connectionParams: { Authorization: `Bearer ${carol.token}` } });
  try {
    const events = collect(socket, ADDED, { with: bob.id });
    await connected(socket);
    await ok(server, SEND, { to: carol.id, text: 'case-insensitive' }, bob.token);
    expect((await events.waitFor(1)).map((e) => e.data?.messageAdded.content)).toEqual(['case-insensitive']);
  } finally {
    await socket.dispose();
  }
});

test('headers sent with an operation (extensions.headers, as GraphiQL does) authenticate it on a socket opened without a token', async () => {
  const socket = wsClient(server);
  try {
    const mine = collect(socket, ADDED, { with: bob.id }, { headers: { Authorization: `Bearer ${carol.token}` } });
    const forged = collect(socket, ADDED, {}, { headers: { authorization: 'Bearer forged.token.value' } });
    const anonymous = collect(socket, ADDED, {});
    await connected(socket);
    await ok(server, SEND, { to: carol.id, text: 'via operation headers' }, bob.token);
    expect((await mine.waitFor(1)).map((e) => e.data?.messageAdded.content)).toEqual(['via operation headers']);
    // A refused token fails that operation only; the socket stays up for the others.
    await forged.waitFor(1);
    expect((forged.error as { extensions?: { code?: string } }[])[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(codeOf((await anonymous.waitFor(1))[0]!)).toBe('UNAUTHENTICATED');
    expect(mine.error).toBeUndefined();
  } finally {
    await socket.dispose();
  }
});

test('GraphiQL is served with the server (no CDN), ready for subscriptions over WebSocket', async () => {
  const res = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
  const html = await res.text();
  expect(res.status).toBe(200);
  expect(html).toContain('parley GraphiQL');
  expect(html).not.toMatch(/<script[^>]+src=["']?https?:|<link[^>]+href=["']?https?:\/\/unpkg/);
});

test('a graphql-ws connection with an invalid token is closed with 4403', async () => {
  const socket = wsClient(server, 'forged.token.value');
  await expect(connected(socket)).rejects.toMatchObject({ event: { code: 4403 } });
  await socket.dispose();
});

test('a subscription without a token is refused with UNAUTHENTICATED', async () => {
  const socket = wsClient(server);
  try {
    const sub = collect(socket, ADDED, {});
    await sub.waitFor(1).catch(() => {});
    const first = sub.events[0] ?? { errors: sub.error as any };
    const errors = Array.isArray(first.errors) ? first.errors : [];
    expect(errors[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  } finally {
    await socket.dispose();
  }
});
