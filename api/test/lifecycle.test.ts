// The message lifecycle (issue #18): replies, edits, deletions (tombstones), reactions, and messageUpdated with
// its resumable change log — through the public API, on PGlite or PostgreSQL.
import pg from 'pg';
import type { TestDatabase } from './support/databases.ts';
import {
  collect,
  connected,
  gql,
  ok,
  signUp,
  sleep,
  wsClient,
  type TestServer,
  type TestUser,
} from './support/server.ts';
import { useTestServer } from './support/suite.ts';

const FIELDS = `id content editedAt deletedAt updateCursor cursor sender { id } reactions { emoji count reactedByMe }
  replyTo { id content deletedAt }`;
const SEND = `mutation($to: ID!, $text: String!, $reply: ID) { sendMessage(recipientId: $to, content: $text, replyToId: $reply) { ${FIELDS} } }`;
const EDIT = `mutation($id: ID!, $text: String!) { editMessage(id: $id, content: $text) { ${FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteMessage(id: $id) { ${FIELDS} } }`;
const REACT = `mutation($id: ID!, $e: String!) { addReaction(messageId: $id, emoji: $e) { ${FIELDS} } }`;
const UNREACT = `mutation($id: ID!, $e: String!) { removeReaction(messageId: $id, emoji: $e) { ${FIELDS} } }`;
const HISTORY = `query($with: ID!) { chatHistory(withUserId: $with, last: 100) { edges { node { ${FIELDS} } } } }`;
const INBOX = `{ conversations { edges { node { id unreadCount updateCursor lastMessage { ${FIELDS} } } } } unreadCount }`;
const UPDATED = `subscription($with: ID, $after: String) { messageUpdated(withUserId: $with, after: $after) { ${FIELDS} } }`;
const CONVERSATION_UPDATED = `subscription { conversationUpdated { unreadCount lastMessage { id content deletedAt } } }`;

let db: TestDatabase;
let server: TestServer;
let alice: TestUser, bob: TestUser, carol: TestUser;

useTestServer(async (suite) => {
  ({ server, db } = suite);
  [alice, bob, carol] = await Promise.all([signUp(server, 'alice'), signUp(server, 'bob'), signUp(server, 'carol')]);
});

const refusal = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => {
  const ext = r.errors?.[0]?.extensions ?? {};
  return { code: ext.code, argument: ext.argument };
};
const send = async (from: TestUser, to: TestUser, text: string, reply?: string) =>
  (await ok(server, SEND, { to: to.id, text, reply }, from.token)).sendMessage;

test('a reply names a message of the same conversation; anything else is BAD_USER_INPUT on replyToId', async () => {
  const original = await send(alice, bob, 'the original');
  const reply = await send(bob, alice, 'the answer', original.id);
  expect(reply.replyTo).toEqual({ id: original.id, content: 'the original', deletedAt: null });
  const elsewhere = await send(alice, carol, 'for carol only');
  for (const replyToId of [elsewhere.id, '00000000-0000-4000-8000-000000000000']) {
    const r = await gql(server, SEND, { to: alice.id, text: 'x', reply: replyToId }, bob.token);
    expect(refusal(r)).toEqual({ code: 'BAD_USER_INPUT', argument: 'replyToId' });
  }
  expect(refusal(await gql(server, SEND, { to: alice.id, text: 'x', reply: 'nope' }, bob.token))).toEqual({
    code: 'BAD_USER_INPUT',
    argument: 'replyToId',
  });
  const history = (await ok(server, HISTORY, { with: bob.id }, alice.token)).chatHistory.edges.map((e: any) => e.node);
  expect(history.find((m: any) => m.id === reply.id).replyTo.content).toBe('the original');
});

