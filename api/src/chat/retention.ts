// MESSAGE_RETENTION_DAYS: a periodic sweep deletes the messages older than that, the oldest first, in batches of
// RETENTION_BATCH — each batch one statement, so its own short transaction — and yields between batches so sends
// keep their latency (bench: `npm run bench:account`): after a batch it pauses RETENTION_PAUSE_FACTOR times as long
// as the batch took (at least RETENTION_PAUSE_MS), so the sweep holds at most ~1/(1 + factor) of the time of the
// database connection and CPU it shares with the traffic, however loaded the machine is.
//
// The inbox stays consistent in the same statement: an unread message removed is taken off its recipient's unread
// count (not one read while blocked: already off it, see chat/read.ts); a conversation whose newest message was
// removed has no message left (createdAt never decreases along seq, so everything before it is as old) and is
// deleted with its memberships — it leaves both inboxes, and a new message starts a new one. A conversation that
// keeps messages keeps its last message.
//
// Locks: the sweep never waits for a send. It takes the conversations' rows first, in the order every send and
// change takes them, and with SKIP LOCKED: a conversation a send is writing right now is left for a later batch;
// so is a message being edited right now (its row claimed with SKIP LOCKED too). A send waits at most for one
// batch's conversation rows. Several instances: a batch runs only under a transaction-scoped advisory lock (the
// others skip that round). Each batch starts where the previous one stopped (keyset on createdAt: the index's
// head, full of the rows just deleted until vacuum reaches them, is not read again); a row left behind (locked)
// keeps that start at it. Attachments of removed messages are deleted too, rows in the statement, objects after it.
import { objectKeys, type ObjectStore } from '../attachments/storage.ts';
import type { Sql } from '../db/index.ts';
import { col, statement } from '../db/sql.ts';
import type { Logger } from '../logger.ts';
import { startPeriodic, type Periodic } from '../periodic.ts';

export const RETENTION_BATCH = 200;
/** The least pause between two batches. */
export const RETENTION_PAUSE_MS = 20;
/** The pause between two batches, as a multiple of the time the batch took. */
export const RETENTION_PAUSE_FACTOR = 3;
/** The advisory lock of the sweep (one batch at a time over all instances). */
const RETENTION_LOCK = 72_707_371; // not 72707370: the push trigger's install (push/queue.ts) holds that one

// $1 the cutoff (older is removed), $2 the batch size, $3 where to start (createdAt, inclusive).
export const RETENTION_SWEEP = statement(
  'chat_retention_sweep',
  `WITH lock AS (
     SELECT pg_try_advisory_xact_lock(${RETENTION_LOCK}) AS "got"
   ), old AS (
     SELECT "ctid", "id", "conversationId", "createdAt" FROM "Message"
     WHERE "createdAt" < $1::timestamptz AND "createdAt" >= $3::timestamptz AND (SELECT "got" FROM lock)
     ORDER BY "createdAt" LIMIT $2::int
   ), conv AS (
     SELECT c."id" FROM "Conversation" c WHERE c."id" IN (SELECT "conversationId" FROM old)
     ORDER BY c."id" FOR UPDATE SKIP LOCKED
   ), doomed AS (
     SELECT m."id" FROM "Message" m
     WHERE m."ctid" = ANY (ARRAY(SELECT "ctid" FROM old)) AND m."createdAt" < $1::timestamptz
       AND m."conversationId" IN (SELECT "id" FROM conv)
     FOR UPDATE OF m SKIP LOCKED
   ), files AS (
     DELETE FROM "Attachment" WHERE "messageId" IN (SELECT "id" FROM doomed) RETURNING "id"
   ), removed AS (
     DELETE FROM "Message" m WHERE m."id" IN (SELECT "id" FROM doomed)
     RETURNING m."conversationId", m."seq", m."recipientId", m."readAt", m."deletedAt"
   ), emptied AS (
     DELETE FROM "Conversation" c WHERE c."id" IN (SELECT "conversationId" FROM removed)
       AND c."lastSeq" IN (SELECT "seq" FROM removed r WHERE r."conversationId" = c."id")
     RETURNING c."id"
   ), unread AS (
     UPDATE "Membership" me SET "unreadCount" = GREATEST(me."unreadCount" - u."n", 0)
     FROM (SELECT r."conversationId", r."recipientId", count(*)::int AS "n" FROM removed r
           JOIN "Membership" h ON h."conversationId" = r."conversationId" AND h."userId" = r."recipientId"
           WHERE r."readAt" IS NULL AND r."deletedAt" IS NULL AND r."seq" > h."hiddenReadSeq"
           GROUP BY r."conversationId", r."recipientId") u
     WHERE me."conversationId" = u."conversationId" AND me."userId" = u."recipientId"
       AND me."conversationId" NOT IN (SELECT "id" FROM emptied)
     RETURNING 1
   )
   SELECT (SELECT "got" FROM lock) AS "locked", (SELECT count(*)::int FROM removed) AS "removed",
     (SELECT count(*)::int FROM emptied) AS "emptied", (SELECT count(*)::int FROM unread) AS "unreadAdjusted",
     coalesce((SELECT json_agg("id") FROM files), '[]'::json) AS "files",
     coalesce((SELECT min(o."createdAt") FROM old o WHERE o."id" NOT IN (SELECT "id" FROM doomed)),
       (SELECT max("createdAt") FROM old)) AS "next"`,
  {
    locked: col.bool,
    removed: col.int4,
    emptied: col.int4,
    unreadAdjusted: col.int4,
    files: col.json<string[]>(),
    next: col.nullable(col.timestamptz),
  },
);

