// One suite's database and server, set up once: call `useTestDatabase` or `useTestServer` at the top of a test file
// (or inside a `describe`), and its database — and server — exist from before the first test to after the last,
// then are closed and dropped. The callback receives them once they are ready; assign what the tests use there.
import { createTestDatabase, type TestDatabase } from './databases.ts';
import { spawnServer, startServer, type ServerProcess, type TestServer } from './server.ts';

type Ready<T> = (value: T) => unknown;

/** A database of the suite's own (a PGlite copy, or a new PostgreSQL database when TEST_DATABASE_URL is set). */
export function useTestDatabase(ready?: Ready<TestDatabase>): void {
  suite(async (db) => {
    await ready?.(db);
    return undefined;
  });
}

export type SuiteOptions = {
  /** Environment for the server, over the test defaults (support/server.ts). */
  env?: Record<string, string>;
  /** Run `npm start`'s build as a child process (restarts, crashes, log output) rather than in this process. */
  spawn?: boolean;
};

/** A database and a parley server on it, for the suite. */
export function useTestServer(ready: Ready<{ server: TestServer; db: TestDatabase }>, options?: SuiteOptions): void;
export function useTestServer(
  ready: Ready<{ server: ServerProcess; db: TestDatabase }>,
  options: SuiteOptions & { spawn: true },
): void;
export function useTestServer(ready: Ready<{ server: any; db: TestDatabase }>, options: SuiteOptions = {}): void {
  suite(async (db) => {
    const server = options.spawn ? await spawnServer(db, options.env) : await startServer(db, options.env);
    try {
      await ready({ server, db });
    } catch (err) {
      await server.close();
      throw err;
    }
    return server;
  });
}

/** One beforeAll and one afterAll: the server (if any) is closed before its database is dropped. */
function suite(open: (db: TestDatabase) => Promise<TestServer | undefined>): void {
  let db: TestDatabase | undefined;
  let server: TestServer | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    server = await open(db);
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });
}
