// The push queue: graphile-worker (PostgreSQL) — jobs live in the database, every instance runs workers on the same
// queue, a job is locked by one worker at a time, and failures retry with exponential backoff.
// Enqueueing, through a transactional outbox: a trigger on "Message" (installed here at start, after graphile-worker's
// own migrations) writes one "PushOutbox" row per subscription of the recipient, unless the recipient muted the
// conversation — inside the send statement, so in its transaction, and without a round trip (sendMessage stays one
// statement); a recipient with no subscription costs one index probe. The relay (relay.ts) moves the rows into the
// queue, one job per row: job_key `push:<message>:<subscription>`, one job per pair, ever.
// Crashes: graphile-worker unlocks a job whose worker died only after 4 hours. Each instance here records its
// workers in "PushWorker" every HEARTBEAT_MS; any instance unlocks the jobs of workers not seen for `workerTimeoutMs`
// (a killed process, on another machine too), so they run again — once: their lock is taken by one worker.
import { EventEmitter } from 'node:events';
import { Logger as WorkerLogger, run, type Runner, type Task, type WorkerEvents } from 'graphile-worker';
import pg from 'pg';
import type { Sql } from '../db/index.ts';
import { statement } from '../db/sql.ts';
import type { Logger } from '../logger.ts';
import { RetryablePushError, type Deliver, type PushJob } from './deliver.ts';
import { startRelay } from './relay.ts';

const HEARTBEAT_MS = 2_000;
/** Attempts per push: with graphile-worker's backoff (e^attempt seconds), about 3 hours in all. */
const MAX_ATTEMPTS = 10;
/** Reschedules at a push service's Retry-After per push; past that, its answers take graphile-worker's backoff. */
const MAX_DEFERRALS = 5;
/** The relay: rows per statement; how soon after this instance stored a message it runs (the latency it adds); its
 * poll for rows no poke announced (an instance that died after its commit). */
const RELAY_BATCH = 500;
const RELAY_SOON_MS = 10;
const RELAY_IDLE_MS = 2_000;
const COMPLETE_BATCH_MS = 5;

// Installed on every start while push is on (idempotent; serialised by an advisory lock between instances).
const INSTALL_TRIGGER = `
SELECT pg_advisory_xact_lock(72707370);
CREATE OR REPLACE FUNCTION parley_push_enqueue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "PushOutbox" ("messageId", "subscriptionId")
  SELECT NEW."id", s."id" FROM "PushSubscription" s
  WHERE s."userId" = NEW."recipientId"
    AND NOT EXISTS (SELECT 1 FROM "Membership" me
                    WHERE me."conversationId" = NEW."conversationId" AND me."userId" = NEW."recipientId" AND me."muted");
  RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER parley_push AFTER INSERT ON "Message" FOR EACH ROW EXECUTE FUNCTION parley_push_enqueue();
`;
const DROP_TRIGGER = `DROP TRIGGER IF EXISTS parley_push ON "Message"`;

// $1 worker ids of this instance.
const HEARTBEAT = statement(
  'push_heartbeat',
  `INSERT INTO "PushWorker" ("workerId", "seenAt") SELECT unnest($1::text[]), now()
   ON CONFLICT ("workerId") DO UPDATE SET "seenAt" = now()`,
  {},
);
// graphile-worker's own schema exists on PostgreSQL with push on only: these two run on the queue's pool, not as
// registered statements (statement-types.test.ts runs those on every database).
// $1 timeout (ms). Workers holding a lock that no instance vouches for: the stale, and those never seen.
const DEAD_WORKERS = `SELECT DISTINCT j.locked_by AS "workerId" FROM graphile_worker.jobs j
   WHERE j.locked_by IS NOT NULL AND j.locked_at < now() - $1::int * interval '1 millisecond'
     AND NOT EXISTS (SELECT 1 FROM "PushWorker" w
                     WHERE w."workerId" = j.locked_by AND w."seenAt" > now() - $1::int * interval '1 millisecond')`;
const FORGET_WORKERS = statement(
  'push_forget_workers',
  `DELETE FROM "PushWorker" WHERE "workerId" = ANY($1::text[]) OR "seenAt" < now() - interval '1 day'`,
  {},
);
const UNLOCK_WORKERS = `SELECT graphile_worker.force_unlock_workers($1::text[])`;

export type PushQueue = {
  /** A message was stored by this instance: its pushes are moved to the queue soon (relay.ts). */
  messageStored(): void;
  close(): Promise<void>;
};

/** Removes the trigger (PostgreSQL, push off): messages enqueue nothing. */
export async function disablePushQueue(connectionString: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(DROP_TRIGGER);
  } finally {
    await client.end();
  }
}

/**
 * A lost or refused database connection: graphile-worker and the pool reconnect by themselves, and the outage is
 * reported once by the request path (db/outage.ts) — not once more per listener retry, at error level.
 */
const CONNECTION_TROUBLE =
  /connection|not yet accepting|not queryable|shutting down|ECONNREFUSED|ECONNRESET|EPIPE|terminat|57P0\d/i;

