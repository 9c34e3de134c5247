// Once per run: builds the API to dist/ when it is stale (the suites that spawn a server run the build, as
// `npm start` does), and the migrated PGlite template (creating an embedded database takes several seconds),
// whose directory is unique to this run and handed to the test workers through the environment.
import { spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pgliteConnection } from '../../src/db/connections.ts';
import { embeddedExtensions } from '../../src/db/extensions.ts';
import { applyMigrations, readLocalMigrations } from '../../src/db/migrator.ts';
import { MIGRATIONS_DIR } from '../../src/paths.ts';

export default async function globalSetup() {
  buildServer();
  if (process.env.TEST_DATABASE_URL) return;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-test-template-'));
  const lite = await PGlite.create(path.join(dir, 'pgdata'), { extensions: await embeddedExtensions() });
  await applyMigrations(pgliteConnection(lite), await readLocalMigrations(MIGRATIONS_DIR));
  await lite.close();
  process.exitCode = undefined;
  process.env.PARLEY_TEST_TEMPLATE_DIR = dir;
}

function buildServer() {
  const script = fileURLToPath(new URL('../../scripts/build.mjs', import.meta.url));
  const run = spawnSync(process.execPath, [script, '--if-stale'], {
    stdio: 'inherit',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  if (run.status !== 0) throw new Error('Building the API (api/scripts/build.mjs) failed: see above.');
}
