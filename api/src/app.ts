// Assembles a running parley: configuration → database (migrated) → services → HTTP/WebSocket server.
import { createTokenService, loadJwtSecret } from './auth/tokens.ts';
import type { Config } from './config.ts';
import { createViewerCache } from './auth/viewers.ts';
import type { ChatChannels } from './chat/events.ts';
import { createMessageFeed } from './chat/live.ts';
import { openDatabase } from './db/index.ts';
import type { Logger } from './logger.ts';
import { createEventBus } from './pubsub.ts';
import { createParleyServer } from './server.ts';

export type App = { url: string; close(): Promise<void> };

export async function startApp(config: Config, log: Logger): Promise<App> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
  const bus = createEventBus<ChatChannels>(config.redisUrl, log);
  const feed = createMessageFeed({ sql: db.sql, pubsub: bus.pubsub, log });
  try {
    if (!config.jwtSecret && config.databaseUrl) {
      log.warn('JWT_SECRET is not set: using a secret stored in DATA_DIR; set JWT_SECRET when running several instances');
    }
    const tokens = createTokenService(await loadJwtSecret(config.jwtSecret, config.dataDir), config.jwtTtl);
    const parley = createParleyServer({
      services: {
        prisma: db.prisma,
        sql: db.sql,
        pubsub: bus.pubsub,
        feed,
        tokens,
        viewers: createViewerCache(db.sql),
        log,
      },
      outage: db.outage,
      webDist: config.webDist,
      readiness: {
        database: db.ping,
        pendingMigrations: db.pendingMigrations,
        redis: bus.kind === 'redis' ? bus.isConnected : undefined,
      },
    });
    const running = await parley.listen(config.port, config.host);
    log.info(
      { url: running.url, database: db.kind, events: bus.kind },
      `parley listening on ${running.url} (GraphiQL at ${running.url}/graphql)`,
    );
    return {
      url: running.url,
      close: async () => {
        await running.close();
        feed.close();
        await bus.close();
        await db.close();
      },
    };
  } catch (err) {
    feed.close();
    await bus.close();
    await db.close();
    throw err;
  }
}
