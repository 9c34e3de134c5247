// Search's two ways to the newest hits (api/src/search/statements.ts) find the same messages, and the word
// statistics that choose between them (word-shares.ts) are read from PostgreSQL's ANALYZE. On a migrated database
// (PGlite, or PostgreSQL when TEST_DATABASE_URL is set), through searchMessages itself with the way fixed: the
// newest-first window (also one too small to hold a page, which must go on through the word index) against every
// hit of the word index, page after page, for each kind of query.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { pgConnection, pgliteConnection } from '../src/db/connections.ts';
import { embeddedExtensions } from '../src/db/extensions.ts';
import { applyMigrations, readLocalMigrations } from '../src/db/migrator.ts';
import { pgliteSql, pgSql, type Sql } from '../src/db/sql.ts';
import { MIGRATIONS_DIR } from '../src/paths.ts';
import { MAX_WINDOW, MIN_WINDOW, searchMessages, wayOf, type WayChoice } from '../src/search/search.ts';
import { estimate, REFRESH_MS } from '../src/search/word-shares.ts';
import { createTestDatabase, usingPostgres, type TestDatabase } from './support/databases.ts';

let db: TestDatabase;
let sql: Sql;
let exec: (text: string, params?: unknown[]) => Promise<unknown>;
let close: () => Promise<void>;
const outage = { report: () => false, watch: <T>(p: Promise<T>) => p };

const viewer = randomUUID();
const peers = [randomUUID(), randomUUID(), randomUUID()];
const stranger = randomUUID();

// Words of every frequency: "common" in half the viewer's messages, "medium" in a tenth, "rare" in three;
// "café"/"Cafe" for accents; "addresses" for substrings. Another pair's conversation holds all of them.
function text(i: number): string {
  const words = [`msg${i}`];
  if (i % 2 === 0) words.push('common');
  if (i % 10 === 4) words.push('medium');
  if (i === 17 || i === 250 || i === 598) words.push('rare');
  if (i % 7 === 0) words.push(i % 14 === 0 ? 'Café' : 'cafe');
  if (i % 9 === 0) words.push('addresses');
  return words.join(' ');
}

beforeAll(async () => {
  db = await createTestDatabase();
  if (usingPostgres()) {
    const pool = new pg.Pool({ connectionString: db.databaseUrl, max: 2 });
    const client = await pool.connect();
    await applyMigrations(pgConnection(client), await readLocalMigrations(MIGRATIONS_DIR));
    client.release();
    sql = pgSql(pool, outage as never);
    exec = (t, p) => pool.query(t, p);
    close = () => pool.end();
  } else {
    const { PGlite } = await import('@electric-sql/pglite');
    const lite: PGlite = await PGlite.create(path.join(db.dataDir, 'pgdata'), {
      extensions: await embeddedExtensions(),
    });
    process.exitCode = undefined;
    await applyMigrations(pgliteConnection(lite), await readLocalMigrations(MIGRATIONS_DIR));
    sql = pgliteSql(lite, outage as never);
    exec = (t, p) => lite.query(t, p);
    close = () => lite.close();
  }
  const users = [viewer, ...peers, stranger];
  await exec(
    `INSERT INTO "User" ("id", "username", "displayName", "passwordHash")
     SELECT u, 'ways_' || k, 'Ways ' || k, 'no password' FROM unnest($1::uuid[]) WITH ORDINALITY t(u, k)`,
    [users],
  );
  const pairs = [...peers.map((p) => [viewer, p]), [peers[0], stranger]];
  for (const [a, b] of pairs) {
    const [low, high] = a < b ? [a, b] : [b, a];
    const id = randomUUID();
    await exec(
      `INSERT INTO "Conversation" ("id", "userLowId", "userHighId", "lastSeq", "lastMessageAt")
       VALUES ($1, $2, $3, 200, now())`,
      [id, low, high],
    );
    await exec(
      `INSERT INTO "Membership" ("conversationId", "userId", "lastActivityAt") VALUES ($1, $2, now()), ($1, $3, now())`,
      [id, a, b],
    );
    // 200 messages a pair, interleaved in time with the other pairs' (the viewer's 600 are numbered across pairs).
    const k = pairs.findIndex((p) => p[0] === a && p[1] === b);
    await exec(
      `INSERT INTO "Message" ("id", "conversationId", "seq", "senderId", "recipientId", "content", "createdAt")
       SELECT gen_random_uuid(), $1, g, CASE WHEN g % 2 = 0 THEN $2::uuid ELSE $3::uuid END,
              CASE WHEN g % 2 = 0 THEN $3::uuid ELSE $2::uuid END, t, now() - make_interval(secs => 3 * (200 - g) + $4)
       FROM unnest($5::text[]) WITH ORDINALITY x(t, g)`,
      [id, a, b, k, Array.from({ length: 200 }, (_, g) => text(3 * g + Math.min(k, 2)))],
    );
  }
}, 120_000);