test('a quoted message shows its own reactions when asked: in history, in the inbox, on the sent reply, live', async () => {
  const QUOTED = `id content replyTo { id content reactions { emoji count reactedByMe } }`;
  const quoted = await send(carol, bob, 'quote me');
  const plain = await send(carol, bob, 'no reactions');
  await ok(server, REACT, { id: quoted.id, e: '🎉' }, bob.token);
  await ok(server, REACT, { id: quoted.id, e: '🎉' }, carol.token);
  await ok(server, REACT, { id: quoted.id, e: '👀' }, carol.token);
  const socket = wsClient(server, bob.token);
  const live = collect(socket, `subscription($with: ID) { messageAdded(withUserId: $with) { ${QUOTED} } }`, {
    with: carol.id,
  });
  await connected(socket);
  const sent = await ok(
    server,
    `mutation($to: ID!, $text: String!, $reply: ID) { sendMessage(recipientId: $to, content: $text, replyToId: $reply) { ${QUOTED} } }`,
    { to: bob.id, text: 'a reply', reply: quoted.id },
    carol.token,
  );
  await send(carol, bob, 'another reply', plain.id);
  const reactions = (viewer: 'bob' | 'carol') => [
    { emoji: '🎉', count: 2, reactedByMe: true },
    { emoji: '👀', count: 1, reactedByMe: viewer === 'carol' },
  ];
  expect(sent.sendMessage.replyTo).toEqual({ id: quoted.id, content: 'quote me', reactions: reactions('carol') });

  // Several quoted messages of one page (one with reactions, one without), read together.
  const page = await ok(
    server,
    `query($with: ID!) { chatHistory(withUserId: $with, last: 10) { edges { node { ${QUOTED} } } } }`,
    { with: carol.id },
    bob.token,
  );
  const quotes = page.chatHistory.edges.map((e: any) => e.node.replyTo).filter(Boolean);
  expect(quotes).toEqual([
    { id: quoted.id, content: 'quote me', reactions: reactions('bob') },
    { id: plain.id, content: 'no reactions', reactions: [] },
  ]);
  const inbox = await ok(server, `{ conversations { edges { node { lastMessage { ${QUOTED} } } } } }`, {}, bob.token);
  const last = inbox.conversations.edges
    .map((e: any) => e.node.lastMessage)
    .find((m: any) => m.content === 'another reply');
  expect(last.replyTo).toEqual({ id: plain.id, content: 'no reactions', reactions: [] });
  try {
    const [added] = await live.waitFor(1, 5_000);
    expect(added.data.messageAdded.replyTo).toEqual({
      id: quoted.id,
      content: 'quote me',
      reactions: reactions('bob'),
    });
  } finally {
    await socket.dispose();
  }
});

test('editMessage: the sender only, the content rules of sending, same text changes nothing', async () => {
  const m = await send(alice, bob, 'frist');
  expect(m.editedAt).toBeNull();
  expect(m.updateCursor).toBeNull();
  const edited = (await ok(server, EDIT, { id: m.id, text: '  first ' }, alice.token)).editMessage;
  expect(edited).toMatchObject({ id: m.id, content: 'first', cursor: m.cursor, deletedAt: null });
  expect(edited.editedAt).not.toBeNull();
  expect(edited.updateCursor).not.toBeNull();
  const again = (await ok(server, EDIT, { id: m.id, text: 'first' }, alice.token)).editMessage;
  expect(again).toEqual(edited);

  expect(refusal(await gql(server, EDIT, { id: m.id, text: 'mine now' }, bob.token)).code).toBe('FORBIDDEN');
  expect(refusal(await gql(server, EDIT, { id: m.id, text: 'mine now' }, carol.token)).code).toBe('NOT_FOUND');
  expect(refusal(await gql(server, EDIT, { id: m.id, text: '   ' }, alice.token))).toEqual({
    code: 'BAD_USER_INPUT',
    argument: 'content',
  });
  expect(refusal(await gql(server, EDIT, { id: m.id, text: 'x'.repeat(4001) }, alice.token)).argument).toBe('content');
  expect(refusal(await gql(server, EDIT, { id: 'not-an-id', text: 'x' }, alice.token))).toEqual({
    code: 'BAD_USER_INPUT',
    argument: 'id',
  });
  expect(refusal(await gql(server, EDIT, { id: m.id, text: 'x' })).code).toBe('UNAUTHENTICATED');
});