export type RetentionDeps = { sql: Sql; store?: ObjectStore; log: Logger };
export type SweepResult = { removed: number; emptiedConversations: number; batches: number };
export type RetentionOptions = { days: number; batch?: number; pauseMs?: number; pauseFactor?: number };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One sweep: batches until nothing older than the cutoff is left (or another instance holds the lock). */
export async function sweepOldMessages(deps: RetentionDeps, opts: RetentionOptions): Promise<SweepResult> {
  const cutoff = new Date(Date.now() - opts.days * 86_400_000);
  const batch = opts.batch ?? RETENTION_BATCH;
  const result: SweepResult = { removed: 0, emptiedConversations: 0, batches: 0 };
  let from = new Date(0);
  for (;;) {
    const started = performance.now();
    const [row] = await deps.sql.query(RETENTION_SWEEP, [cutoff, batch, from]);
    const took = performance.now() - started;
    if (!row.locked) return result; // another instance is sweeping
    result.batches += 1;
    result.removed += row.removed;
    result.emptiedConversations += row.emptied;
    if (row.files.length && deps.store) {
      await deps.store
        .remove(row.files.flatMap(objectKeys))
        .catch((err: unknown) => deps.log.error({ err }, 'attachments of expired messages could not be deleted'));
    }
    // A batch that removed nothing although rows were old: they are being changed right now (SKIP LOCKED); the
    // next sweep takes them.
    if (row.removed === 0 || row.next === null) return result;
    from = row.next;
    await sleep(Math.max(opts.pauseMs ?? RETENTION_PAUSE_MS, took * (opts.pauseFactor ?? RETENTION_PAUSE_FACTOR)));
  }
}

/** Sweeps at start and every `intervalMs` until stopped; logs what each sweep removed. */
export function startRetention(deps: RetentionDeps, opts: RetentionOptions & { intervalMs: number }): Periodic {
  return startPeriodic(
    () =>
      sweepOldMessages(deps, opts).then(
        (r) =>
          r.removed &&
          deps.log.info(
            { ...r, retentionDays: opts.days },
            `retention: removed ${r.removed} messages older than ${opts.days} days`,
          ),
        (err: unknown) => deps.log.warn({ err }, 'the retention sweep failed; it runs again later'),
      ),
    { firstAfterMs: 1_000, intervalMs: opts.intervalMs },
  );
}
