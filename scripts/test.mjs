// `npm test`: every check and suite, in order, with a summary of what ran, what was not run and why.
// Database: embedded PGlite by default; set TEST_DATABASE_URL (a PostgreSQL URL whose user may CREATE DATABASE)
// to run the API suites on PostgreSQL, each file in a database of its own that is dropped afterwards.
import { spawnSync } from 'node:child_process';

const steps = [
  { name: 'typecheck', cmd: 'npm run typecheck' },
  { name: 'api (jest)', cmd: 'npm test -w api', env: { TEST_DATABASE_URL: process.env.TEST_DATABASE_URL ?? '' } },
  { name: 'web components (jest, incl. codegen check)', cmd: 'npm test -w web' },
  { name: 'web end-to-end (chromium)', cmd: 'npm run test:e2e -w web' },
];

const only = process.argv.slice(2);
const results = [];
for (const step of steps) {
  if (only.length && !only.some((o) => step.name.startsWith(o))) continue;
  console.log(`\n━━ ${step.name}: ${step.cmd}`);
  const started = Date.now();
  const run = spawnSync(step.cmd, { shell: true, stdio: 'inherit', env: { ...process.env, ...step.env } });
  results.push({ name: step.name, ok: run.status === 0, seconds: Math.round((Date.now() - started) / 1000) });
}

console.log('\n━━ summary');
console.log(`database for the API suites: ${process.env.TEST_DATABASE_URL ? 'PostgreSQL (TEST_DATABASE_URL)' : 'embedded PGlite (set TEST_DATABASE_URL to use PostgreSQL)'}`);
for (const r of results) console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name}  (${r.seconds}s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`steps: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
