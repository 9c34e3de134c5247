// How common the words of a query are, from PostgreSQL's statistics of the word index (ANALYZE keeps the most common
// words of "Message_search_idx" and the share of messages holding each, then the least and the greatest share).
// The search statement uses the estimate only to choose its way to the newest hits (statements.ts): both ways find
// the same hits, so a stale or missing estimate costs time, never results.
// The statistics are read into the process and kept for REFRESH_MS: reading pg_stats inside every search took
// ~2.8 ms of its ~5 ms in PostgreSQL. A search never waits for them: until the first read has answered (or when
// there are none: a new database, PGlite without ANALYZE) every word counts as common, which is the way that
// needs no estimate, and a stale copy is used while a newer one is read in the background.
import { col, statement, type Sql } from '../db/sql.ts';
import { normalize } from './words.ts';

export const REFRESH_MS = 60_000;

const STATISTICS = statement(
  'search_word_statistics',
  `SELECT array_to_json(s.most_common_elems::text::text[]) AS "words",
          array_to_json(s.most_common_elem_freqs) AS "shares",
          greatest((SELECT c.reltuples FROM pg_catalog.pg_class c WHERE c.oid = '"Message"'::regclass), 0)::int
            AS "messages"
   FROM pg_catalog.pg_stats s
   WHERE s.schemaname = 'public' AND s.tablename = 'Message_search_idx' AND s.most_common_elems IS NOT NULL`,
  { words: col.json<string[]>(), shares: col.json<number[]>(), messages: col.int4 },
);

type Statistics = { words: string[]; shares: number[]; least: number; messages: number; memo: Map<string, number> };
type Entry = { statistics: Statistics | null; readAt: number; reading: boolean };

const cache = new WeakMap<Sql, Entry>();

async function read(sql: Sql, entry: Entry): Promise<void> {
  entry.reading = true;
  try {
    const [row] = await sql.query(STATISTICS, []);
    // shares: one per word, then the least and the greatest (tsvector statistics keep no share of nulls).
    entry.statistics =
      row && row.words.length && row.shares.length === row.words.length + 2
        ? {
            words: row.words,
            shares: row.shares,
            least: row.shares[row.words.length],
            messages: row.messages,
            memo: new Map(),
          }
        : null;
    entry.readAt = Date.now();
  } catch {
    // The database is away: keep what we had and try again after the next interval.
    entry.readAt = Date.now();
  } finally {
    entry.reading = false;
  }
}

/** What the statistics say about a query: the share of messages that hold it, among how many messages in all. */
export type Estimate = { share: number; messages: number } | null;

/**
 * The estimated share of messages holding every one of `required` (words every hit contains inside one of its
 * words): the product of each word's share, where a word's share is that of the common words containing it, or the
 * least share when none does. Null when there are no statistics (yet) or no required word.
 */
export function estimate(sql: Sql, required: readonly string[], now = Date.now()): Estimate {
  let entry = cache.get(sql);
  if (!entry) cache.set(sql, (entry = { statistics: null, readAt: -Infinity, reading: false }));
  if (!entry.reading && now - entry.readAt >= REFRESH_MS) void read(sql, entry);
  const s = entry.statistics;
  if (!s || !required.length) return null;
  let share = 1;
  for (const word of required) share *= wordShare(s, normalize(word));
  return { share, messages: s.messages };
}

function wordShare(s: Statistics, word: string): number {
  let share = s.memo.get(word);
  if (share === undefined) {
    let sum = 0;
    for (let i = 0; i < s.words.length; i++) if (s.words[i].includes(word)) sum += s.shares[i];
    share = Math.max(sum, s.least, 1e-9);
    if (s.memo.size >= 10_000) s.memo.clear();
    s.memo.set(word, share);
  }
  return share;
}
