// The look-ups that run on every page and every unread badge are served by indexes: history pages are index
// range scans in order (no sort, no OFFSET), unread counts and "is there more" probes are index-only scans.
import pg from 'pg';
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
      await ok(server, `mutation($to: ID!) { sendMessage(recipientId: $to, content: "hi") { id } }`, { to: bob.id }, alice.token);
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

  const plan = async (sql: string, params: unknown[]) =>
    (await client.query(`EXPLAIN ${sql}`, params)).rows.map((r) => r['QUERY PLAN']).join('\n');

  test('a history page is an ordered index range scan', async () => {
    const p = await plan(
      'SELECT * FROM "Message" WHERE "conversationId" = $1 AND seq < $2 ORDER BY seq DESC LIMIT 51',
      [ids.conversation, 20],
    );
    expect(p).toMatch(/Index Scan Backward using "Message_conversationId_seq_key"/);
    expect(p).not.toMatch(/Sort|Seq Scan/);
  });

  test('unread counts and "more pages?" probes are index-only scans', async () => {
    const unread = await plan(
      'SELECT count(*) FROM "Message" WHERE "recipientId" = $1 AND "senderId" = $2 AND "readAt" IS NULL',
      [ids.bob, ids.alice],
    );
    expect(unread).toMatch(/Index Only Scan using "Message_recipientId_senderId_readAt_seq_idx"/);
    const probe = await plan('SELECT seq FROM "Message" WHERE "conversationId" = $1 AND seq <= $2 LIMIT 1', [ids.conversation, 5]);
    expect(probe).toMatch(/Index Only Scan using "Message_conversationId_seq_key"/);
  });

  test("a subscriber's conversations are found through indexes on either participant column", async () => {
    const p = await plan('SELECT id, "lastSeq" FROM "Conversation" WHERE "userLowId" = $1 OR "userHighId" = $1', [ids.bob]);
    expect(p).toMatch(/Conversation_userLowId_userHighId_key/);
    expect(p).toMatch(/Conversation_userHighId_idx/);
    expect(p).not.toMatch(/Seq Scan/);
  });
});
