// Entry point: `npm start`. Exits non-zero with a readable message when configuration or migrations are wrong.
import { loadConfig } from './config.ts';
import { openDatabase } from './db/index.ts';
import { createLogger } from './logger.ts';

let config;
try {
  config = loadConfig();
} catch (err) {
  console.error((err as Error).message);
  process.exit(78);
}
const log = createLogger(config.logLevel);
// A stray rejection (a client that vanished mid-operation, say) is logged, not a reason to drop every connection.
process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));

try {
  // The database opens (for PGlite, mostly compiling its WebAssembly) while the rest of parley loads.
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
  database.catch(() => {}); // reported by startApp
  const { startApp } = await import('./app.ts');
  const app = await startApp(config, log, { database });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const started = Date.now();
    // Draining gives in-flight requests 10 s; this is the last resort if closing itself hangs.
    const force = setTimeout(() => {
      log.error('shutdown did not finish in 20 s: exiting anyway');
      process.exit(1);
    }, 20_000);
    force.unref();
    try {
      await app.close();
      log.info({ ms: Date.now() - started }, 'shut down');
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'error while shutting down');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
} catch (err) {
  log.fatal({ err }, 'parley could not start');
  process.exit(1);
}
