// The embedded database belongs to one process at a time.
import { usingPostgres, type TestDatabase } from './support/databases.ts';
import { useTestDatabase } from './support/suite.ts';
import { startApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { spawnServer, startServer } from './support/server.ts';

let db: TestDatabase;
useTestDatabase((suite) => {
  db = suite;
});

(usingPostgres() ? test.skip : test)(
  'a second server on the same DATA_DIR refuses to start, with a clear message',
  async () => {
    const first = await startServer(db);
    try {
      await expect(spawnServer(db)).rejects.toThrow(/in use by another parley process/);
    } finally {
      await first.close();
    }
    const again = await spawnServer(db); // released on close
    await again.kill();
  },
);

(usingPostgres() ? test.skip : test)(
  'a start that fails after the database is open releases it (here the event bus cannot be created)',
  async () => {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: db.dataDir, LOG_LEVEL: 'silent' });
    // ioredis refuses the port in its constructor, after the embedded database has been opened.
    await expect(startApp({ ...config, redisUrl: 'redis://127.0.0.1:99999' }, createLogger('silent'))).rejects.toThrow(
      /Invalid URL/,
    );
    const again = await spawnServer(db); // not "in use by another parley process"
    await again.kill();
  },
);
