// Safety (issue #22): blocking, and deleting an account for good — each mutation and each refusal, and what they do
// to sends, typing, read receipts, search, history, inboxes and live subscriptions. PGlite, or PostgreSQL with
// TEST_DATABASE_URL. Across two instances: account-cluster.test.ts.
import { useTestServer } from './support/suite.ts';
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

const SEND = `mutation($to: ID!, $text: String!) { sendMessage(recipientId: $to, content: $text) { id } }`;
const BLOCK = `mutation($id: ID!) { blockUser(userId: $id) }`;
const UNBLOCK = `mutation($id: ID!) { unblockUser(userId: $id) }`;
const BLOCKED = `query($first: Int, $after: String) { blockedUsers(first: $first, after: $after) {
  edges { node { id username } } pageInfo { hasNextPage endCursor } } }`;
const CONVERSATION = `query($with: ID!) { conversation(withUserId: $with) { blockedByMe blockedMe unreadCount
  peer { displayName } lastMessage { content deletedAt } } }`;
const HISTORY = `query($with: ID!) { chatHistory(withUserId: $with, last: 50) { edges { node { id content deletedAt
  sender { id username displayName } reactions { emoji } attachments { id } } } } }`;
const SEARCH_USERS = `query($s: String!) { users(search: $s) { edges { node { id } } } }`;
const SEARCH_MESSAGES = `query($q: String!) { searchMessages(query: $q) { edges { node { id } } } }`;
const TYPING = `subscription($with: ID) { typing(withUserId: $with) { user { id } typing } }`;
const READS = `subscription { messagesRead { count reader { id } } }`;
const SET_TYPING = `mutation($with: ID!) { setTyping(withUserId: $with, typing: true) }`;
const MARK_READ = `mutation($from: ID!) { markRead(senderId: $from) { count } }`;
const MARK_READ_UP_TO = `mutation($from: ID!, $upTo: ID) { markRead(senderId: $from, upToMessageId: $upTo) {
  count readAt } }`;
const READ_HISTORY = `query($with: ID!) { chatHistory(withUserId: $with, last: 50) { edges { node { id readAt } } } }`;
const PEER_LAST_READ = `query($with: ID!) { conversation(withUserId: $with) { peerLastRead { id } } }`;
const DELETE_MESSAGE = `mutation($id: ID!) { deleteMessage(id: $id) { id } }`;
const DELETE_ACCOUNT = `mutation($p: String!) { deleteAccount(password: $p) }`;
const LOG_IN = `mutation($u: String!, $p: String!) { logIn(username: $u, password: $p) { token } }`;

const code = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;
const ids = (r: { edges: { node: { id: string } }[] }) => r.edges.map((e) => e.node.id);

let server: TestServer;
useTestServer((s) => {
  server = s.server;
});

const pair = async (): Promise<[TestUser, TestUser]> => [await signUp(server, 'alice'), await signUp(server, 'bob')];

