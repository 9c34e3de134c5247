// Builds the migrated PGlite template once per run (creating an embedded database takes several seconds).
// Its directory is unique to this run and handed to the test workers through the environment.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pgliteConnection } from '../../src/db/connections.ts';
import { applyMigrations, readLocalMigrations } from '../../src/db/migrator.ts';
import { MIGRATIONS_DIR } from '../../src/paths.ts';

export default async function globalSetup() {
  if (process.env.TEST_DATABASE_URL) return;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-test-template-'));
  const lite = await PGlite.create(path.join(dir, 'pgdata'));
  await applyMigrations(pgliteConnection(lite), await readLocalMigrations(MIGRATIONS_DIR));
  await lite.close();
  process.exitCode = undefined;
  process.env.PARLEY_TEST_TEMPLATE_DIR = dir;
}
