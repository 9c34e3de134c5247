// The push worker process (worker-process.ts forks it): graphile-worker's workers, the outbox relay and the worker
// heartbeat of one parley instance, on a lowered CPU priority. Pushes are background work: where the machine is busy,
// the kernel gives the instance's requests (sends, history) the CPU first, and the pushes catch up when it has some
// to spare; where it is not, they go out at once.
// Its parent is its lifeline: when the IPC channel closes (the instance exited, or was killed with -9), it exits at
// once without finishing or completing anything, as if killed with it — its locked jobs are then unlocked by the
// next instance's heartbeat (queue.ts), and run once.
import { getPriority, setPriority } from 'node:os';
import pg from 'pg';
import { createOutageReporter } from '../db/outage.ts';
import { pgSql } from '../db/sql.ts';
import { createLogger } from '../logger.ts';
import { createDeliver } from './deliver.ts';
import { startPushQueue } from './queue.ts';
import type { ToParent, ToWorker, WorkerOptions } from './worker-messages.ts';

const send = (message: ToParent) => process.send?.(message);

process.on('disconnect', () => process.exit(1));
// Its parent alone stops it: Ctrl+C in a terminal signals the whole process group, and the instance then closes its
// worker itself (finishing the pushes in flight) instead of finding it gone and starting another.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});

async function start(o: WorkerOptions) {
  const log = createLogger(o.logLevel).child({ process: 'push worker' });
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));
  try {
    setPriority(Math.min(19, getPriority() + o.nice));
  } catch (err) {
    log.warn({ err }, 'push worker: could not lower its CPU priority');
  }
  const pool = new pg.Pool({ connectionString: o.databaseUrl, max: 2 });
  pool.on('error', (err) => log.debug({ err }, 'push worker: a pooled connection failed'));
  const sql = pgSql(pool, createOutageReporter(log));
  const deliver = createDeliver({
    sql,
    vapid: o.vapid,
    subject: o.subject,
    preview: o.preview,
    log,
    batch: o.concurrency,
  });
  const queue = await startPushQueue({
    connectionString: o.databaseUrl,
    sql,
    deliver,
    concurrency: o.concurrency,
    workerTimeoutMs: o.workerTimeoutMs,
    log,
  }).catch(async (err: unknown) => {
    await pool.end();
    throw err;
  });
  return {
    poke: queue.messageStored,
    close: async () => {
      await queue.close();
      await pool.end();
    },
  };
}

let running: Awaited<ReturnType<typeof start>> | null = null;
process.on('message', (message: ToWorker) => {
  if (message.type === 'start') {
    start(message.options).then(
      (r) => {
        running = r;
        send({ type: 'ready' });
      },
      (err: unknown) => {
        send({ type: 'failed', message: (err as Error).message ?? String(err) });
        process.exit(1);
      },
    );
  } else if (message.type === 'poke') running?.poke();
  else if (message.type === 'close') {
    void (running?.close() ?? Promise.resolve()).finally(() => process.exit(0));
  }
});
