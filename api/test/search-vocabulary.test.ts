// Search's vocabulary forgets the words no message holds any more (api/src/search/vocabulary-prune.ts): after a
// pass, "SearchWord" is exactly the words of the messages that exist, on PGlite and on PostgreSQL; and a word that a
// send in flight is writing is never removed (PostgreSQL: two connections).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/index.ts';
import { createLogger } from '../src/logger.ts';
import { LOCK_WAIT_MS, pruneVocabulary } from '../src/search/vocabulary-prune.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { describeWith } from './support/requirements.ts';

let db: TestDatabase;
let database: Database;
const [alice, bob] = [randomUUID(), randomUUID()];
const conversation = randomUUID();
let seq = 0;

const exec = async (text: string, params: unknown[] = []) =>
  (await database.prisma.$queryRawUnsafe<Record<string, unknown>[]>(text, ...params)) ?? [];

async function send(content: string): Promise<string> {
  const id = randomUUID();
  seq += 1;
  await exec(
    `INSERT INTO "Message" ("id", "conversationId", "seq", "senderId", "recipientId", "content")
     VALUES ($1::uuid, $2::uuid, $3::int, $4::uuid, $5::uuid, $6::text)`,
    [id, conversation, seq, alice, bob, content],
  );
  return id;
}

const vocabulary = async () =>
  (await exec(`SELECT "word" FROM "SearchWord" ORDER BY "word"`)).map((r) => r.word as string);
/** The words the messages that exist hold, as the trigger learns them. */
const heldWords = async () =>
  (
    await exec(`SELECT DISTINCT w AS "word" FROM "Message", unnest(tsvector_to_array(public.parley_search_words("content"))) w
                ORDER BY 1`)
  ).map((r) => r.word as string);

beforeAll(async () => {
  db = await createTestDatabase();
  database = await openDatabase({ databaseUrl: db.databaseUrl, dataDir: db.dataDir, log: createLogger('silent') });
  const [low, high] = [alice, bob].sort();
  await exec(
    `INSERT INTO "User" ("id", "username", "displayName", "passwordHash")
     VALUES ($1::uuid, 'vocab_a', 'A', 'x'), ($2::uuid, 'vocab_b', 'B', 'x')`,
    [alice, bob],
  );
  await exec(
    `INSERT INTO "Conversation" ("id", "userLowId", "userHighId", "lastSeq") VALUES ($1::uuid, $2::uuid, $3::uuid, 0)`,
    [conversation, low, high],
  );
}, 60_000);

afterAll(async () => {
  await database?.close();
  await db?.drop();
});

test("a pass leaves exactly the words of the messages that exist: deleted, edited and removed messages' words go", async () => {
  const secret = await send('my pin is zqxwvy123');
  const removed = await send('hello keepword');
  await send('keepword also');
  const typo = await send('typo wrongword');
  for (let i = 0; i < 30; i++) await send(`filler${i} common`); // several batches of 7
  expect(await vocabulary()).toEqual(expect.arrayContaining(['zqxwvy123', 'wrongword', 'hello', 'keepword']));

  // deleteMessage's tombstone, editMessage, and a row removed (retention, an erased account).
  await exec(`UPDATE "Message" SET "content" = '', "deletedAt" = now() WHERE "id" = $1::uuid`, [secret]);
  await exec(`UPDATE "Message" SET "content" = 'typo rightword', "editedAt" = now() WHERE "id" = $1::uuid`, [typo]);
  await exec(`DELETE FROM "Message" WHERE "id" = $1::uuid`, [removed]);
  expect(await vocabulary()).toEqual(expect.arrayContaining(['zqxwvy123', 'wrongword', 'hello', 'rightword']));

  const result = await pruneVocabulary(database, { batch: 7, pauseMs: 0 });
  const words = await vocabulary();
  expect(words).toEqual(await heldWords());
  expect(words).toEqual(expect.arrayContaining(['keepword', 'also', 'typo', 'rightword', 'filler29', 'common']));
  for (const gone of ['zqxwvy123', 'my', 'pin', 'is', 'wrongword', 'hello']) expect(words).not.toContain(gone);
  expect(result.removed).toBe(6);
  expect(result.batches).toBeGreaterThan(5);

  // Nothing left to remove; a word sent again is learned again.
  expect((await pruneVocabulary(database, { pauseMs: 0 })).removed).toBe(0);
  await send('zqxwvy123 once more');
  expect(await vocabulary()).toContain('zqxwvy123');
}, 60_000);

describeWith(['TEST_DATABASE_URL'], 'the vocabulary pass and a send in flight (PostgreSQL)', () => {
  // Another connection sends a message holding a word that no committed message holds any more, and has not
  // committed: its trigger found the word known, so only the pass's lock keeps it from being removed.
  async function sendInFlight(word: string) {
    const held = await send(`${word} here`);
    await exec(`DELETE FROM "Message" WHERE "id" = $1::uuid`, [held]);
    const other = new pg.Client({ connectionString: db.databaseUrl });
    await other.connect();
    await other.query('BEGIN');
    seq += 1;
    await other.query(
      `INSERT INTO "Message" ("id", "conversationId", "seq", "senderId", "recipientId", "content")
       VALUES (gen_random_uuid(), $1::uuid, $2::int, $3::uuid, $4::uuid, $5::text)`,
      [conversation, seq, alice, bob, `${word} again`],
    );
    return other;
  }

  test('a word that a send in flight is writing stays: the pass waits for that send, then sees its message', async () => {
    const other = await sendInFlight('racyword');
    try {
      let done = false;
      const pass = pruneVocabulary(database, { pauseMs: 0 }).then((r) => ((done = true), r));
      await new Promise((r) => setTimeout(r, LOCK_WAIT_MS / 2));
      expect(done).toBe(false); // waiting for the send's transaction
      await other.query('COMMIT');
      expect((await pass).skipped).toBe(0);
      expect(await vocabulary()).toContain('racyword');
      expect(await vocabulary()).toEqual(await heldWords());
    } finally {
      await other.end();
    }
  }, 60_000);

  test('a send that holds the vocabulary longer than the pass waits: the batch is left for the next pass, the word stays', async () => {
    const other = await sendInFlight('slowword');
    try {
      const started = Date.now();
      const result = await pruneVocabulary(database, { pauseMs: 0 });
      expect(result.skipped).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(10_000);
      await other.query('COMMIT');
      expect(await vocabulary()).toContain('slowword');
      expect((await pruneVocabulary(database, { pauseMs: 0 })).skipped).toBe(0);
      expect(await vocabulary()).toEqual(await heldWords());
    } finally {
      await other.end();
    }
  }, 60_000);
});