test('reactions: either participant, in the order first added, idempotent, one emoji each, at most 20', async () => {
  const m = await send(alice, bob, 'react to me');
  await ok(server, REACT, { id: m.id, e: '👍' }, alice.token);
  await ok(server, REACT, { id: m.id, e: '👩🏽‍💻' }, bob.token);
  const both = (await ok(server, REACT, { id: m.id, e: '👍' }, bob.token)).addReaction;
  expect(both.reactions).toEqual([
    { emoji: '👍', count: 2, reactedByMe: true },
    { emoji: '👩🏽‍💻', count: 1, reactedByMe: true },
  ]);
  const repeated = (await ok(server, REACT, { id: m.id, e: '👍' }, bob.token)).addReaction;
  expect(repeated).toEqual(both);
  const forAlice = (await ok(server, HISTORY, { with: bob.id }, alice.token)).chatHistory.edges.find(
    (e: any) => e.node.id === m.id,
  ).node;
  expect(forAlice.reactions).toEqual([
    { emoji: '👍', count: 2, reactedByMe: true },
    { emoji: '👩🏽‍💻', count: 1, reactedByMe: false },
  ]);
  const removed = (await ok(server, UNREACT, { id: m.id, e: '👍' }, alice.token)).removeReaction;
  expect(removed.reactions).toEqual([
    { emoji: '👍', count: 1, reactedByMe: false },
    { emoji: '👩🏽‍💻', count: 1, reactedByMe: false },
  ]);
  const removedAgain = (await ok(server, UNREACT, { id: m.id, e: '👍' }, alice.token)).removeReaction;
  expect(removedAgain.updateCursor).toBe(removed.updateCursor);

  for (const e of ['a', '👍👍', '', ':)', '👍 ', 'x'.repeat(100)]) {
    expect(refusal(await gql(server, REACT, { id: m.id, e }, alice.token))).toEqual({
      code: 'BAD_USER_INPUT',
      argument: 'emoji',
    });
  }
  expect(refusal(await gql(server, REACT, { id: m.id, e: '🎉' }, carol.token)).code).toBe('NOT_FOUND');

  const many = await send(bob, alice, 'so many');
  const emoji = [...'😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙🥲😚🙂'];
  expect(emoji).toHaveLength(20);
  for (const e of emoji) await ok(server, REACT, { id: many.id, e }, alice.token);
  expect(refusal(await gql(server, REACT, { id: many.id, e: '🤗' }, bob.token))).toEqual({
    code: 'BAD_USER_INPUT',
    argument: 'emoji',
  });
  // An emoji already there is still fine for the other participant.
  const last = (await ok(server, REACT, { id: many.id, e: '🙂' }, bob.token)).addReaction;
  expect(last.reactions).toHaveLength(20);
  expect(last.reactions.at(-1)).toEqual({ emoji: '🙂', count: 2, reactedByMe: true });
});

test('deleteMessage: the sender only, idempotent; a tombstone never shows its old text anywhere', async () => {
  const secret = `secret-${Date.now()}`;
  const original = await send(alice, bob, `${secret} original`);
  const reply = await send(bob, alice, `${secret} reply`, original.id);
  await ok(server, REACT, { id: original.id, e: '🔥' }, bob.token);

  const bobSocket = wsClient(server, bob.token);
  try {
    const updates = collect(bobSocket, UPDATED, { with: alice.id });
    await connected(bobSocket);
    expect(refusal(await gql(server, DELETE, { id: original.id }, bob.token)).code).toBe('FORBIDDEN');
    expect(refusal(await gql(server, DELETE, { id: original.id }, carol.token)).code).toBe('NOT_FOUND');
    const tombstone = (await ok(server, DELETE, { id: original.id }, alice.token)).deleteMessage;
    expect(tombstone).toMatchObject({
      id: original.id,
      content: '',
      reactions: [],
      replyTo: null,
      cursor: original.cursor,
    });
    expect(tombstone.deletedAt).not.toBeNull();
    const again = (await ok(server, DELETE, { id: original.id }, alice.token)).deleteMessage;
    expect(again).toEqual(tombstone);

    expect(refusal(await gql(server, EDIT, { id: original.id, text: 'back' }, alice.token))).toEqual({
      code: 'BAD_USER_INPUT',
      argument: 'id',
    });
    expect(refusal(await gql(server, REACT, { id: original.id, e: '👍' }, bob.token))).toEqual({
      code: 'BAD_USER_INPUT',
      argument: 'messageId',
    });
    expect(refusal(await gql(server, UNREACT, { id: original.id, e: '🔥' }, bob.token)).code).toBe('BAD_USER_INPUT');

    const events = await updates.waitFor(1);
    expect(events[0].data.messageUpdated).toEqual({ ...tombstone, reactions: [] });
    const seen = [
      await ok(server, HISTORY, { with: bob.id }, alice.token),
      await ok(server, HISTORY, { with: alice.id }, bob.token),
      await ok(server, INBOX, {}, alice.token),
      await ok(server, INBOX, {}, bob.token),
      events,
    ];
    const text = JSON.stringify(seen);
    expect(text).toContain(`${secret} reply`);
    expect(text).not.toContain(`${secret} original`);
    const replyNow = seen[1].chatHistory.edges.find((e: any) => e.node.id === reply.id).node;
    expect(replyNow.replyTo).toEqual({ id: original.id, content: '', deletedAt: tombstone.deletedAt });
    // Nor does a new reply to the tombstone, nor a reply's answer to it.
    const late = await send(bob, alice, 'late reply', original.id);
    expect(late.replyTo).toEqual({ id: original.id, content: '', deletedAt: tombstone.deletedAt });
    // Nor the database: the stored row itself was blanked (checked where the test can reach it, PostgreSQL).
    if (db.databaseUrl) {
      const client = new pg.Client({ connectionString: db.databaseUrl });
      await client.connect();
      try {
        const found = await client.query(`SELECT count(*)::int AS n FROM "Message" WHERE "content" LIKE $1`, [
          `%${secret} original%`,
        ]);
        expect(found.rows[0].n).toBe(0);
      } finally {
        await client.end();
      }
    }
  } finally {
    await bobSocket.dispose();
  }
});

