// The outbox's relay: moves rows of "PushOutbox" (written by the trigger on "Message" in each send's transaction) into
// graphile-worker's queue, a batch per statement: the DELETE of the rows and graphile_worker.add_jobs of their jobs
// are one statement, so one transaction — a row becomes exactly one job, or stays to be moved later (a crash, an
// outage). Rows are claimed FOR UPDATE SKIP LOCKED: relays on several instances never move the same row.
// Why an outbox rather than add_job in the send's transaction: add_job NOTIFYs, and a transaction that NOTIFYs
// holds one cluster-wide lock from its commit record through its WAL flush, so every send with a push would commit
// one at a time (sends/s fell to a third). Here one NOTIFY goes out per batch, from the relay.
// Nothing in a send's transaction may wake it (that would be a NOTIFY again): the instance that stored a message to
// someone with push subscriptions (the send statement says so: chat/send.ts "mayPush") pokes its own relay after the
// commit (`poke`, coalesced over `soonMs`), and every relay also polls every `idleMs`
// for rows no poke announced (an instance that died between its commit and its relay's pass). Busy, batches back to
// back; idle, one cheap statement every `idleMs`.
import type pg from 'pg';
import type { Logger } from '../logger.ts';

/** One statement: claim up to $1 rows, delete them, add their jobs (job key `push:<message>:<subscription>`). No
 * rows: add_jobs is not called (it would NOTIFY for nothing). */
export const relaySql = (maxAttempts: number) => `WITH batch AS (
    SELECT "messageId", "subscriptionId" FROM "PushOutbox" LIMIT $1::int FOR UPDATE SKIP LOCKED
  ), moved AS (
    DELETE FROM "PushOutbox" o USING batch b
    WHERE o."messageId" = b."messageId" AND o."subscriptionId" = b."subscriptionId"
    RETURNING o."messageId", o."subscriptionId"
  ), specs AS (
    SELECT array_agg(ROW('push', json_build_object('messageId', "messageId", 'subscriptionId', "subscriptionId"),
      NULL, NULL, ${maxAttempts}, 'push:' || "messageId" || ':' || "subscriptionId", NULL, NULL
    )::graphile_worker.job_spec) AS "jobs"
    FROM moved
  )
  SELECT (SELECT count(*) FROM graphile_worker.add_jobs(s."jobs", true))::int AS "moved" FROM specs s
  WHERE s."jobs" IS NOT NULL`;

export type Relay = {
  /** A message was stored here: move the outbox within `soonMs` (many pokes, one pass). */
  poke(): void;
  close(): Promise<void>;
};

export function startRelay(deps: {
  pool: pg.Pool;
  maxAttempts: number;
  /** Rows per statement. */
  batch: number;
  /** The pause after a statement that found fewer rows than a batch, unless poked. */
  idleMs: number;
  /** How soon after a poke the pass runs (the pokes of that window share it). */
  soonMs: number;
  /** The pause after a failed statement (an outage): the rows wait in the outbox. */
  errorMs: number;
  /** Connection trouble is expected in an outage (logged at debug). */
  isConnectionTrouble: (message: string) => boolean;
  log: Logger;
}): Relay {
  const sql = relaySql(deps.maxAttempts);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let due = Infinity; // when the next pass is scheduled (Date.now() ms)
  let busy = false;
  let pokedWhileBusy = false;
  let running: Promise<void> = Promise.resolve();
  const schedule = (pause: number) => {
    clearTimeout(timer);
    due = Date.now() + pause;
    timer = setTimeout(() => void (running = pass()), pause);
  };
  const pass = async () => {
    busy = true;
    pokedWhileBusy = false;
    let pause = deps.idleMs;
    try {
      const { rows } = await deps.pool.query<{ moved: number }>(sql, [deps.batch]);
      if ((rows[0]?.moved ?? 0) >= deps.batch) pause = 0; // more may be waiting
    } catch (err) {
      const message = (err as Error).message;
      if (deps.isConnectionTrouble(message)) deps.log.debug({ err }, 'push relay: database unreachable');
      else deps.log.error({ err }, 'push relay: moving the outbox into the queue failed');
      pause = deps.errorMs;
    }
    busy = false;
    if (pokedWhileBusy && pause === deps.idleMs) pause = deps.soonMs;
    if (!stopped) schedule(pause);
  };
  running = pass();
  return {
    poke: () => {
      if (stopped) return;
      if (busy) pokedWhileBusy = true;
      else if (due > Date.now() + deps.soonMs) schedule(deps.soonMs);
    },
    close: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
