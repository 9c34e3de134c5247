// Generates the Prisma client (runs on `npm install`/`npm ci`).
// Generation is WebAssembly, but Prisma's CLI first checks for a native schema-engine binary it would download —
// impossible offline or behind a firewall. It only checks that the file exists, so point it at one that does.
// (Migrations never use that binary: see api/src/db/migrator.ts.)
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const cli = path.join(path.dirname(require.resolve('prisma/package.json')), 'build', 'index.js');
const result = spawnSync(process.execPath, [cli, 'generate'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  },
});
process.exit(result.status ?? 1);
