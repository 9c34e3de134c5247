// The look-ups that run on every page and every unread badge are served by indexes: history pages are index
// range scans in order (no sort, no OFFSET), unread counts are index-only scans. The plans are of the statements
// the server itself runs.
import pg from 'pg';
import { HISTORY_NEWEST_FIRST, HISTORY_OLDEST_FIRST } from '../src/chat/history.ts';
import { CONVERSATIONS_PAGE, UNREAD_TOTAL } from '../src/chat/inbox.ts';
import { HEADS, RANGE } from '../src/chat/live.ts';
import { CHANGE_HEADS, CHANGED } from '../src/chat/changeFeed.ts';
import { DELETE, EDIT } from '../src/chat/edit.ts';
import { ADD_REACTION } from '../src/chat/reactions.ts';
import { MARK_READ } from '../src/chat/read.ts';
import { RETENTION_SWEEP } from '../src/chat/retention.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { describeWith } from './support/requirements.ts';
import { ok, signUp, startServer } from './support/server.ts';

describeWith(['TEST_DATABASE_URL'], 'query plans (PostgreSQL)', () => {
  let db: TestDatabase;
  let client: pg.Client;
  let ids: { alice: string; bob: string; conversation: string };
  beforeAll(async () => {
    db = await createTestDatabase();
    const server = await startServer(db);
    const [alice, bob] = [await signUp(server, 'alice'), await signUp(server, 'bob')];
    for (let i = 0; i < 30; i++) {
      await ok(
        server,
        `mutation($to: ID!) { sendMessage(recipientId: $to, content: "hi") { id } }`,
        { to: bob.id },
        alice.token,
      );
    }
    await server.close();
    client = new pg.Client({ connectionString: db.databaseUrl });
    await client.connect();
    await client.query('VACUUM ANALYZE "Message"'); // visibility map, so index-only scans need no heap visits
    await client.query('SET enable_seqscan = off'); // a 30-row table would be scanned whole otherwise
    const conv = await client.query('SELECT id FROM "Conversation"');
    ids = { alice: alice.id, bob: bob.id, conversation: conv.rows[0].id };
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  // A message's attachments (at most 10) come in upload order: that sort of each message's few rows is allowed (an
  // ordered json_agg did the same before, inside its Aggregate node); a sort of the page's messages is not.
  const ATTACHMENT_ORDER = /->\s+Sort\s+\([^\n]*\n\s*Sort Key: (a(?:_\d+)?)\."createdAt", \1\.id\n/g;
  const plan = async (sql: string, params: unknown[]) =>
    (await client.query(`EXPLAIN ${sql}`, params)).rows
      .map((r) => r['QUERY PLAN'])
      .join('\n')
      .replace(ATTACHMENT_ORDER, '');

  // The statements the server runs, explained as they are (EXPLAIN accepts parameters like the real query).
  test('a history page is one ordered index range scan of the conversation, both directions', async () => {
    const key = [ids.alice, ids.bob].sort();
    for (const [statement, scan] of [
      [HISTORY_NEWEST_FIRST, /Index Scan Backward using "Message_conversationId_seq_key"/],
      [HISTORY_OLDEST_FIRST, /Index Scan using "Message_conversationId_seq_key"/],
    ] as const) {
      const p = await plan(statement.text, [key[0], key[1], ids.bob, 0, 20, 51]);
      expect(p).toMatch(scan);
      expect(p).not.toMatch(/Sort|Seq Scan/);
    }
  });

  test('a catch-up page is an index range scan in order', async () => {
    const p = await plan(RANGE.text, [ids.conversation, 5, 30, 500]);
    expect(p).toMatch(/Index Scan using "Message_conversationId_seq_key"/);
    expect(p).not.toMatch(/Sort|Seq Scan/);
  });

  test('markRead finds the unread messages through an index', async () => {
    const p = await plan(MARK_READ.text, [ids.bob, ids.alice, null, new Date()]);
    // Which of the sender's indexes wins depends on the statistics of a 30-row table; never a scan of the table.
    expect(p).toMatch(/Update on "Message"[\s\S]*Index (Only )?Scan using "Message_/);
    expect(p).not.toMatch(/Seq Scan on "Message"/);
  });

  test('unread counts are index-only scans', async () => {
    const unread = await plan(
      'SELECT count(*) FROM "Message" WHERE "recipientId" = $1 AND "senderId" = $2 AND "readAt" IS NULL',
      [ids.bob, ids.alice],
    );
    expect(unread).toMatch(/Index Only Scan using "Message_recipientId_senderId_readAt_seq_idx"/);
  });

  test("the re-check of subscribers' conversations uses indexes on either participant column", async () => {
    const p = await plan(HEADS.text, [[ids.bob, ids.alice]]);
    expect(p).toMatch(/Conversation_userLowId_userHighId_key/);
    expect(p).toMatch(/Conversation_userHighId_idx/);
    expect(p).not.toMatch(/Seq Scan/);
  });

  test('the change log: "changed after P" is an ordered index range scan; changes find their message by id', async () => {
    const p = await plan(CHANGED.text, [ids.conversation, 5, 30, 500]);
    expect(p).toMatch(/Index Scan using "Message_conversationId_changeSeq_idx"/);
    expect(p).not.toMatch(/Sort|Seq Scan/);
    const heads = await plan(CHANGE_HEADS.text, [[ids.bob, ids.alice]]);
    expect(heads).not.toMatch(/Seq Scan/);
    const id = '00000000-0000-4000-8000-000000000000';
    for (const [statement, params] of [
      [EDIT, [ids.alice, id, 'new text', 0]],
      [DELETE, [ids.alice, id]],
      [ADD_REACTION, [ids.bob, id, '👍']],
    ] as const) {
      const change = await plan(statement.text, [...params]);
      expect(change).toMatch(/Index Scan using "Message_pkey"/);
      expect(change).not.toMatch(/Seq Scan/);
    }
  });

  test('the inbox never scans messages: a backward range scan of memberships, one index look-up per row shown', async () => {
    await client.query('VACUUM ANALYZE "Membership"');
    const p = await plan(CONVERSATIONS_PAGE.text, [ids.bob, 'infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 21]);
    expect(p).toMatch(/Index Scan Backward using "Membership_userId_lastActivityAt_conversationId_idx"/);
    expect(p).toMatch(/Index Scan using "Message_conversationId_seq_key"/);
    expect(p).not.toMatch(/Seq Scan|Sort/);
    const total = await plan(UNREAD_TOTAL.text, [ids.bob]);
    expect(total).toMatch(
      /Index Scan using "Membership_userId_lastActivityAt_conversationId_idx"|Bitmap Index Scan on "Membership_userId_lastActivityAt_conversationId_idx"/,
    );
    expect(total).not.toMatch(/Seq Scan|"Message"/);
  });

  test('the retention sweep reads the oldest messages in order from the time index search shares (no sort)', async () => {
    const p = await plan(RETENTION_SWEEP.text, [new Date(), 200, new Date(0)]);
    expect(p).toMatch(/Index Scan using "Message_createdAt_id_idx" on "Message"/);
    expect(p).not.toMatch(/Sort Key: "Message"\."createdAt"|Seq Scan on "Message"/);
  });
});