test('an unread deleted message leaves the unread count; the inbox shows the tombstone, live too', async () => {
  const dave = await signUp(server, 'dave');
  await send(alice, dave, 'read this');
  const unread = await send(alice, dave, 'delete this');
  const daveSocket = wsClient(server, dave.token);
  try {
    const inboxEvents = collect(daveSocket, CONVERSATION_UPDATED);
    await connected(daveSocket);
    expect((await ok(server, INBOX, {}, dave.token)).unreadCount).toBe(2);
    await ok(server, DELETE, { id: unread.id }, alice.token);
    const [event] = await inboxEvents.waitFor(1);
    expect(event.data.conversationUpdated).toEqual({
      unreadCount: 1,
      lastMessage: { id: unread.id, content: '', deletedAt: expect.any(String) },
    });
    const inbox = await ok(server, INBOX, {}, dave.token);
    expect(inbox.unreadCount).toBe(1);
    expect(inbox.conversations.edges[0].node.lastMessage).toMatchObject({ id: unread.id, content: '' });
    expect(inbox.conversations.edges[0].node.updateCursor).not.toBeNull();
    // An edit of the last message shows in the inbox as well.
    const newest = await send(alice, dave, 'typo');
    await ok(server, EDIT, { id: newest.id, text: 'fixed' }, alice.token);
    const [, , edited] = await inboxEvents.waitFor(3);
    expect(edited.data.conversationUpdated).toMatchObject({ unreadCount: 2, lastMessage: { content: 'fixed' } });
  } finally {
    await daveSocket.dispose();
  }
});

test('messageUpdated reaches every session of both participants, in commit order', async () => {
  const eve = await signUp(server, 'eve');
  const m = await send(alice, eve, 'hello eve');
  const sockets = [wsClient(server, alice.token), wsClient(server, alice.token), wsClient(server, eve.token)];
  try {
    const streams = [
      collect(sockets[0], UPDATED, {}),
      collect(sockets[1], UPDATED, { with: eve.id }),
      collect(sockets[2], UPDATED, { with: alice.id }),
    ];
    await Promise.all(sockets.map((s) => connected(s)));
    await ok(server, EDIT, { id: m.id, text: 'hello, eve' }, alice.token);
    await ok(server, REACT, { id: m.id, e: '👋' }, eve.token);
    await ok(server, DELETE, { id: m.id }, alice.token);
    for (const stream of streams) {
      const events = (await stream.waitFor(3)).map((e) => e.data.messageUpdated);
      expect(events.map((e) => [e.content, e.reactions.length, e.deletedAt !== null])).toEqual([
        ['hello, eve', 0, false],
        ['hello, eve', 1, false],
        ['', 0, true],
      ]);
    }
    await sleep(300);
    expect(streams.map((s) => s.events.length)).toEqual([3, 3, 3]);
  } finally {
    await Promise.all(sockets.map((s) => s.dispose()));
  }
});

