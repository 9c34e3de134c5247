// Assembles a running parley: configuration → database (migrated) → services → HTTP/WebSocket server.
import { createTokenService, loadJwtSecret } from './auth/tokens.ts';
import type { Config } from './config.ts';
import { openDatabase } from './db.ts';
import type { Logger } from './logger.ts';
import { createEventBus } from './pubsub.ts';
import { createParleyServer } from './server.ts';

export type App = { url: string; close(): Promise<void> };

export async function startApp(config: Config, log: Logger): Promise<App> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
  const bus = createEventBus(config.redisUrl, log);
  try {
    if (!config.jwtSecret && config.databaseUrl) {
      log.warn('JWT_SECRET is not set: using a secret stored in DATA_DIR; set JWT_SECRET when running several instances');
    }
    const tokens = createTokenService(await loadJwtSecret(config.jwtSecret, config.dataDir), config.jwtTtl);
    const parley = createParleyServer({
      prisma: db.prisma,
      pubsub: bus.pubsub,
      tokens,
      log,
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
        await bus.close();
        await db.close();
      },
    };
  } catch (err) {
    await bus.close();
    await db.close();
    throw err;
  }
}
