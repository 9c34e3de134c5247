// The vocabulary forgets. "SearchWord" (substrings are looked up in it) learns every word a send or an edit writes,
// and nothing there unlearns one: a word that only a deleted, edited, expired (MESSAGE_RETENTION_DAYS) or erased
// (deleteAccount) message held would stay in the database after the text is gone — never found by a search (the
// word index decides what is found) but kept at rest. A periodic pass removes the words no message contains.
//
// A pass goes through the vocabulary in word order, a batch per step:
// 1. the batch's words that no live message contains, each probed on the word index (one statement, no lock: a
//    common word costs reading its postings, which is why this is not done under the lock);
// 2. those few, checked again and deleted in one short transaction that first takes "SearchWord" in SHARE ROW
//    EXCLUSIVE mode. Every send's or edit's trigger (parley_search_learn) holds ROW EXCLUSIVE on it until its
//    commit, so the lock waits for the sends in flight, whose words the check then sees, and a send that starts
//    meanwhile waits the few milliseconds of the delete, then learns its words again. A word is never removed
//    while a message that holds it is being written. The lock is waited for LOCK_WAIT_MS at most: past that, the
//    batch is left for the next pass, so that sends never queue behind a long wait.
// Between batches the pass pauses three times as long as the batch took, as the retention sweep does.
import type { PrismaClient, Sql } from '../db/index.ts';
import { col, statement } from '../db/sql.ts';
import type { Logger } from '../logger.ts';
import { startPeriodic, type Periodic } from '../periodic.ts';

export const PRUNE_BATCH = 1_000;
/** How long a batch's delete waits for the sends in flight. A waiting lock request queues every later send behind
 * it, so a transaction that holds the vocabulary longer (a stuck one) makes the pass skip that batch instead. */
export const LOCK_WAIT_MS = 250;
const LOCK_TIMEOUT = /lock timeout|55P03/;
const PAUSE_FACTOR = 3;
const PAUSE_MS = 20;

// A word as a tsquery of that one lexeme (quoted as search/statements.ts quotes vocabulary words).
const lexeme = (w: string) => `('''' || replace(replace(${w}, '\\', '\\\\'), '''', '''''') || '''')::tsquery`;
const HELD = (w: string) =>
  `EXISTS (SELECT 1 FROM "Message" m WHERE public.parley_search_words(m."content") @@ ${lexeme(w)})`;

// $1 after this word ('' from the start), $2 batch size. `last`: null when the vocabulary is done.
export const UNUSED_WORDS = statement(
  'search_vocabulary_unused',
  `WITH batch AS (
     SELECT "word" FROM "SearchWord" WHERE "word" > $1::text ORDER BY "word" LIMIT $2::int
   )
   SELECT (SELECT max("word") FROM batch) AS "last",
     coalesce((SELECT json_agg(b."word") FROM batch b WHERE NOT ${HELD('b."word"')}), '[]'::json) AS "unused"`,
  { last: col.nullable(col.text), unused: col.json<string[]>() },
);

// $1 the candidate words: deleted unless a message holds them now (run after the lock, in its transaction).
const DELETE_UNUSED = `DELETE FROM "SearchWord" w WHERE w."word" = ANY($1::text[]) AND NOT ${HELD('w."word"')}`;

export type PruneResult = { removed: number; batches: number; skipped: number };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One pass over the whole vocabulary. */
export async function pruneVocabulary(
  deps: { sql: Sql; prisma: PrismaClient },
  opts: { batch?: number; pauseMs?: number; stopped?: () => boolean } = {},
): Promise<PruneResult> {
  const result: PruneResult = { removed: 0, batches: 0, skipped: 0 };
  const batch = opts.batch ?? PRUNE_BATCH;
  for (let after = ''; !opts.stopped?.();) {
    const started = performance.now();
    const [row] = await deps.sql.query(UNUSED_WORDS, [after, batch]);
    if (row.last === null) return result;
    result.batches += 1;
    if (row.unused.length) {
      const removed = await deps.prisma
        .$transaction([
          deps.prisma.$executeRawUnsafe(`SET LOCAL lock_timeout = '${LOCK_WAIT_MS}ms'`),
          deps.prisma.$executeRawUnsafe('LOCK TABLE "SearchWord" IN SHARE ROW EXCLUSIVE MODE'),
          deps.prisma.$executeRawUnsafe(DELETE_UNUSED, row.unused),
        ])
        .then(([, , n]) => n)
        .catch((err: unknown) => {
          if (!LOCK_TIMEOUT.test(String((err as Error)?.message))) throw err;
          result.skipped += 1; // a transaction held the vocabulary too long: these words wait for the next pass
          return 0;
        });
      result.removed += removed;
    }
    after = row.last;
    const took = performance.now() - started;
    await sleep(Math.max(opts.pauseMs ?? PAUSE_MS, took * PAUSE_FACTOR));
  }
  return result;
}

/** A pass a minute after start (or one interval, if shorter), then every `intervalMs`, until stopped. */
export function startVocabularyPrune(
  deps: { sql: Sql; prisma: PrismaClient; log: Logger },
  opts: { intervalMs: number },
): Periodic {
  return startPeriodic(
    (stopped) =>
      pruneVocabulary(deps, { stopped }).then(
        (r) => r.removed && deps.log.info(r, `search: removed ${r.removed} words no message holds any more`),
        (err: unknown) => deps.log.warn({ err }, 'search: the vocabulary pass failed; it runs again later'),
      ),
    { firstAfterMs: Math.min(60_000, opts.intervalMs), intervalMs: opts.intervalMs },
  );
}
