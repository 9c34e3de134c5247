// A deleted message is never found (issue #20) — by the search statement itself, not only because deleteMessage
// blanks the text: a tombstone whose text were still there (a later change to deletion, a restore, a row written by
// hand) must stay out of the results, by a word, a prefix and a substring. The search runs as the server runs it
// (searchMessages on the database the server opens), on rows written directly, so this fails without the
// statement's `deletedAt IS NULL`. (search.test.ts checks the same through deleteMessage and the API.)
// CI runs it on PGlite and on PostgreSQL.
import { randomUUID } from 'node:crypto';
import { openDatabase, type Database } from '../src/db/index.ts';
import { createLogger } from '../src/logger.ts';
import { searchMessages } from '../src/search/search.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';

let testDb: TestDatabase;
let db: Database;
const viewer = randomUUID();
const peer = randomUUID();
const live = randomUUID();
const deleted = randomUUID();

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = await openDatabase({ databaseUrl: testDb.databaseUrl, dataDir: testDb.dataDir, log: createLogger('silent') });
  const [low, high] = [viewer, peer].sort();
  const conversation = randomUUID();
  const run = (text: string, ...values: unknown[]) => db.prisma.$executeRawUnsafe(text, ...values);
  await run(
    `INSERT INTO "User" ("id", "username", "displayName", "passwordHash") VALUES ($1::uuid, 'viewer', 'V', 'x'), ($2::uuid, 'peer', 'P', 'x')`,
    viewer,
    peer,
  );
  await run(
    `INSERT INTO "Conversation" ("id", "userLowId", "userHighId", "lastSeq") VALUES ($1::uuid, $2::uuid, $3::uuid, 2)`,
    conversation,
    low,
    high,
  );
  await run(
    `INSERT INTO "Membership" ("conversationId", "userId", "lastActivityAt") VALUES ($1::uuid, $2::uuid, now()), ($1::uuid, $3::uuid, now())`,
    conversation,
    viewer,
    peer,
  );
  // The newer one is the tombstone: without the filter it would be the first hit.
  await run(
    `INSERT INTO "Message" ("id", "conversationId", "seq", "senderId", "recipientId", "content", "createdAt", "deletedAt")
     VALUES ($1::uuid, $3::uuid, 1, $4::uuid, $5::uuid, 'the okapi address, still here', now() - interval '1 minute', NULL),
            ($2::uuid, $3::uuid, 2, $4::uuid, $5::uuid, 'the okapi address, deleted', now(), now())`,
    live,
    deleted,
    conversation,
    viewer,
    peer,
  );
}, 60_000);

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

test.each([
  ['a word', 'okapi'],
  ['a prefix', 'ok'],
  ['a word as a substring', 'oka'],
  ['a substring', 'dress'],
  ['two substrings', 'kapi dres'],
  ['a phrase', '"okapi address"'],
])('a deleted message is not found by %s, also in its conversation', async (_kind, query) => {
  const everywhere = await searchMessages(db.sql, viewer, { query });
  expect(everywhere.edges.map((e) => e.node.id)).toEqual([live]);
  const withPeer = await searchMessages(db.sql, viewer, { query, withUserId: peer });
  expect(withPeer.edges.map((e) => e.node.id)).toEqual([live]);
});