test('a subscriber that missed an edit, a deletion and two reactions resumes from its updateCursor: each state once', async () => {
  const frank = await signUp(server, 'frank');
  const ms = [];
  for (const text of ['one', 'two', 'three', 'four', 'five']) ms.push(await send(alice, frank, text));
  const first = (await ok(server, REACT, { id: ms[4].id, e: '✅' }, frank.token)).addReaction;

  const before = wsClient(server, frank.token);
  const held = collect(before, UPDATED, { with: alice.id, after: null });
  await connected(before);
  await before.dispose();
  expect(held.events).toHaveLength(0);

  await ok(server, EDIT, { id: ms[0].id, text: 'one (edited)' }, alice.token);
  await ok(server, DELETE, { id: ms[1].id }, alice.token);
  await ok(server, REACT, { id: ms[2].id, e: '❤️' }, frank.token);
  await ok(server, REACT, { id: ms[3].id, e: '🇫🇷' }, alice.token);

  const after = wsClient(server, frank.token);
  try {
    const resumed = collect(after, UPDATED, { with: alice.id, after: first.updateCursor });
    await connected(after);
    await ok(server, UNREACT, { id: ms[4].id, e: '✅' }, frank.token); // live, after the catch-up
    const events = (await resumed.waitFor(5)).map((e) => e.data.messageUpdated);
    expect(events.map((e) => [e.id, e.content, e.reactions.map((r: any) => r.emoji)])).toEqual([
      [ms[0].id, 'one (edited)', []],
      [ms[1].id, '', []],
      [ms[2].id, 'three', ['❤️']],
      [ms[3].id, 'four', ['🇫🇷']],
      [ms[4].id, 'five', []],
    ]);
    await sleep(1500); // past the stream's first re-check: still nothing twice
    expect(resumed.events).toHaveLength(5);
    const inbox = await ok(server, INBOX, {}, frank.token);
    expect(inbox.conversations.edges[0].node.updateCursor).toBe(events[4].updateCursor);

    // Bad cursors are refused with the argument named.
    const bad = collect(after, UPDATED, { with: alice.id, after: 'garbage' });
    await expect(bad.waitFor(1)).resolves.toBeDefined();
    expect(
      (bad.error as any)?.[0]?.extensions?.argument ?? (bad.events[0] as any)?.errors?.[0]?.extensions?.argument,
    ).toBe('after');
  } finally {
    await after.dispose();
  }
});

test('a client that saw no change yet catches up from Conversation.initialUpdateCursor: every changed message once', async () => {
  const gina = await signUp(server, 'gina');
  const ms = [];
  for (const text of ['one', 'two', 'three']) ms.push(await send(alice, gina, text));
  const CONVERSATION = `query($with: ID!) { conversation(withUserId: $with) { updateCursor initialUpdateCursor } }`;
  const before = (await ok(server, CONVERSATION, { with: alice.id }, gina.token)).conversation;
  expect(before.updateCursor).toBeNull(); // nothing to resume from: the gap this field closes
  expect(before.initialUpdateCursor).toEqual(expect.any(String));

  await ok(server, EDIT, { id: ms[0].id, text: 'one (edited)' }, alice.token);
  await ok(server, DELETE, { id: ms[2].id }, alice.token);
  const after = (await ok(server, CONVERSATION, { with: alice.id }, gina.token)).conversation;
  expect(after.initialUpdateCursor).toBe(before.initialUpdateCursor); // stable: safe to read after the fact

  const socket = wsClient(server, gina.token);
  try {
    const resumed = collect(socket, UPDATED, { with: alice.id, after: before.initialUpdateCursor });
    const events = (await resumed.waitFor(2)).map((e) => e.data.messageUpdated);
    expect(events.map((e) => [e.id, e.content, e.deletedAt !== null])).toEqual([
      [ms[0].id, 'one (edited)', false],
      [ms[2].id, '', true],
    ]);
    expect(events[1].updateCursor).toBe(after.updateCursor);
    await sleep(300);
    expect(resumed.events).toHaveLength(2);
  } finally {
    await socket.dispose();
  }
});

describe('with EDIT_WINDOW=1s', () => {
  let short: TestServer;
  let ann: TestUser, ben: TestUser;
  useTestServer(
    async (suite) => {
      short = suite.server;
      [ann, ben] = await Promise.all([signUp(short, 'ann'), signUp(short, 'ben')]);
    },
    { env: { EDIT_WINDOW: '1s' } },
  );

  test('a message older than the window cannot be edited (deleting still works)', async () => {
    const m = (await ok(short, SEND, { to: ben.id, text: 'soon too old' }, ann.token)).sendMessage;
    await sleep(1200);
    expect(refusal(await gql(short, EDIT, { id: m.id, text: 'too late' }, ann.token))).toEqual({
      code: 'BAD_USER_INPUT',
      argument: 'id',
    });
    expect((await ok(short, DELETE, { id: m.id }, ann.token)).deleteMessage.content).toBe('');
  });
});
