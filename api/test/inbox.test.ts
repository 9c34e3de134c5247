// The inbox: conversations by latest activity with unread counts and read positions, live conversation updates,
// read receipts and typing — to every session of both participants, and to nobody else.
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { describeWith } from './support/requirements.ts';
import {
  collect,
  connected,
  gql,
  ok,
  signUp,
  sleep,
  spawnServer,
  wsClient,
  type ServerProcess,
  type TestServer,
  type TestUser,
} from './support/server.ts';
import { useTestServer } from './support/suite.ts';

const SEND = `mutation($to: ID!, $text: String!) { sendMessage(recipientId: $to, content: $text) { id createdAt } }`;
const MARK = `mutation($from: ID!, $upTo: ID) { markRead(senderId: $from, upToMessageId: $upTo) { count } }`;
const VIEW = `id unreadCount lastActivityAt peer { id username } lastMessage { id content sender { id } } peerLastRead { id content readAt }`;
const INBOX = `query($first: Int, $after: String) {
  conversations(first: $first, after: $after) { edges { cursor node { ${VIEW} } } pageInfo { hasNextPage hasPreviousPage endCursor } }
  unreadCount
}`;
const ONE = `query($with: ID!) { conversation(withUserId: $with) { ${VIEW} } }`;
const UPDATED = `subscription { conversationUpdated { ${VIEW} } }`;
const RECEIPTS = `subscription($with: ID) { messagesRead(withUserId: $with) { conversation { id unreadCount peerLastRead { id } } reader { id } upTo { id content readAt } readAt count } }`;
const TYPING = `subscription($with: ID!) { typing(withUserId: $with) { user { id } typing expiresAt } }`;
const TYPING_ANYONE = `subscription { typing { user { id } typing expiresAt } }`;
const SET_TYPING = `mutation($with: ID!, $typing: Boolean!) { setTyping(withUserId: $with, typing: $typing) }`;

const codeOf = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;

let server: TestServer;
useTestServer(async (suite) => {
  server = suite.server;
});

const people = (...names: string[]) => Promise.all(names.map((n) => signUp(server, n)));
const send = async (from: TestUser, to: TestUser, text: string) =>
  (await ok(server, SEND, { to: to.id, text }, from.token)).sendMessage as { id: string; createdAt: string };