describe('blocking', () => {
  test('sends are FORBIDDEN both ways while blocked; history stays readable; unblock lets them talk again', async () => {
    const [alice, bob] = await pair();
    await ok(server, SEND, { to: bob.id, text: 'before the block' }, alice.token);
    expect((await ok(server, BLOCK, { id: bob.id }, alice.token)).blockUser).toBe(true);
    expect((await ok(server, BLOCK, { id: bob.id }, alice.token)).blockUser).toBe(true); // idempotent
    for (const [from, to] of [
      [alice, bob],
      [bob, alice],
    ]) {
      const r = await gql(server, SEND, { to: to.id, text: 'hello?' }, from.token);
      expect(code(r)).toBe('FORBIDDEN');
      expect(r.errors![0].message).toBe("You can't message this person.");
    }
    for (const [viewer, peer] of [
      [alice, bob],
      [bob, alice],
    ]) {
      const history = (await ok(server, HISTORY, { with: peer.id }, viewer.token)).chatHistory;
      expect(history.edges.map((e: any) => e.node.content)).toEqual(['before the block']);
    }
    expect((await ok(server, CONVERSATION, { with: bob.id }, alice.token)).conversation).toMatchObject({
      blockedByMe: true,
      blockedMe: false,
    });
    expect((await ok(server, CONVERSATION, { with: alice.id }, bob.token)).conversation).toMatchObject({
      blockedByMe: false,
      blockedMe: true,
    });
    expect((await ok(server, UNBLOCK, { id: bob.id }, alice.token)).unblockUser).toBe(true);
    await ok(server, SEND, { to: alice.id, text: 'after the unblock' }, bob.token);
    await ok(server, SEND, { to: bob.id, text: 'hi again' }, alice.token);
    expect((await ok(server, CONVERSATION, { with: alice.id }, bob.token)).conversation).toMatchObject({
      blockedByMe: false,
      blockedMe: false,
    });
  });

  test('either side blocking is enough; a send to a new person who blocked you is FORBIDDEN too', async () => {
    const [alice, bob] = await pair();
    await ok(server, BLOCK, { id: alice.id }, bob.token); // no conversation yet
    expect(code(await gql(server, SEND, { to: bob.id, text: 'first message' }, alice.token))).toBe('FORBIDDEN');
    expect(code(await gql(server, SEND, { to: alice.id, text: 'first message' }, bob.token))).toBe('FORBIDDEN');
    expect((await ok(server, CONVERSATION, { with: bob.id }, alice.token)).conversation).toBeNull();
  });

  test('typing and read receipts are not passed on while blocked', async () => {
    const [alice, bob] = await pair();
    await ok(server, SEND, { to: bob.id, text: 'read me' }, alice.token);
    const aliceSocket = wsClient(server, alice.token);
    const bobSocket = wsClient(server, bob.token);
    try {
      const bobTyping = collect(bobSocket, TYPING, { with: alice.id });
      const aliceReads = collect(aliceSocket, READS);
      await Promise.all([connected(aliceSocket), connected(bobSocket)]);
      await ok(server, BLOCK, { id: bob.id }, alice.token);
      expect((await ok(server, SET_TYPING, { with: bob.id }, alice.token)).setTyping).toBe(true);
      expect((await ok(server, MARK_READ, { from: alice.id }, bob.token)).markRead.count).toBe(1);
      await sleep(1_000);
      expect(bobTyping.events).toEqual([]);
      expect(aliceReads.events).toEqual([]);
      // Unblocked, typing flows again (the same subscription): the check was the block, not a broken stream.
      await ok(server, UNBLOCK, { id: bob.id }, alice.token);
      await ok(server, SET_TYPING, { with: bob.id }, alice.token);
      const [event] = await bobTyping.waitFor(1, 5_000);
      expect(event.data.typing).toEqual({ user: { id: alice.id }, typing: true });
    } finally {
      await Promise.all([aliceSocket.dispose(), bobSocket.dispose()]);
    }
  });

  test('a read while blocked: the reader’s unread count drops; the peer sees no receipt live, in history or inbox; the first read after the unblock reveals it', async () => {
    const [alice, bob] = await pair();
    const sent: string[] = [];
    for (const text of ['one', 'two', 'three'])
      sent.push((await ok(server, SEND, { to: bob.id, text }, alice.token)).sendMessage.id);
    const aliceSocket = wsClient(server, alice.token);
    try {
      const aliceReads = collect(aliceSocket, READS);
      const aliceUpdates = collect(
        aliceSocket,
        `subscription { conversationUpdated { unreadCount peerLastRead { id } } }`,
      );
      await connected(aliceSocket);
      await ok(server, BLOCK, { id: alice.id }, bob.token); // the reader blocks; the other way round: below
      expect((await ok(server, MARK_READ_UP_TO, { from: alice.id, upTo: sent[0] }, bob.token)).markRead.count).toBe(1);
      expect((await ok(server, MARK_READ_UP_TO, { from: alice.id, upTo: sent[0] }, bob.token)).markRead.count).toBe(0);
      expect((await ok(server, CONVERSATION, { with: alice.id }, bob.token)).conversation.unreadCount).toBe(2);
      // A deleted message read while blocked is not taken off bob's unread count a second time.
      await ok(server, DELETE_MESSAGE, { id: sent[0] }, alice.token);
      expect((await ok(server, CONVERSATION, { with: alice.id }, bob.token)).conversation.unreadCount).toBe(2);
      expect((await ok(server, MARK_READ_UP_TO, { from: alice.id, upTo: sent[1] }, bob.token)).markRead.count).toBe(1);
      expect((await ok(server, CONVERSATION, { with: alice.id }, bob.token)).conversation.unreadCount).toBe(1);
      // Alice learns nothing: no readAt in history (hers or bob's), no read position in her inbox.
      for (const viewer of [alice, bob]) {
        const history = (await ok(server, READ_HISTORY, { with: viewer === alice ? bob.id : alice.id }, viewer.token))
          .chatHistory;
        expect(history.edges.map((e: any) => e.node.readAt)).toEqual([null, null, null]);
      }
      expect((await ok(server, PEER_LAST_READ, { with: bob.id }, alice.token)).conversation.peerLastRead).toBeNull();
      // Unblocked: a new message counts once more (the two read while blocked stay out of the count) …
      await ok(server, UNBLOCK, { id: alice.id }, bob.token);
      const four = (await ok(server, SEND, { to: bob.id, text: 'four' }, alice.token)).sendMessage.id;
      expect((await ok(server, CONVERSATION, { with: alice.id }, bob.token)).conversation.unreadCount).toBe(2);
      // … and bob's next read writes the receipts, the hidden ones with it (read now, as far as alice can tell).
      const next = (await ok(server, MARK_READ_UP_TO, { from: alice.id, upTo: sent[2] }, bob.token)).markRead;
      expect(next.count).toBe(2);
      expect((await ok(server, CONVERSATION, { with: alice.id }, bob.token)).conversation.unreadCount).toBe(1);
      const history = (await ok(server, READ_HISTORY, { with: bob.id }, alice.token)).chatHistory;
      expect(history.edges.map((e: any) => [e.node.id, e.node.readAt])).toEqual([
        [sent[0], null], // deleted while unread for alice's eyes: a tombstone is never marked
        [sent[1], next.readAt],
        [sent[2], next.readAt],
        [four, null],
      ]);
      expect((await ok(server, PEER_LAST_READ, { with: bob.id }, alice.token)).conversation.peerLastRead).toEqual({
        id: sent[2],
      });
      // Over the subscription the first receipt alice gets is this one: none came while blocked.
      const [receipt] = await aliceReads.waitFor(1, 5_000);
      expect(receipt.data.messagesRead).toEqual({ count: 2, reader: { id: bob.id } });
      // Her inbox updates: the first read position in them is the one after the unblock.
      const peerReads = () =>
        aliceUpdates.events.map((e) => e.data.conversationUpdated.peerLastRead).filter((p) => p !== null);
      const deadline = Date.now() + 5_000;
      while (peerReads().length === 0 && Date.now() < deadline) await sleep(50);
      expect(peerReads()).toEqual([{ id: sent[2] }]);
      expect(aliceReads.events).toHaveLength(1);
    } finally {
      await aliceSocket.dispose();
    }
  });

  test('the blocker no longer finds the blocked in users(search:); the blocked still finds the blocker', async () => {
    const [alice, bob] = await pair();
    expect(ids((await ok(server, SEARCH_USERS, { s: bob.username }, alice.token)).users)).toEqual([bob.id]);
    await ok(server, BLOCK, { id: bob.id }, alice.token);
    expect(ids((await ok(server, SEARCH_USERS, { s: bob.username }, alice.token)).users)).toEqual([]);
    expect(ids((await ok(server, SEARCH_USERS, { s: alice.username }, bob.token)).users)).toEqual([alice.id]);
  });

  test('blockedUsers lists whom you blocked, newest first, paged; refusals', async () => {
    const alice = await signUp(server, 'alice');
    const others = [await signUp(server, 'b1'), await signUp(server, 'b2'), await signUp(server, 'b3')];
    for (const o of others) await ok(server, BLOCK, { id: o.id }, alice.token);
    const first = (await ok(server, BLOCKED, { first: 2 }, alice.token)).blockedUsers;
    expect(ids(first)).toEqual([others[2].id, others[1].id]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = (await ok(server, BLOCKED, { first: 2, after: first.pageInfo.endCursor }, alice.token)).blockedUsers;
    expect(ids(rest)).toEqual([others[0].id]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    await ok(server, UNBLOCK, { id: others[1].id }, alice.token);
    expect(ids((await ok(server, BLOCKED, {}, alice.token)).blockedUsers)).toEqual([others[2].id, others[0].id]);
    // Refusals.
    const self = await gql(server, BLOCK, { id: alice.id }, alice.token);
    expect([code(self), (self.errors![0].extensions as { argument?: string }).argument]).toEqual([
      'BAD_USER_INPUT',
      'userId',
    ]);
    expect(code(await gql(server, BLOCK, { id: 'nope' }, alice.token))).toBe('BAD_USER_INPUT');
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(code(await gql(server, BLOCK, { id: unknown }, alice.token))).toBe('NOT_FOUND');
    expect(code(await gql(server, UNBLOCK, { id: unknown }, alice.token))).toBe('NOT_FOUND');
    expect(code(await gql(server, BLOCKED, { after: 'garbage' }, alice.token))).toBe('BAD_USER_INPUT');
    expect(code(await gql(server, BLOCK, { id: others[0].id }))).toBe('UNAUTHENTICATED');
  });
});

describe('deleteAccount', () => {
  test('a wrong password is UNAUTHENTICATED and changes nothing', async () => {
    const alice = await signUp(server, 'alice');
    expect(code(await gql(server, DELETE_ACCOUNT, { p: 'wrong password' }, alice.token))).toBe('UNAUTHENTICATED');
    expect((await ok(server, `{ me { id } }`, {}, alice.token)).me.id).toBe(alice.id);
  });

  test('messages become tombstones everywhere, live; "Deleted user"; the username is free; no way back in', async () => {
    const [alice, bob] = await pair();
    const word = `zebra${Date.now()}`;
    const sent = [];
    for (let i = 0; i < 3; i++) {
      sent.push((await ok(server, SEND, { to: bob.id, text: `${word} number ${i}` }, alice.token)).sendMessage.id);
    }
    await ok(server, SEND, { to: alice.id, text: 'a reply from bob' }, bob.token);
    await ok(
      server,
      `mutation($id: ID!) { addReaction(messageId: $id, emoji: "👍") { id } }`,
      { id: sent[0] },
      bob.token,
    );
    expect(ids((await ok(server, SEARCH_MESSAGES, { q: word }, bob.token)).searchMessages)).toHaveLength(3);

    const bobSocket = wsClient(server, bob.token);
    const aliceSocket = wsClient(server, alice.token);
    const aliceClosed = new Promise<number>((resolve) =>
      aliceSocket.on('closed', (e) => resolve((e as { code: number }).code)),
    );
    try {
      const updates = collect(
        bobSocket,
        `subscription { messageUpdated { id content deletedAt reactions { emoji } } }`,
      );
      const inbox = collect(
        bobSocket,
        `subscription { conversationUpdated { peer { displayName } lastMessage { content } } }`,
      );
      await Promise.all([connected(bobSocket), connected(aliceSocket)]);

      expect((await ok(server, DELETE_ACCOUNT, { p: 'correct horse' }, alice.token)).deleteAccount).toBe(true);

      // Live: a tombstone for each of alice's messages, and bob's inbox row again.
      const events = await updates.waitFor(3, 5_000);
      expect(events.map((e) => e.data.messageUpdated.id).sort()).toEqual([...sent].sort());
      for (const e of events) {
        expect(e.data.messageUpdated).toMatchObject({ content: '', reactions: [] });
        expect(e.data.messageUpdated.deletedAt).not.toBeNull();
      }
      const [row] = await inbox.waitFor(1, 5_000);
      expect(row.data.conversationUpdated.peer.displayName).toBe('Deleted user');
      expect(await aliceClosed).toBe(4403);

      // History, inbox, search.
      const history = (await ok(server, HISTORY, { with: alice.id }, bob.token)).chatHistory.edges.map(
        (e: any) => e.node,
      );
      expect(history.map((m: any) => m.content)).toEqual(['', '', '', 'a reply from bob']);
      expect(history.slice(0, 3).every((m: any) => m.deletedAt && m.sender.displayName === 'Deleted user')).toBe(true);
      expect(history[0].reactions).toEqual([]);
      expect(history[0].sender.username).not.toBe(alice.username);
      const conversation = (await ok(server, CONVERSATION, { with: alice.id }, bob.token)).conversation;
      expect(conversation).toMatchObject({ unreadCount: 0, peer: { displayName: 'Deleted user' } });
      expect(conversation.lastMessage.content).toBe('a reply from bob');
      expect(ids((await ok(server, SEARCH_MESSAGES, { q: word }, bob.token)).searchMessages)).toEqual([]);
      expect(ids((await ok(server, SEARCH_USERS, { s: alice.username }, bob.token)).users)).toEqual([]);
      expect(ids((await ok(server, SEARCH_USERS, { s: 'deleted' }, bob.token)).users)).not.toContain(alice.id);

      // No way back: the old token, the old password; a send to the deleted account is NOT_FOUND.
      expect(code(await gql(server, DELETE_ACCOUNT, { p: 'correct horse' }, alice.token))).toBe('UNAUTHENTICATED');
      expect(code(await gql(server, LOG_IN, { u: alice.username, p: 'correct horse' }))).toBe('UNAUTHENTICATED');
      expect(code(await gql(server, SEND, { to: alice.id, text: 'are you there?' }, bob.token))).toBe('NOT_FOUND');

      // The username is free.
      const again = await ok(
        server,
        `mutation($u: String!) { signUp(username: $u, password: "another horse") { user { id username } } }`,
        { u: alice.username },
      );
      expect(again.signUp.user.username).toBe(alice.username);
      expect(again.signUp.user.id).not.toBe(alice.id);
    } finally {
      await Promise.all([bobSocket.dispose(), aliceSocket.dispose()]);
    }
  });

  test("unread messages of a deleted account leave the peer's unread count; its blocks go", async () => {
    const [alice, bob] = await pair();
    await ok(server, SEND, { to: bob.id, text: 'one' }, alice.token);
    await ok(server, SEND, { to: bob.id, text: 'two' }, alice.token);
    await ok(server, BLOCK, { id: alice.id }, bob.token);
    expect((await ok(server, `{ unreadCount }`, {}, bob.token)).unreadCount).toBe(2);
    await ok(server, DELETE_ACCOUNT, { p: 'correct horse' }, alice.token);
    expect((await ok(server, `{ unreadCount }`, {}, bob.token)).unreadCount).toBe(0);
    expect(ids((await ok(server, BLOCKED, {}, bob.token)).blockedUsers)).toEqual([]);
    const conversation = (await ok(server, CONVERSATION, { with: alice.id }, bob.token)).conversation;
    expect(conversation).toMatchObject({ unreadCount: 0, blockedByMe: false, lastMessage: { content: '' } });
  });
});
