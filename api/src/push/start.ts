// Web Push on or off, at start: on PostgreSQL with PUSH=on, the VAPID key, the queue's workers and its trigger; on the
// embedded database (PGlite) push is off — graphile-worker needs PostgreSQL connections (a pool, LISTEN/NOTIFY) that
// an in-process PGlite cannot give — and pushPublicKey is null (docs/operations.md "Web Push").
import type { Config } from '../config.ts';
import type { Sql } from '../db/index.ts';
import type { Logger } from '../logger.ts';
import { disablePushQueue } from './queue.ts';
import { createPushService, type PushService } from './service.ts';
import { loadVapidKeys } from './vapid.ts';
import { startPushWorkerProcess } from './worker-process.ts';

/** Used when VAPID_SUBJECT is unset: valid, but push services may refuse it (Apple does). */
const PLACEHOLDER_SUBJECT = 'mailto:push@parley.invalid';

export async function startPush(deps: {
  config: Config;
  sql: Sql;
  kind: 'postgresql' | 'embedded';
  log: Logger;
}): Promise<PushService & { close(): Promise<void> }> {
  const { config, sql, log } = deps;
  const push = config.push;
  if (!push.enabled || deps.kind !== 'postgresql' || !config.databaseUrl) {
    if (push.enabled) log.warn('Web Push needs PostgreSQL (DATABASE_URL): it is off on the embedded database');
    if (config.databaseUrl) await disablePushQueue(config.databaseUrl);
    return { ...createPushService(sql, null), close: async () => {} };
  }
  const vapid = await loadVapidKeys(push.vapid, config.dataDir);
  if (!push.subject) log.warn(`VAPID_SUBJECT is not set: using ${PLACEHOLDER_SUBJECT}, which push services may refuse`);
  // The queue's workers, its relay and its heartbeat run in a process of their own (worker-process.ts).
  const queue = await startPushWorkerProcess(
    {
      databaseUrl: config.databaseUrl,
      vapid,
      subject: push.subject ?? PLACEHOLDER_SUBJECT,
      preview: push.preview,
      concurrency: push.concurrency,
      workerTimeoutMs: push.workerTimeoutMs,
      logLevel: config.logLevel,
      nice: push.workerNice,
    },
    log,
  );
  return { ...createPushService(sql, vapid.publicKey, queue.messageStored), close: () => queue.close() };
}
