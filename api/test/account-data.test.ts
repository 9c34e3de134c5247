// Your data (issue #22): GET /export streams everything (100,000 messages inserted with one SQL statement, then
// exported complete and as valid JSON), and MESSAGE_RETENTION_DAYS removes exactly the messages older than that,
// keeping inboxes right. PGlite, or PostgreSQL with TEST_DATABASE_URL.
import { openDatabase } from '../src/db/index.ts';
import { createLogger } from '../src/logger.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { gql, ok, signUp, sleep, spawnServer, startServer, type TestUser } from './support/server.ts';

const SEND = `mutation($to: ID!, $text: String!) { sendMessage(recipientId: $to, content: $text) { id } }`;
const CONVERSATION = `query($with: ID!) { conversation(withUserId: $with) { id unreadCount lastMessage { content } } }`;
const HISTORY = `query($with: ID!) { chatHistory(withUserId: $with, last: 100) { edges { node { content } } } }`;

/** Runs SQL on the suite's database while no server holds it (PGlite has one owner at a time). */
async function withSql(db: TestDatabase, fn: (exec: (text: string) => Promise<unknown>) => Promise<void>) {
  const database = await openDatabase({
    databaseUrl: db.databaseUrl,
    dataDir: db.dataDir,
    log: createLogger('silent'),
  });
  try {
    await fn((text) => database.prisma.$executeRawUnsafe(text));
  } finally {
    await database.close();
  }
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

test('GET /export: 100,000 messages, complete and valid JSON, downloaded as an attachment', async () => {
  const BULK = 100_000;
  let server = await startServer(db);
  let alice: TestUser, bob: TestUser;
  try {
    [alice, bob] = [await signUp(server, 'alice'), await signUp(server, 'bob')];
    const first = (await ok(server, SEND, { to: bob.id, text: 'the first one' }, alice.token)).sendMessage.id;
    await ok(
      server,
      `mutation($id: ID!) { addReaction(messageId: $id, emoji: "🎉") { id } }`,
      { id: first },
      bob.token,
    );
    await ok(server, `mutation($from: ID!) { markRead(senderId: $from) { count } }`, { from: alice.id }, bob.token);
    await ok(
      server,
      `mutation($id: ID!) { blockUser(userId: $id) }`,
      { id: (await signUp(server, 'eve')).id },
      alice.token,
    );
    // Refusals.
    const anonymous = await fetch(`${server.url}/export`);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const forged = await fetch(`${server.url}/export`, { headers: { authorization: 'Bearer forged.token.here' } });
    expect(forged.status).toBe(401);
    const posted = await fetch(`${server.url}/export`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.token}` },
    });
    expect(posted.status).toBe(405);
  } finally {
    await server.close();
  }

  // One statement: 100,000 messages alternating direction, every third read, then the positions and inbox rows.
  await withSql(db, async (exec) => {
    await exec(`
      WITH c AS (SELECT "id", "lastSeq" FROM "Conversation"
                 WHERE "userLowId" = LEAST('${alice.id}'::uuid, '${bob.id}'::uuid)
                   AND "userHighId" = GREATEST('${alice.id}'::uuid, '${bob.id}'::uuid)),
      bulk AS (
        INSERT INTO "Message" ("id", "conversationId", "seq", "senderId", "recipientId", "content", "createdAt", "readAt")
        SELECT gen_random_uuid(), c."id", c."lastSeq" + g,
          CASE WHEN g % 2 = 0 THEN '${alice.id}'::uuid ELSE '${bob.id}'::uuid END,
          CASE WHEN g % 2 = 0 THEN '${bob.id}'::uuid ELSE '${alice.id}'::uuid END,
          'bulk message ' || g, now() + g * interval '1 millisecond',
          CASE WHEN g % 3 = 0 THEN now() END
        FROM c, generate_series(1, ${BULK}) g
        RETURNING 1
      )
      UPDATE "Conversation" SET "lastSeq" = "lastSeq" + (SELECT count(*) FROM bulk) WHERE "id" = (SELECT "id" FROM c)`);
  });

  server = await startServer(db);
  try {
    const res = await fetch(`${server.url}/export`, { headers: { authorization: `Bearer ${alice!.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-disposition')).toMatch(
      new RegExp(`^attachment; filename="parley-export-${alice!.username}-\\d{4}-\\d{2}-\\d{2}\\.json"$`),
    );
    expect(res.headers.get('content-length')).toBeNull(); // streamed (chunked), not buffered to measure it
    const data = JSON.parse(await res.text());
    expect(data.profile).toMatchObject({ id: alice!.id, username: alice!.username });
    expect(data.profile.passwordHash).toBeUndefined();
    expect(data.sessions.length).toBeGreaterThanOrEqual(1);
    expect(data.sessions[0]).toHaveProperty('userAgent');
    expect(data.blocks).toHaveLength(1);
    expect(data.conversations).toHaveLength(1);
    const [conversation] = data.conversations;
    expect(conversation.peer).toMatchObject({ id: bob!.id, username: bob!.username });
    expect(conversation.messages).toHaveLength(BULK + 1);
    expect(data.messageCount).toBe(BULK + 1);
    const seqs = conversation.messages.map((m: { seq: number }) => m.seq);
    expect(seqs.every((s: number, i: number) => s === i + 1)).toBe(true);
    const [head, second, third] = conversation.messages;
    expect(head).toMatchObject({
      content: 'the first one',
      direction: 'sent',
      senderId: alice!.id,
      reactions: [{ emoji: '🎉', userIds: [bob!.id] }],
      attachments: [],
    });
    expect(head.readAt).not.toBeNull();
    expect(second).toMatchObject({ content: 'bulk message 1', direction: 'received', readAt: null });
    expect(third).toMatchObject({ content: 'bulk message 2', direction: 'sent' });
    expect(typeof head.createdAt).toBe('string');
    // The peer's export holds the same messages, from their side.
    const theirs = JSON.parse(
      await (await fetch(`${server.url}/export`, { headers: { authorization: `Bearer ${bob!.token}` } })).text(),
    );
    expect(theirs.conversations[0].messages).toHaveLength(BULK + 1);
    expect(theirs.conversations[0].messages[0].direction).toBe('received');
    expect(theirs.blocks).toEqual([]);
  } finally {
    await server.close();
  }
}, 600_000);

test('MESSAGE_RETENTION_DAYS removes exactly the older messages, in batches, and leaves inboxes and counts right', async () => {
  let server = await startServer(db);
  let alice: TestUser, bob: TestUser, carol: TestUser, dave: TestUser;
  try {
    [alice, bob, carol] = [await signUp(server, 'alice'), await signUp(server, 'bob'), await signUp(server, 'carol')];
    dave = await signUp(server, 'dave');
    // alice → dave: 2 that will be old, read by dave while he blocks her (readAt stays null), 1 recent unread.
    await ok(server, SEND, { to: dave.id, text: 'old 6' }, alice.token);
    const old7 = (await ok(server, SEND, { to: dave.id, text: 'old 7' }, alice.token)).sendMessage.id;
    await ok(server, SEND, { to: dave.id, text: 'new 3' }, alice.token);
    await ok(server, `mutation($id: ID!) { blockUser(userId: $id) }`, { id: alice.id }, dave.token);
    const upTo = `mutation($from: ID!, $upTo: ID) { markRead(senderId: $from, upToMessageId: $upTo) { count } }`;
    expect((await ok(server, upTo, { from: alice.id, upTo: old7 }, dave.token)).markRead.count).toBe(2);
    expect((await ok(server, `{ unreadCount }`, {}, dave.token)).unreadCount).toBe(1);
    // alice → bob: 3 that will be old (bob reads the first), then 2 recent; alice → carol: 2, all old.
    for (const text of ['old 1', 'old 2', 'old 3']) await ok(server, SEND, { to: bob.id, text }, alice.token);
    await ok(server, `mutation($from: ID!) { markRead(senderId: $from) { count } }`, { from: alice.id }, bob.token);
    await ok(server, SEND, { to: bob.id, text: 'old 4 (unread)' }, alice.token);
    await ok(server, SEND, { to: alice.id, text: 'old 5 (from bob)' }, bob.token);
    for (const text of ['new 1', 'new 2']) await ok(server, SEND, { to: bob.id, text }, alice.token);
    for (const text of ['gone 1', 'gone 2']) await ok(server, SEND, { to: carol.id, text }, alice.token);
    expect((await ok(server, `{ unreadCount }`, {}, bob.token)).unreadCount).toBe(3);
    expect((await ok(server, `{ unreadCount }`, {}, carol.token)).unreadCount).toBe(2);
  } finally {
    await server.close();
  }
  await withSql(db, async (exec) => {
    await exec(`UPDATE "Message" SET "createdAt" = now() - interval '40 days'
      WHERE "content" LIKE 'old %' OR "content" LIKE 'gone %'`);
  });

  const spawned = await spawnServer(db, { MESSAGE_RETENTION_DAYS: '30', RETENTION_SWEEP_INTERVAL: '1h' });
  server = spawned;
  try {
    const deadline = Date.now() + 30_000;
    while (!/retention: removed/.test(spawned.output()) && Date.now() < deadline) await sleep(200);
    const line = spawned
      .output()
      .split('\n')
      .find((l: string) => l.includes('retention: removed'))!;
    expect(JSON.parse(line)).toMatchObject({ removed: 9, emptiedConversations: 1, retentionDays: 30 });
    // Read while blocked, those two were already off dave's unread count: not taken off again.
    expect((await ok(server, `{ unreadCount }`, {}, dave.token)).unreadCount).toBe(1);

    const history = async (viewer: TestUser, peer: TestUser) =>
      (await ok(server, HISTORY, { with: peer.id }, viewer.token)).chatHistory.edges.map((e: any) => e.node.content);
    expect(await history(bob, alice)).toEqual(['new 1', 'new 2']);
    expect(await history(alice, bob)).toEqual(['new 1', 'new 2']);
    expect(await history(carol, alice)).toEqual([]);
    // Inboxes: bob's row keeps its last message and counts only the recent unread; carol's conversation is gone.
    expect((await ok(server, CONVERSATION, { with: alice.id }, bob.token)).conversation).toMatchObject({
      unreadCount: 2,
      lastMessage: { content: 'new 2' },
    });
    expect((await ok(server, `{ unreadCount }`, {}, bob.token)).unreadCount).toBe(2);
    expect((await ok(server, `{ unreadCount }`, {}, carol.token)).unreadCount).toBe(0);
    expect((await ok(server, CONVERSATION, { with: alice.id }, carol.token)).conversation).toBeNull();
    expect(
      (await ok(server, `{ conversations { edges { node { id } } } }`, {}, carol.token)).conversations.edges,
    ).toEqual([]);
    // A new message starts that conversation again.
    await ok(server, SEND, { to: carol.id, text: 'hello again' }, alice.token);
    expect((await ok(server, CONVERSATION, { with: alice.id }, carol.token)).conversation).toMatchObject({
      unreadCount: 1,
      lastMessage: { content: 'hello again' },
    });
    expect((await gql(server, `{ unreadCount }`, {}, carol.token)).data!.unreadCount).toBe(1);
  } finally {
    await spawned.kill();
  }
}, 120_000);
