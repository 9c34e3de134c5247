// Assembles a running parley: configuration → database (migrated) → services → HTTP/WebSocket server.
import { createHash } from 'node:crypto';
import { createDownloadLinks } from './attachments/download-links.ts';
import { createEmbeddedStore } from './attachments/embedded-store.ts';
import { createS3Store, s3Origins } from './attachments/s3-store.ts';
import { startSweeper } from './attachments/sweep.ts';
import { startRetention } from './chat/retention.ts';
import { startVocabularyPrune } from './search/vocabulary-prune.ts';
import { createUploads } from './attachments/uploads.ts';
import { createTokenService, loadJwtSecret } from './auth/tokens.ts';
import type { Config } from './config.ts';
import { createViewerCache } from './auth/viewers.ts';
import { createSessions, type AuthChannels } from './auth/sessions.ts';
import { createBlockCache, type BlockChannels } from './users/blocks.ts';
import type { ChatChannels } from './chat/events.ts';
import { createMessageFeed } from './chat/live.ts';
import { createChangeFeed } from './chat/changeFeed.ts';
import { createTyping } from './chat/typing.ts';
import { openDatabase, type Database } from './db/index.ts';
import type { Logger } from './logger.ts';
import { createEventBus } from './pubsub.ts';
import { createThrottle, NO_THROTTLE } from './throttle.ts';
import { loadTrustedDocuments } from './http/trusted-documents.ts';
import { createDownloadRedirects } from './http/download-redirects.ts';
import { createUploadRoutes } from './http/uploads.ts';
import { createParleyServer } from './server.ts';
import { listenMetrics } from './http/metrics.ts';
import { startPush } from './push/start.ts';

export type App = { url: string; close(): Promise<void> };

/** A short name for this deployment (its database), for what several share in Redis. */
function deploymentName(config: Config): string {
  return createHash('sha256')
    .update(config.databaseUrl ?? config.dataDir)
    .digest('hex')
    .slice(0, 12);
}

/** What has been opened so far, closed newest first: on shutdown, and when a later step fails to start. */
function openedResources() {
  const closers: (() => Promise<void> | void)[] = [];
  return {
    add(close: () => Promise<void> | void) {
      closers.push(close);
    },
    /** Closes everything, even when one close fails; throws the first failure after trying them all. */
    async closeAll() {
      let failure: unknown;
      for (const close of closers.splice(0).reverse()) {
        try {
          await close();
        } catch (err) {
          failure ??= err;
        }
      }
      if (failure !== undefined) throw failure;
    },
  };
}

/** `database`: already being opened (main.ts opens it while the rest of parley loads); opened here otherwise. */
export async function startApp(config: Config, log: Logger, opts: { database?: Promise<Database> } = {}): Promise<App> {
  const opened = openedResources();
  try {
    const db = await (opts.database ?? openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log }));
    opened.add(() => db.close());
    const bus = await createEventBus<ChatChannels & AuthChannels & BlockChannels>(config.redisUrl, log);
    opened.add(() => bus.close());
    const feed = createMessageFeed({ sql: db.sql, listen: bus.listen, log });
    opened.add(() => feed.close());
    const changeFeed = createChangeFeed({ sql: db.sql, listen: bus.listen, log });
    opened.add(() => changeFeed.close());
    if (!config.jwtSecret && config.databaseUrl) {
      log.warn(
        'JWT_SECRET is not set: using a secret stored in DATA_DIR; set JWT_SECRET when running several instances',
      );
    }
    const jwtSecret = await loadJwtSecret(config.jwtSecret, config.dataDir);
    const tokens = createTokenService(jwtSecret, config.jwtTtl);
    // Attachments: an S3 bucket, or the embedded store in DATA_DIR/uploads (signed with a key from the JWT secret).
    // Downloads are parley's signed URLs in both modes: served from disk, or redirected to the bucket.
    const attachments = config.attachments;
    const links = createDownloadLinks(jwtSecret);
    const s3 = attachments.s3 ? createS3Store(attachments.s3) : null;
    if (s3) opened.add(() => s3.close());
    const embedded = s3 ? null : await createEmbeddedStore(config.dataDir, jwtSecret, links);
    const store = s3 ?? embedded!;
    const uploads = createUploads({ sql: db.sql, store, links, config: attachments, log });
    opened.add(() => uploads.close());
    const sweeper = startSweeper(
      { sql: db.sql, store, log },
      { orphanTtlMs: attachments.orphanTtlMs, intervalMs: attachments.sweepIntervalMs },
    );
    opened.add(() => sweeper.stop());
    const push = await startPush({ config, sql: db.sql, kind: db.kind, log });
    opened.add(() => push.close());
    if (config.retention.days !== null) {
      const retention = startRetention(
        { sql: db.sql, store, log },
        { days: config.retention.days, intervalMs: config.retention.intervalMs },
      );
      opened.add(() => retention.stop());
    }
    const prune = startVocabularyPrune(
      { sql: db.sql, prisma: db.prisma, log },
      { intervalMs: config.vocabularyPruneIntervalMs },
    );
    opened.add(() => prune.stop());
    const viewers = createViewerCache(db.sql);
    const sessions = createSessions({ sql: db.sql, tokens, pubsub: bus.pubsub, log });
    opened.add(() => sessions.close());
    const blocks = createBlockCache({ sql: db.sql, pubsub: bus.pubsub, log });
    opened.add(() => blocks.close());
    const parley = createParleyServer({
      services: {
        prisma: db.prisma,
        sql: db.sql,
        pubsub: bus.pubsub,
        feed,
        changeFeed,
        editWindowSeconds: config.editWindowSeconds,
        typing: createTyping({ pubsub: bus.pubsub, users: viewers, blocks }),
        tokens,
        viewers,
        sessions,
        blocks,
        throttle: config.limits ? createThrottle(config.limits, bus.redis, deploymentName(config)) : NO_THROTTLE,
        uploads,
        push,
        log,
      },
      uploadRoutes: embedded
        ? createUploadRoutes({ store: embedded, uploads, maxUploadBytes: attachments.maxUploadBytes, log })
        : createDownloadRedirects({ links, bucket: s3!, urlTtlMs: attachments.urlTtlMs, log }),
      trustProxy: config.trustProxy,
      limits: config.http,
      corsOrigins: config.corsOrigins,
      introspection: config.introspection,
      trustedDocuments: loadTrustedDocuments(config.trustedDocuments.mode, config.trustedDocuments.manifests),
      outage: db.outage,
      metricsToken: config.metrics.token,
      storageOrigins: attachments.s3 ? s3Origins(attachments.s3) : [],
      webDist: config.webDist,
      readiness: {
        database: db.ping,
        pendingMigrations: db.pendingMigrations,
        redis: bus.kind === 'redis' ? bus.isConnected : undefined,
      },
    });
    const running = await parley.listen(config.port, config.host);
    opened.add(() => running.close());
    if (config.metrics.port !== undefined) {
      const metricsServer = await listenMetrics(config.metrics.port, config.host);
      opened.add(() => new Promise<void>((resolve) => metricsServer.close(() => resolve())));
    }
    log.info(
      { url: running.url, database: db.kind, events: bus.kind },
      `parley listening on ${running.url} (GraphiQL at ${running.url}/graphql)`,
    );
    return { url: running.url, close: () => opened.closeAll() };
  } catch (err) {
    await opened
      .closeAll()
      .catch((closeErr: unknown) => log.error({ err: closeErr }, 'could not close after a failed start'));
    throw err;
  }
}