test('the inbox lists conversations by latest activity, with previews, unread counts and the total', async () => {
  const [bob, alice, carol, dan] = await people('bob', 'alice', 'carol', 'dan');
  expect((await ok(server, INBOX, {}, bob.token)).conversations.edges).toEqual([]);
  expect((await ok(server, ONE, { with: alice.id }, bob.token)).conversation).toBeNull();

  await send(alice, bob, 'hi Bob');
  await send(carol, bob, 'one');
  await send(carol, bob, 'two');
  const last = await send(bob, dan, 'hello Dan');

  const inbox = await ok(server, INBOX, {}, bob.token);
  const rows = inbox.conversations.edges.map((e: any) => e.node);
  expect(rows.map((c: any) => [c.peer.username, c.lastMessage.content, c.unreadCount])).toEqual([
    [dan.username, 'hello Dan', 0],
    [carol.username, 'two', 2],
    [alice.username, 'hi Bob', 1],
  ]);
  expect(rows[0].lastActivityAt).toBe(last.createdAt);
  expect(rows[0].lastMessage.sender.id).toBe(bob.id);
  expect(inbox.unreadCount).toBe(3);

  // Relay paging forward, no overlap.
  const first = await ok(server, INBOX, { first: 2 }, bob.token);
  expect(first.conversations.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  const rest = await ok(server, INBOX, { first: 2, after: first.conversations.pageInfo.endCursor }, bob.token);
  expect(rest.conversations.edges.map((e: any) => e.node.peer.id)).toEqual([alice.id]);
  expect(rest.conversations.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

  // The same conversation from the other side, and one by peer.
  const fromCarol = (await ok(server, ONE, { with: bob.id }, carol.token)).conversation;
  expect(fromCarol).toMatchObject({
    unreadCount: 0,
    peer: { id: bob.id },
    lastMessage: { content: 'two' },
    peerLastRead: null,
  });
  expect((await ok(server, ONE, { with: carol.id }, bob.token)).conversation.id).toBe(fromCarol.id);
});

test('reading clears the unread count and shows the sender up to which message was read', async () => {
  const [alice, bob] = await people('alice', 'bob');
  const m1 = await send(alice, bob, 'm1');
  await send(alice, bob, 'm2');
  await send(alice, bob, 'm3');
  expect((await ok(server, MARK, { from: alice.id, upTo: m1.id }, bob.token)).markRead.count).toBe(1);
  let fromAlice = (await ok(server, ONE, { with: bob.id }, alice.token)).conversation;
  expect(fromAlice.peerLastRead).toMatchObject({ id: m1.id, content: 'm1', readAt: expect.any(String) });
  expect((await ok(server, ONE, { with: alice.id }, bob.token)).conversation.unreadCount).toBe(2);

  expect((await ok(server, MARK, { from: alice.id }, bob.token)).markRead.count).toBe(2);
  fromAlice = (await ok(server, ONE, { with: bob.id }, alice.token)).conversation;
  expect(fromAlice.peerLastRead.content).toBe('m3');
  const bobs = await ok(server, INBOX, {}, bob.token);
  expect(bobs.unreadCount).toBe(0);
  expect(bobs.conversations.edges[0].node.unreadCount).toBe(0);
});

test('bad input is a clear error', async () => {
  const [alice] = await people('alice');
  expect(codeOf(await gql(server, ONE, { with: alice.id }, alice.token))).toBe('BAD_USER_INPUT');
  expect(codeOf(await gql(server, ONE, { with: '00000000-0000-4000-8000-000000000000' }, alice.token))).toBe(
    'NOT_FOUND',
  );
  expect(codeOf(await gql(server, ONE, { with: 'nope' }, alice.token))).toBe('BAD_USER_INPUT');
  expect(codeOf(await gql(server, INBOX, { first: 0 }, alice.token))).toBe('BAD_USER_INPUT');
  expect(codeOf(await gql(server, INBOX, { first: 101 }, alice.token))).toBe('BAD_USER_INPUT');
  expect(codeOf(await gql(server, INBOX, { after: 'garbage' }, alice.token))).toBe('BAD_USER_INPUT');
  expect(codeOf(await gql(server, SET_TYPING, { with: alice.id, typing: true }, alice.token))).toBe('BAD_USER_INPUT');
  expect(
    codeOf(await gql(server, SET_TYPING, { with: '00000000-0000-4000-8000-000000000000', typing: true }, alice.token)),
  ).toBe('NOT_FOUND');
  expect(codeOf(await gql(server, INBOX, {}))).toBe('UNAUTHENTICATED');
  expect(codeOf(await gql(server, `{ unreadCount }`))).toBe('UNAUTHENTICATED');
});

test('conversationUpdated and messagesRead reach every session of both participants, and nobody else', async () => {
  const [alice, bob, carol] = await people('alice', 'bob', 'carol');
  const sockets = [
    wsClient(server, alice.token),
    wsClient(server, bob.token),
    wsClient(server, bob.token),
    wsClient(server, carol.token),
  ];
  const [aliceWs, bobDesktop, bobPhone, carolWs] = sockets;
  try {
    const aliceUpdates = collect(aliceWs, UPDATED);
    const desktopUpdates = collect(bobDesktop, UPDATED);
    const phoneUpdates = collect(bobPhone, UPDATED);
    const aliceReceipts = collect(aliceWs, RECEIPTS, { with: bob.id });
    const desktopReceipts = collect(bobDesktop, RECEIPTS, {});
    const carolEvents = [
      collect(carolWs, UPDATED),
      collect(carolWs, RECEIPTS, {}),
      collect(carolWs, TYPING, { with: alice.id }),
    ];
    await Promise.all(sockets.map((s) => connected(s)));

    const m1 = await send(alice, bob, 'hello');
    await send(alice, bob, 'again');
    const [desktop, phone, mine] = await Promise.all([
      desktopUpdates.waitFor(2),
      phoneUpdates.waitFor(2),
      aliceUpdates.waitFor(2),
    ]);
    for (const events of [desktop, phone]) {
      expect(
        events.map((e: any) => [
          e.data.conversationUpdated.unreadCount,
          e.data.conversationUpdated.lastMessage.content,
        ]),
      ).toEqual([
        [1, 'hello'],
        [2, 'again'],
      ]);
      expect(events[0].data.conversationUpdated.peer.id).toBe(alice.id);
    }
    expect(mine.map((e: any) => [e.data.conversationUpdated.unreadCount, e.data.conversationUpdated.peer.id])).toEqual([
      [0, bob.id],
      [0, bob.id],
    ]);

    // Bob reads on the phone: the desktop's badge clears, Alice sees ✓✓ live.
    await ok(server, MARK, { from: alice.id }, bob.token);
    const [desktopAfter, aliceAfter, receiptsAlice, receiptsDesktop] = await Promise.all([
      desktopUpdates.waitFor(3),
      aliceUpdates.waitFor(3),
      aliceReceipts.waitFor(1),
      desktopReceipts.waitFor(1),
    ]);
    expect(desktopAfter[2].data.conversationUpdated.unreadCount).toBe(0);
    expect(aliceAfter[2].data.conversationUpdated.peerLastRead.content).toBe('again');
    expect(receiptsAlice[0].data.messagesRead).toMatchObject({
      reader: { id: bob.id },
      upTo: { content: 'again', readAt: expect.any(String) },
      count: 2,
      conversation: { unreadCount: 0 },
    });
    expect(receiptsDesktop[0].data.messagesRead.conversation.unreadCount).toBe(0);

    // A markRead that marks nothing fires nothing.
    expect((await ok(server, MARK, { from: alice.id, upTo: m1.id }, bob.token)).markRead.count).toBe(0);
    await sleep(500);
    expect(aliceReceipts.events).toHaveLength(1);
    expect(desktopUpdates.events).toHaveLength(3);
    // Carol, in no conversation with them, received nothing at all (not even typing, below).
    await ok(server, SET_TYPING, { with: bob.id, typing: true }, alice.token);
    await sleep(300);
    for (const c of carolEvents) expect(c.events).toEqual([]);
  } finally {
    await Promise.all(sockets.map((s) => s.dispose()));
  }
});

test('typing shows while refreshed, ends when the typist sends, and lapses by itself', async () => {
  const [alice, bob] = await people('alice', 'bob');
  const bobWs = wsClient(server, bob.token);
  try {
    const typing = collect(bobWs, TYPING, { with: alice.id });
    await connected(bobWs);
    const state = () => typing.events.map((e: any) => e.data.typing.typing);

    await ok(server, SET_TYPING, { with: bob.id, typing: true }, alice.token);
    await typing.waitFor(1);
    expect(typing.events[0].data.typing).toMatchObject({
      user: { id: alice.id },
      typing: true,
      expiresAt: expect.any(String),
    });
    // A refresh right away is accepted but not sent again.
    expect((await ok(server, SET_TYPING, { with: bob.id, typing: true }, alice.token)).setTyping).toBe(true);
    await send(alice, bob, 'done typing');
    await typing.waitFor(2);
    expect(state()).toEqual([true, false]);

    // Explicit stop.
    await sleep(2100);
    await ok(server, SET_TYPING, { with: bob.id, typing: true }, alice.token);
    await typing.waitFor(3);
    await ok(server, SET_TYPING, { with: bob.id, typing: false }, alice.token);
    await typing.waitFor(4);
    expect(state()).toEqual([true, false, true, false]);

    // No refresh: it lapses by itself (expiresAt, then typing: false from the server).
    await sleep(2100);
    await ok(server, SET_TYPING, { with: bob.id, typing: true }, alice.token);
    await typing.waitFor(5);
    const expiresAt = Date.parse(typing.events[4].data.typing.expiresAt);
    await typing.waitFor(6, 10_000);
    expect(state()).toEqual([true, false, true, false, true, false]);
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt - 50);
  } finally {
    await bobWs.dispose();
  }
});

test('typing without withUserId: anyone typing to you, each event naming the typist', async () => {
  const [alice, bob, carol, dan] = await people('alice', 'bob', 'carol', 'dan');
  const bobWs = wsClient(server, bob.token);
  try {
    const typing = collect(bobWs, TYPING_ANYONE, {});
    await connected(bobWs);
    const seen = () => typing.events.map((e: any) => [e.data.typing.user.id, e.data.typing.typing]);

    await ok(server, SET_TYPING, { with: bob.id, typing: true }, alice.token);
    await typing.waitFor(1);
    await ok(server, SET_TYPING, { with: bob.id, typing: true }, carol.token);
    await typing.waitFor(2);
    // Typing to someone else is not Bob's.
    await ok(server, SET_TYPING, { with: dan.id, typing: true }, carol.token);
    // Alice's message ends her typing only; Carol's stop ends hers.
    await send(alice, bob, 'sent');
    await typing.waitFor(3);
    await ok(server, SET_TYPING, { with: bob.id, typing: false }, carol.token);
    await typing.waitFor(4);
    expect(seen()).toEqual([
      [alice.id, true],
      [carol.id, true],
      [alice.id, false],
      [carol.id, false],
    ]);
    expect(typing.events[0].data.typing.expiresAt).toEqual(expect.any(String));
  } finally {
    await bobWs.dispose();
  }
});

describeWith(['TEST_DATABASE_URL', 'REDIS_URL'], 'across two instances (PostgreSQL + Redis)', () => {
  let cluster: TestDatabase;
  let a: ServerProcess, b: ServerProcess;
  const env = () => ({ REDIS_URL: process.env.REDIS_URL!, JWT_SECRET: 'inbox-test-secret-of-at-least-32-chars' });
  beforeAll(async () => {
    cluster = await createTestDatabase();
    [a, b] = [await spawnServer(cluster, env()), await spawnServer(cluster, env())];
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await cluster?.drop();
  });

  test('receipts, conversation updates and typing cross instances', async () => {
    const [alice, bob] = [await signUp(a, 'alice'), await signUp(b, 'bob')];
    const onA = wsClient(a, alice.token);
    const onB = wsClient(b, bob.token);
    try {
      const receipts = collect(onA, RECEIPTS, { with: bob.id });
      const updates = collect(onA, UPDATED);
      const typing = collect(onB, TYPING, { with: alice.id });
      await Promise.all([connected(onA, 500), connected(onB, 500)]);
      await ok(a, SET_TYPING, { with: bob.id, typing: true }, alice.token);
      expect((await typing.waitFor(1))[0].data.typing.typing).toBe(true);
      await ok(a, SEND, { to: bob.id, text: 'across' }, alice.token);
      expect((await typing.waitFor(2))[1].data.typing.typing).toBe(false);
      await ok(b, MARK, { from: alice.id }, bob.token);
      expect((await receipts.waitFor(1))[0].data.messagesRead).toMatchObject({
        reader: { id: bob.id },
        count: 1,
        upTo: { content: 'across' },
      });
      const last = (await updates.waitFor(2))[1].data.conversationUpdated;
      expect(last.peerLastRead.content).toBe('across');
      expect(new Date(last.lastActivityAt).toISOString()).toBe(last.lastActivityAt);
    } finally {
      await Promise.all([onA.dispose(), onB.dispose()]);
    }
  });
});
