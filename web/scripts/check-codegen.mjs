#!/usr/bin/env node
// Fails when web/src/gql (committed, generated: typed documents and the trusted-documents manifest,
// persisted-documents.json, which the API runs by id) does not match what
// `npm run codegen` would produce from schema.graphql and the documents in web/src.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(webDir, '..');
const committed = join(webDir, 'src', 'gql');
const fresh = mkdtempSync(join(tmpdir(), 'parley-codegen-'));

function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

try {
  const run = spawnSync('npx', ['graphql-codegen', '--config', 'codegen.ts', '--silent'], {
    cwd: repoRoot,
    env: { ...process.env, PARLEY_CODEGEN_OUT: `${fresh}/` },
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    console.error('[codegen:check] graphql-codegen failed:\n' + run.stdout + run.stderr);
    process.exit(1);
  }

  const want = new Map(files(fresh).map((f) => [relative(fresh, f), readFileSync(f, 'utf8')]));
  const have = new Map(files(committed).map((f) => [relative(committed, f), readFileSync(f, 'utf8')]));
  const problems = [];
  for (const [name, content] of want) {
    if (!have.has(name)) problems.push(`missing: web/src/gql/${name}`);
    else if (have.get(name) !== content) problems.push(`out of date: web/src/gql/${name}`);
  }
  for (const name of have.keys()) if (!want.has(name)) problems.push(`unexpected: web/src/gql/${name}`);

  if (problems.length) {
    console.error(
      '[codegen:check] web/src/gql is stale:\n  ' +
        problems.join('\n  ') +
        '\nRun `npm run codegen` at the repository root and commit the result.',
    );
    process.exit(1);
  }
  console.log('[codegen:check] web/src/gql is up to date.');
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
