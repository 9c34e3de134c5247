// Builds the migrated PGlite template once per run (creating an embedded database takes several seconds).
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pgliteConnection } from '../../src/db/connections.ts';
import { applyMigrations, readLocalMigrations } from '../../src/db/migrator.ts';
import { MIGRATIONS_DIR } from '../../src/db/paths.ts';
import { TEMPLATE_DIR } from './databases.ts';

export default async function globalSetup() {
  if (process.env.TEST_DATABASE_URL) return;
  await rm(TEMPLATE_DIR, { recursive: true, force: true });
  await mkdir(TEMPLATE_DIR, { recursive: true });
  const lite = await PGlite.create(path.join(TEMPLATE_DIR, 'pgdata'));
  await applyMigrations(pgliteConnection(lite), await readLocalMigrations(MIGRATIONS_DIR));
  await lite.close();
  process.exitCode = undefined;
}