afterAll(async () => {
  await close?.();
  await db?.drop();
});

const fixed =
  (way: 'window' | 'index', window = MIN_WINDOW): WayChoice =>
  () => ({ way, window });

/** Every hit of a query, page after page (7 a page): their contents, in order. */
async function everyHit(query: string, choose: WayChoice, withUserId?: string): Promise<string[]> {
  const found: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await searchMessages(sql, viewer, { query, first: 7, after, withUserId }, choose);
    found.push(...page.edges.map((e) => e.node.content));
    if (!page.pageInfo.hasNextPage) return found;
    after = page.pageInfo.endCursor!;
  }
}

const QUERIES = ['common', 'medium', 'rare', 'common medium', 'comm', 'ediu', '"common medium"', 'rare OR medium'];
const MORE = ['common -medium', 'cafe', 'CAFÉ common', 'dress', 'addr'];

test.each([...QUERIES, ...MORE])('%s: the same hits, newest first, by the window and by the word index', async (q) => {
  const byIndex = await everyHit(q, fixed('index'));
  expect(byIndex.length).toBeGreaterThan(0);
  expect(await everyHit(q, fixed('window'))).toEqual(byIndex);
  // A window too small for a page: the statement goes on through the word index.
  expect(await everyHit(q, fixed('window', 3))).toEqual(byIndex);
});

test('with one peer: the same hits both ways, that conversation only', async () => {
  const byIndex = await everyHit('common', fixed('index'), peers[1]);
  expect(byIndex.length).toBe(100);
  expect(await everyHit('common', fixed('window'), peers[1])).toEqual(byIndex);
  expect(await everyHit('common', fixed('window', 5), peers[1])).toEqual(byIndex);
});

test('the counts are the text’s: nothing of the other pair, no message twice', async () => {
  const all = await everyHit('common', fixed('index'));
  expect(all).toHaveLength(300);
  expect(new Set(all).size).toBe(300);
  expect(await everyHit('rare', fixed('window'))).toEqual(['msg598 common rare', 'msg250 common rare', 'msg17 rare']);
});

test('the word statistics come from ANALYZE and are read again after REFRESH_MS; they choose the way', async () => {
  await exec('ANALYZE "Message"');
  // The first look starts a read in the background; until a read has answered there is no estimate.
  let e = estimate(sql, ['common']);
  for (let t = Date.now(); !e && Date.now() - t < 10_000;) {
    await new Promise((r) => setTimeout(r, 20));
    e = estimate(sql, ['common'], Date.now() + REFRESH_MS);
  }
  expect(e).not.toBeNull();
  // "common" is in half of the 800 messages (the viewer's 300 of 600 and 100 of the other pair's 200).
  expect(e!.share).toBeGreaterThan(0.4);
  expect(e!.share).toBeLessThan(0.6);
  expect(e!.messages).toBe(800);
  // A word the statistics do not list counts as rarer than every word they do.
  const rare = estimate(sql, ['zzzz-not-a-word'])!;
  expect(rare.share).toBeLessThan(e!.share);
  // No required word (only an OR or exclusions): no estimate, the window.
  expect(estimate(sql, [])).toBeNull();
});

test('wayOf: the window when the newest messages soon hold a page and cost less than every hit', () => {
  expect(wayOf(null, 21)).toEqual({ way: 'window', window: MIN_WINDOW });
  // A word in half the messages: a page within ~42 messages.
  expect(wayOf({ share: 0.5, messages: 1_000_000 }, 21)).toEqual({ way: 'window', window: MIN_WINDOW });
  // 0.57% of a million (the bench's prefix): ~3,700 messages to read against ~5,700 hits to fetch.
  expect(wayOf({ share: 0.0057, messages: 1_000_000 }, 21)).toEqual({ way: 'window', window: MAX_WINDOW });
  // The same share of 100,000 messages: 570 hits cost less than reading 3,700.
  expect(wayOf({ share: 0.0057, messages: 100_000 }, 21).way).toBe('index');
  // Two words together in 0.1%: a page needs 21,000 messages, beyond the window.
  expect(wayOf({ share: 0.001, messages: 1_000_000 }, 21).way).toBe('index');
});
