// A fresh database for each test file: a copy of a migrated PGlite template (fast), or — when
// TEST_DATABASE_URL is set — a new PostgreSQL database created on that server and dropped afterwards.
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** The migrated PGlite template of this run (made by global-setup.ts; one per run, so concurrent runs never share it). */
export const templateDir = () => {
  const dir = process.env.PARLEY_TEST_TEMPLATE_DIR;
  if (!dir) throw new Error('PARLEY_TEST_TEMPLATE_DIR is not set: run the API tests through jest (global-setup.ts).');
  return dir;
};

export type TestDatabase = {
  /** DATA_DIR for the server (holds the embedded database, and the JWT secret in both modes). */
  dataDir: string;
  /** Set when running on PostgreSQL. */
  databaseUrl?: string;
  drop(): Promise<void>;
};

export const usingPostgres = () => Boolean(process.env.TEST_DATABASE_URL);

export async function createTestDatabase(): Promise<TestDatabase> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-test-'));
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    await cp(templateDir(), dataDir, { recursive: true });
    return { dataDir, drop: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const name = `parley_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    dataDir,
    databaseUrl: url.toString(),
    drop: async () => {
      await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function withAdmin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