function workerLogger(log: Logger) {
  return new WorkerLogger(() => (level, message, meta) => {
    if ((level === 'error' || level === 'warning') && CONNECTION_TROUBLE.test(message))
      log.debug({ meta }, `push queue: ${message}`);
    else if (level === 'error') log.error({ meta }, `push queue: ${message}`);
    else if (level === 'warning') log.warn({ meta }, `push queue: ${message}`);
    else log.debug({ meta }, `push queue: ${message}`);
  });
}

export async function startPushQueue(deps: {
  connectionString: string;
  sql: Sql;
  deliver: Deliver;
  concurrency: number;
  workerTimeoutMs: number;
  log: Logger;
}): Promise<PushQueue> {
  const { sql, log } = deps;
  const task: Task = async (payload, helpers) => {
    const job = payload as PushJob;
    try {
      const outcome = await deps.deliver(job);
      log.debug({ ...job, outcome, attempt: helpers.job.attempts }, 'push');
    } catch (err) {
      if (!(err instanceof RetryablePushError)) throw err;
      const deferrals = job.deferrals ?? 0;
      if (err.retryAt && deferrals < MAX_DEFERRALS) {
        // The push service said when: the same push as a new job at that time, under the same key. Adding it
        // retires this locked job in the same statement (graphile-worker clears its key and spends its attempts),
        // so a crash before this one completes leaves one job to run, not two.
        await helpers.addJob(
          'push',
          { messageId: job.messageId, subscriptionId: job.subscriptionId, deferrals: deferrals + 1 },
          {
            jobKey: helpers.job.key ?? undefined,
            jobKeyMode: 'replace',
            runAt: err.retryAt,
            maxAttempts: MAX_ATTEMPTS,
          },
        );
        log.info({ ...job, retryAt: err.retryAt }, `${err.message}: rescheduled at its Retry-After`);
        return;
      }
      log.info({ ...job, attempt: helpers.job.attempts }, err.message);
      throw err; // graphile-worker retries it later (e^attempts seconds)
    }
  };
  const pool = new pg.Pool({ connectionString: deps.connectionString, max: Math.min(deps.concurrency + 2, 12) });
  // An idle connection lost in an outage: the pool opens another when needed (see CONNECTION_TROUBLE).
  pool.on('error', (err) => log.debug({ err }, 'push queue: a pooled connection failed'));
  pool.on('connect', (client) => {
    client.on('error', (err) => log.debug({ err }, 'push queue: a connection failed'));
  });
  // Our own emitter, so that the workers created while `run` starts are seen too.
  const events: WorkerEvents = new EventEmitter();
  const workers = new Set<string>();
  // Jobs are locked by a worker, or by the pool when its local queue fetched them in a batch.
  events.on('pool:create', ({ workerPool }) => void workers.add(workerPool.id));
  events.on('pool:release', ({ workerPool }) => void workers.delete(workerPool.id));
  events.on('worker:create', ({ worker }) => void workers.add(worker.workerId));
  events.on('worker:release', ({ worker }) => void workers.delete(worker.workerId));
  let runner: Runner;
  try {
    runner = await run({
      pgPool: pool,
      concurrency: deps.concurrency,
      noHandleSignals: true,
      pollInterval: 2_000,
      // One query fetches (and locks) a batch for all of this instance's workers, instead of each worker polling;
      // new jobs wake it at once (LISTEN/NOTIFY).
      // Completions within COMPLETE_BATCH_MS go in one statement (a commit per push cost about what a send's does).
      // The cost: a crash in that window sends those pushes again — as one mid-request already did (see above).
      preset: { worker: { localQueue: { size: deps.concurrency }, completeJobBatchDelay: COMPLETE_BATCH_MS } },
      logger: workerLogger(log),
      events,
      taskList: { push: task },
    });
    await pool.query(INSTALL_TRIGGER);
  } catch (err) {
    await pool.end();
    throw err;
  }

  const relay = startRelay({
    pool,
    maxAttempts: MAX_ATTEMPTS,
    batch: RELAY_BATCH,
    idleMs: RELAY_IDLE_MS,
    soonMs: RELAY_SOON_MS,
    errorMs: HEARTBEAT_MS,
    isConnectionTrouble: (message) => CONNECTION_TROUBLE.test(message),
    log,
  });

  let stopped = false;
  const beat = async () => {
    if (workers.size) await sql.query(HEARTBEAT, [[...workers]]);
    const dead = (await pool.query<{ workerId: string }>(DEAD_WORKERS, [deps.workerTimeoutMs])).rows.map(
      (r) => r.workerId,
    );
    if (dead.length) {
      await pool.query(UNLOCK_WORKERS, [dead]);
      log.warn({ workers: dead }, 'push queue: unlocked the jobs of workers that stopped answering');
    }
    await sql.query(FORGET_WORKERS, [dead]);
  };
  let timer: NodeJS.Timeout | undefined;
  const loop = async () => {
    await beat().catch((err: unknown) => log.warn({ err }, 'push queue: heartbeat failed'));
    if (!stopped) timer = setTimeout(() => void loop(), HEARTBEAT_MS);
  };
  await loop();

  return {
    messageStored: relay.poke,
    close: async () => {
      stopped = true;
      clearTimeout(timer);
      await relay.close();
      await runner.stop();
      await pool.end();
    },
  };
}
