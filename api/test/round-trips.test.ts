// Database round trips per operation on a warm server, counted by a wire-protocol proxy (support/pg-proxy.ts):
// each client Sync or simple Query is one wait for PostgreSQL. The hot paths take at most two (authentication
// included), so their latency does not multiply with the distance to the database.
import type { Client } from 'graphql-ws';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { startPgProxy, type PgProxy } from './support/pg-proxy.ts';
import { describeWith } from './support/requirements.ts';
import {
  collect,
  connected,
  ok,
  signUp,
  sleep,
  startServer,
  wsClient,
  type TestServer,
  type TestUser,
} from './support/server.ts';

const MAX_ROUND_TRIPS = 2;
/** Statements an instance runs on its own timers (see auth/session-watch.ts: the sessions of open streams; the
 * push queue's poll for due jobs and its workers' heartbeat, push/queue.ts). */
const BACKGROUND = /WHERE s\."id" = ANY\(\$1::uuid\[\]\) AND s\."endedAt" IS NULL|graphile_worker|"PushWorker"/;

const SEND = `mutation($to: ID!, $text: String!, $cid: String) {
  sendMessage(recipientId: $to, content: $text, clientMessageId: $cid) { id content createdAt cursor sender { id displayName } recipient { id displayName } }
}`;
const HISTORY = `query($with: ID!, $before: String) {
  chatHistory(withUserId: $with, last: 50, before: $before) {
    edges { cursor node { id content createdAt readAt sender { id displayName } recipient { id displayName } } }
    pageInfo { hasPreviousPage startCursor }
  }
}`;
const MARK = `mutation($from: ID!) { markRead(senderId: $from) { count readAt } }`;
const ME = `{ me { id username displayName } }`;
const INBOX = `{ conversations(first: 20) { edges { node { id unreadCount lastActivityAt peer { id displayName } lastMessage { id content } peerLastRead { id } } } } }`;
const UNREAD = `{ unreadCount }`;
const ONE = `query($with: ID!) { conversation(withUserId: $with) { id unreadCount peer { id } lastMessage { id } peerLastRead { id } } }`;
const LIFECYCLE = `id content editedAt deletedAt updateCursor reactions { emoji count reactedByMe }`;
const EDIT = `mutation($id: ID!, $text: String!) { editMessage(id: $id, content: $text) { ${LIFECYCLE} } }`;
const DELETE = `mutation($id: ID!) { deleteMessage(id: $id) { ${LIFECYCLE} } }`;
const REACT = `mutation($id: ID!, $e: String!) { addReaction(messageId: $id, emoji: $e) { ${LIFECYCLE} } }`;
const UNREACT = `mutation($id: ID!, $e: String!) { removeReaction(messageId: $id, emoji: $e) { ${LIFECYCLE} } }`;
const REPLY = `mutation($to: ID!, $text: String!, $reply: ID) { sendMessage(recipientId: $to, content: $text, replyToId: $reply) { id cursor replyTo { id content } } }`;
const FULL_HISTORY = `query($with: ID!) {
  chatHistory(withUserId: $with, last: 50) {
    edges { node { ${LIFECYCLE} sender { id displayName } replyTo { ${LIFECYCLE} sender { id } } } }
  }
}`;
const UPDATED = `subscription($with: ID, $after: String) { messageUpdated(withUserId: $with, after: $after) { ${LIFECYCLE} } }`;
const SEARCH = `query($q: String!, $with: ID, $after: String) {
  searchMessages(query: $q, withUserId: $with, first: 20, after: $after) {
    edges { cursor snippet highlights { start length } node { id content createdAt sender { id displayName } recipient { id displayName } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const ADDED = `subscription($with: ID, $after: String) { messageAdded(withUserId: $with, after: $after) { id content cursor sender { id displayName } } }`;

/** Resolves once the proxy saw no round trip for `quietMs`: nothing from a previous step is still running. */
async function quiesce(proxy: PgProxy, quietMs = 200, maxMs = 10_000) {
  const deadline = Date.now() + maxMs;
  let last = proxy.roundTrips();
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    if (Date.now() > deadline)
      throw new Error(`the server never went quiet: ${proxy.statements().slice(-5).join(' | ')}`);
    await sleep(20);
    if (proxy.roundTrips() !== last) {
      last = proxy.roundTrips();
      since = Date.now();
    }
  }
}

describeWith(
  ['TEST_DATABASE_URL'],
  `database round trips per operation on a warm server (at most ${MAX_ROUND_TRIPS})`,
  () => {
    let db: TestDatabase;
    let proxy: PgProxy;
    let server: TestServer;
    let alice: TestUser, bob: TestUser;
    /** Cursors of the conversation's messages, oldest first. */
    const cursors: string[] = [];
    const counted: Record<string, number> = {};

    /** Round trips of `run`, with nothing else going on (the idle count of the same window is reported with it). */
    async function measure(name: string, run: () => Promise<unknown>) {
      await quiesce(proxy);
      proxy.reset();
      await run();
      const statements = proxy.statements();
      // The instance's periodic re-check of open sockets' sessions (every 5 s, one statement for all sockets) is
      // background work, not the operation's: it does not count.
      const background = statements.filter((sql) => BACKGROUND.test(sql)).length;
      const roundTrips = proxy.roundTrips() - background;
      const connections = proxy.connectionsOpened();
      counted[name] = roundTrips;
      if (roundTrips > MAX_ROUND_TRIPS) {
        throw new Error(
          `${name}: ${roundTrips} round trips (at most ${MAX_ROUND_TRIPS}); ${connections} new connection(s); statements:\n` +
            statements.map((s, i) => `  ${i + 1}. ${s.replace(/\s+/g, ' ').slice(0, 160)}`).join('\n'),
        );
      }
    }

    beforeAll(async () => {
      db = await createTestDatabase();
      proxy = await startPgProxy(db.databaseUrl!);
      server = await startServer({ ...db, databaseUrl: proxy.urlFor(db.databaseUrl!) });
      [alice, bob] = [await signUp(server, 'alice'), await signUp(server, 'bob')];
      // 60 messages, so the newest 50 have a page before them. Then one of each operation: caches, prepared
      // statements and the pool's connections are warm.
      for (let i = 0; i < 60; i++) {
        const sent = await ok(server, SEND, { to: bob.id, text: `m${i}`, cid: `warm-${i}` }, alice.token);
        cursors.push(sent.sendMessage.cursor);
      }
      await ok(server, SEND, { to: bob.id, text: 'm59', cid: 'warm-59' }, alice.token);
      const page = await ok(server, HISTORY, { with: alice.id }, bob.token);
      await ok(server, HISTORY, { with: alice.id, before: page.chatHistory.pageInfo.startCursor }, bob.token);
      await ok(server, MARK, { from: alice.id }, bob.token);
      await ok(server, ME, {}, bob.token);
      await ok(server, INBOX, {}, bob.token);
      await ok(server, UNREAD, {}, bob.token);
      await ok(server, ONE, { with: alice.id }, bob.token);
      await ok(server, SEARCH, { q: 'm5' }, bob.token);
      await ok(server, SEARCH, { q: 'm5', with: alice.id }, bob.token);
      const socket = wsClient(server, bob.token);
      try {
        const warm = collect(socket, ADDED, { with: alice.id, after: cursors[57] });
        await connected(socket, 0);
        await warm.waitFor(2);
      } finally {
        await socket.dispose();
      }
      await sleep(1_200); // the subscription's delayed re-check, if the server still makes one after it ended
    });
    afterAll(async () => {
      await server?.close();
      await proxy?.close();
      await db?.drop();
      if (process.env.PARLEY_REPORT_ROUND_TRIPS) console.log(counted);
    });

    test('an idle server makes none', async () => {
      await quiesce(proxy);
      proxy.reset();
      await sleep(500);
      // Apart from the push queue's timers (a poll for due retries, the workers' heartbeat): every 2 s.
      expect(proxy.statements().filter((sql) => !BACKGROUND.test(sql))).toEqual([]);
    });

    test('sendMessage (a new message)', async () => {
      await measure('sendMessage', async () => {
        const sent = await ok(server, SEND, { to: bob.id, text: 'new', cid: 'measured-1' }, alice.token);
        cursors.push(sent.sendMessage.cursor);
      });
    });

    test('sendMessage retried with the same clientMessageId', async () => {
      await measure('sendMessage retry', async () => {
        await ok(server, SEND, { to: bob.id, text: 'new', cid: 'measured-1' }, alice.token);
      });
    });

    test('sendMessage to someone without push subscriptions wakes no push relay', async () => {
      // The relay runs 10 ms after a send that may have queued pushes (chat/send.ts "mayPush"), else only on its
      // 2 s poll: 20 sends in 1 s see that poll at most once.
      await quiesce(proxy);
      proxy.reset();
      for (let i = 0; i < 20; i++) {
        cursors.push((await ok(server, SEND, { to: bob.id, text: `no push ${i}` }, alice.token)).sendMessage.cursor);
        await sleep(50);
      }
      expect(proxy.statements().filter((sql) => sql.includes('"PushOutbox"')).length).toBeLessThanOrEqual(1);
    });

    test('chatHistory(last: 50) with sender and recipient names', async () => {
      await measure('chatHistory(last: 50)', async () => {
        const page = await ok(server, HISTORY, { with: alice.id }, bob.token);
        expect(page.chatHistory.edges).toHaveLength(50);
        expect(page.chatHistory.edges[0].node.sender.displayName).toBeTruthy();
      });
    });

    test('chatHistory(last: 50, before: cursor)', async () => {
      await measure('chatHistory(before)', async () => {
        const page = await ok(server, HISTORY, { with: alice.id, before: cursors[30] }, bob.token);
        expect(page.chatHistory.edges).toHaveLength(30);
      });
    });

    test('markRead', async () => {
      for (const text of ['unread 1', 'unread 2'])
        cursors.push((await ok(server, SEND, { to: bob.id, text }, alice.token)).sendMessage.cursor);
      await measure('markRead', async () => {
        const marked = await ok(server, MARK, { from: alice.id }, bob.token);
        expect(marked.markRead.count).toBeGreaterThanOrEqual(2);
      });
    });

    test('the inbox: conversations(first: 20), unreadCount, conversation(withUserId)', async () => {
      await measure('conversations(first: 20)', async () => {
        expect((await ok(server, INBOX, {}, bob.token)).conversations.edges).toHaveLength(1);
      });
      await measure('unreadCount', () => ok(server, UNREAD, {}, bob.token));
      await measure('conversation(withUserId)', () => ok(server, ONE, { with: alice.id }, bob.token));
    });

    test('searchMessages, all conversations and one, a second page, substrings', async () => {
      let after: string | undefined;
      await measure('searchMessages', async () => {
        const found = (await ok(server, SEARCH, { q: 'm' }, bob.token)).searchMessages;
        expect(found.edges).toHaveLength(20);
        expect(found.pageInfo.hasNextPage).toBe(true);
        after = found.pageInfo.endCursor;
      });
      await measure('searchMessages(withUserId, after)', async () => {
        const found = (await ok(server, SEARCH, { q: 'm', with: alice.id, after }, bob.token)).searchMessages;
        expect(found.edges).toHaveLength(20);
      });
      // Substrings (the trigram index) beside a word: still one statement.
      await measure('searchMessages(substrings)', async () => {
        const found = (await ok(server, SEARCH, { q: 'm59 OR m58 OR "m57"' }, bob.token)).searchMessages;
        expect(found.edges).toHaveLength(3);
      });
    });

    test('me', async () => {
      await measure('me', async () => {
        const me = await ok(server, ME, {}, bob.token);
        expect(me.me.id).toBe(bob.id);
      });
    });

    test('subscription start: messageAdded(withUserId, after: cursor) until its catch-up arrived', async () => {
      let socket: Client | undefined;
      try {
        await measure('graphql-ws connect (reported, not limited)', async () => {
          socket = wsClient(server, bob.token);
          await connected(socket, 0);
        }).catch(() => {});
        const total = cursors.length;
        await measure('messageAdded(withUserId, after) start', async () => {
          // The catch-up: the three messages after cursors[total - 4]. The count is taken as they arrive, well
          // before the re-check the server may make ~1 s after a subscription starts.
          const live = collect(socket!, ADDED, { with: alice.id, after: cursors[total - 4] });
          const events = await live.waitFor(3, 5_000);
          expect(events.map((e) => e.data?.messageAdded.cursor)).toEqual(cursors.slice(total - 3));
          await sleep(100); // anything the start still does right after delivering
        });
      } finally {
        await socket?.dispose();
      }
    });

    test('editMessage, deleteMessage, addReaction, removeReaction', async () => {
      const mk = async (text: string) => (await ok(server, SEND, { to: bob.id, text }, alice.token)).sendMessage;
      const [a, b] = [await mk('to change'), await mk('to delete')];
      await ok(server, EDIT, { id: a.id, text: 'warm' }, alice.token); // prepared statements are per connection
      await ok(server, REACT, { id: a.id, e: '🔥' }, bob.token);
      await ok(server, UNREACT, { id: a.id, e: '🔥' }, bob.token);
      await measure('editMessage', () => ok(server, EDIT, { id: a.id, text: 'changed' }, alice.token));
      await measure('addReaction', () => ok(server, REACT, { id: a.id, e: '👍' }, bob.token));
      await measure('removeReaction', () => ok(server, UNREACT, { id: a.id, e: '👍' }, bob.token));
      await measure('deleteMessage', () => ok(server, DELETE, { id: b.id }, alice.token));
      await ok(server, REPLY, { to: bob.id, text: 'warm reply', reply: a.id }, alice.token);
      await measure('sendMessage(replyToId)', async () => {
        const sent = await ok(server, REPLY, { to: bob.id, text: 'a reply', reply: a.id }, alice.token);
        expect(sent.sendMessage.replyTo).toEqual({ id: a.id, content: 'changed' });
      });
    });

    test('chatHistory(last: 50) with reactions and replies: still one statement, no per-message query', async () => {
      let previous = (await ok(server, SEND, { to: bob.id, text: 'thread start' }, alice.token)).sendMessage;
      for (let i = 0; i < 10; i++) {
        const reply = (await ok(server, REPLY, { to: bob.id, text: `reply ${i}`, reply: previous.id }, alice.token))
          .sendMessage;
        await ok(server, REACT, { id: reply.id, e: '👍' }, bob.token);
        previous = reply;
      }
      await ok(server, FULL_HISTORY, { with: alice.id }, bob.token);
      await measure('chatHistory(last: 50) with reactions and replies', async () => {
        const page = await ok(server, FULL_HISTORY, { with: alice.id }, bob.token);
        const replies = page.chatHistory.edges.filter((e: any) => e.node.replyTo);
        expect(replies.length).toBeGreaterThanOrEqual(10);
        expect(replies.at(-1).node.reactions).toEqual([{ emoji: '👍', count: 1, reactedByMe: true }]);
      });
    });

    test('subscription start: messageUpdated(withUserId, after: updateCursor) until its catch-up arrived', async () => {
      const m = (await ok(server, SEND, { to: bob.id, text: 'watched' }, alice.token)).sendMessage;
      const from = (await ok(server, REACT, { id: m.id, e: '👀' }, bob.token)).addReaction.updateCursor;
      await ok(server, EDIT, { id: m.id, text: 'watched!' }, alice.token);
      const socket = wsClient(server, bob.token);
      try {
        await connected(socket, 0);
        await measure('messageUpdated(withUserId, after) start', async () => {
          const live = collect(socket, UPDATED, { with: alice.id, after: from });
          const [event] = await live.waitFor(1, 5_000);
          expect(event.data?.messageUpdated.content).toBe('watched!');
          await sleep(100);
        });
      } finally {
        await socket.dispose();
      }
    });
  },
);
