// The embedded database belongs to one process at a time.
import { createTestDatabase, usingPostgres, type TestDatabase } from './support/databases.ts';
import { spawnServer, startServer } from './support/server.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

(usingPostgres() ? test.skip : test)('a second server on the same DATA_DIR refuses to start, with a clear message', async () => {
  const first = await startServer(db);
  try {
    await expect(spawnServer(db)).rejects.toThrow(/in use by another parley process/);
  } finally {
    await first.close();
  }
  const again = await spawnServer(db); // released on close
  await again.kill();
});
