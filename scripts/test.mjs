// `npm test`: every check and suite, in order, with a summary of what ran, what was not run and why.
// Database: embedded PGlite by default; set TEST_DATABASE_URL (a PostgreSQL URL whose user may CREATE DATABASE)
// to run the API suites on PostgreSQL, each file in a database of its own that is dropped afterwards.
// REDIS_URL (with TEST_DATABASE_URL) adds the multi-instance suites. Suites whose services are missing are
// skipped and listed below; PARLEY_REQUIRE_ALL_SUITES=1 makes them fail instead (CI).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const steps = [
  { name: 'lint (eslint + prettier)', cmd: 'npm run lint' },
  { name: 'typecheck', cmd: 'npm run typecheck' },
  { name: 'api (jest)', cmd: 'npm test -w api', rerun: true },
  { name: 'web components (jest, incl. codegen check)', cmd: 'npm test -w web' },
  { name: 'web end-to-end (chromium)', cmd: 'npm run test:e2e -w web', rerun: true },
  // A few seconds of every bench scenario (bench/README.md): the harness works and its numbers are sane.
  ...(process.env.TEST_DATABASE_URL ? [{ name: 'bench smoke', cmd: 'npm run bench -- --smoke' }] : []),
];

const only = process.argv.slice(2);
// Each jest run appends its failed tests here (scripts/failure-summary-reporter.cjs); the summary repeats them.
const failuresFile = join(mkdtempSync(join(tmpdir(), 'parley-test-')), 'failures.txt');
const results = [];
const run = (cmd, env) =>
  spawnSync(cmd, { shell: true, stdio: 'inherit', env: { ...process.env, PARLEY_FAILURES_FILE: failuresFile, ...env } })
    .status === 0;
const failedFiles = () =>
  existsSync(`${failuresFile}.files`) ? [...new Set(readFileSync(`${failuresFile}.files`, 'utf8').split('\n'))] : [];

for (const step of steps) {
  if (only.length && !only.some((o) => step.name.startsWith(o))) continue;
  console.log(`\n━━ ${step.name}: ${step.cmd}`);
  const started = Date.now();
  const before = new Set(failedFiles());
  let ok = run(step.cmd, step.env);
  const files = failedFiles().filter((f) => f && !before.has(f));
  // Suites that talk to real browsers, sockets and services on a shared 2-core machine fail now and then for want
  // of CPU. A failed file is run once more, on its own (as Playwright's CI retries do); the summary names it as
  // flaky, and a file that fails twice fails the step.
  let flaky = [];
  if (!ok && step.rerun && files.length) {
    console.log(`\n━━ ${step.name}: once more, the files that failed:\n${files.join('\n')}`);
    ok = run(`${step.cmd} -- ${files.map((f) => JSON.stringify(f)).join(' ')}`, step.env);
    if (ok) flaky = files;
  }
  results.push({ name: step.name, ok, flaky, seconds: Math.round((Date.now() - started) / 1000) });
}

const needs = [
  ['several instances: Redis fan-out, kill -9 during 2,000 sends', ['TEST_DATABASE_URL', 'REDIS_URL']],
  ['Redis outage and recovery', ['TEST_DATABASE_URL', 'REDIS_URL']],
  ['PostgreSQL outage: SERVICE_UNAVAILABLE and recovery', ['TEST_DATABASE_URL']],
  ['restart on PostgreSQL; migrations under concurrent instances; query plans', ['TEST_DATABASE_URL']],
  ['bench smoke (npm run bench -- --smoke)', ['TEST_DATABASE_URL']],
  ['web end-to-end: Web Push (push.e2e.ts; push needs PostgreSQL)', ['TEST_DATABASE_URL']],
];
const notRun = needs.filter(([, vars]) => vars.some((v) => !process.env[v]));

console.log('\n━━ summary');
console.log(
  `database for the API suites: ${process.env.TEST_DATABASE_URL ? 'PostgreSQL (TEST_DATABASE_URL)' : 'embedded PGlite (set TEST_DATABASE_URL to use PostgreSQL)'}`,
);
for (const r of results) {
  console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name}  (${r.seconds}s)`);
  for (const f of r.flaky)
    console.log(`FLAKY  ${relative(process.cwd(), f)}: failed, then passed when run again on its own`);
}
for (const [suite, vars] of notRun) {
  console.log(`NOT RUN  ${suite} — needs ${vars.filter((v) => !process.env[v]).join(' and ')} (see README, Testing)`);
}
if (existsSync(failuresFile)) console.log(`failed tests:\n${readFileSync(failuresFile, 'utf8').trimEnd()}`);
const failed = results.filter((r) => !r.ok).length;
console.log(`steps: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
