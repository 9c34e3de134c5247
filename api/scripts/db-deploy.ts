// `npm run db:deploy`: applies pending migrations to DATABASE_URL (or the embedded database in DATA_DIR), the
// same way the server does at start-up. Useful before rolling out several instances.
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/index.ts';
import { createLogger } from '../src/logger.ts';

const config = loadConfig();
const log = createLogger(config.logLevel);
try {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
  await db.close();
  log.info({ database: db.kind }, 'database is up to date');
  process.exit(0);
} catch (err) {
  log.fatal({ err }, 'migration failed');
  process.exit(1);
}
