// The sweep: uploads not attached within UPLOAD_ORPHAN_TTL (24 h), and attachments whose message is gone, are
// deleted — row and objects. Safe with several instances: each batch is claimed with FOR UPDATE SKIP LOCKED and
// deleted in the same statement, so every row is removed (and its objects deleted) by exactly one instance.
import type { Sql } from '../db/index.ts';
import { col, statement } from '../db/sql.ts';
import type { Logger } from '../logger.ts';
import { objectKeys, type ObjectStore } from './storage.ts';

const BATCH = 500;

// $1 the age in milliseconds, $2 the batch size.
const SWEEP = statement(
  'attachments_sweep',
  `DELETE FROM "Attachment" WHERE "id" IN (
     SELECT "id" FROM "Attachment"
     WHERE "messageId" IS NULL AND "createdAt" < now() - $1::int * interval '1 millisecond'
     ORDER BY "createdAt" LIMIT $2::int FOR UPDATE SKIP LOCKED
   ) RETURNING "id"`,
  { id: col.uuid },
);

/**
 * One sweep: how many attachments it deleted. The embedded store's temporary files untouched for as long (uploads cut
 * off by a crash) go too; they are no attachment and not counted.
 */
export async function sweepOrphans(deps: { sql: Sql; store: ObjectStore }, orphanTtlMs: number): Promise<number> {
  await deps.store.sweepTemporary?.(orphanTtlMs);
  let total = 0;
  for (;;) {
    const rows = await deps.sql.query(SWEEP, [Math.min(orphanTtlMs, 2 ** 31 - 1), BATCH]);
    await deps.store.remove(rows.flatMap((r) => objectKeys(r.id)));
    total += rows.length;
    if (rows.length < BATCH) return total;
  }
}

/** Sweeps every `intervalMs` until stopped. */
export function startSweeper(
  deps: { sql: Sql; store: ObjectStore; log: Logger },
  opts: { orphanTtlMs: number; intervalMs: number },
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = sweepOrphans(deps, opts.orphanTtlMs).then(
      (count) => count && deps.log.info({ count }, 'swept unattached uploads'),
      (err: unknown) => deps.log.warn({ err }, 'the upload sweep failed; it runs again later'),
    );
  }, opts.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
