// The long fuzz run: the properties of test/fuzz.test.ts (generators in test/support/fuzz-arbitraries.ts) with a
// random seed and many more cases, against server processes started from the build (dist/), as `npm start` runs.
//
//   npm run fuzz -w api                                  ~10× the seeded test's cases, a random seed (a few minutes)
//   npm run fuzz -w api -- --runs 20000                  that many cases per property (or FUZZ_RUNS)
//   npm run fuzz -w api -- --seed 1234 --only ws         replay a seed (or FUZZ_SEED), one property (name contains)
//   npm run fuzz -w api -- --seed 1234 --path "12:3:0"   replay one failing case exactly (with --only)
//   npm run fuzz -w api -- --keep-going                  do not stop at the first failure: list every distinct one
//
// PGlite in a temporary directory by default; TEST_DATABASE_URL=postgresql://… runs on a database created there
// (and dropped). Exits 1 on any failure: an invariant broken, a process that died, an error in a server's log.
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import pg from 'pg';
import {
  FUZZ_LIMITS_ENV,
  FUZZ_TEST_RUNS,
  createWorld,
  crashedOf,
  cursorProperty,
  httpProperty,
  illFormedUnicodeProperty,
  loggedErrors,
  malformedHttpProperty,
  rateLimitProperty,
  tokenProperty,
  wsProperty,
  Violation,
  type FuzzProperty,
  type RateLimitTally,
} from '../test/support/fuzz-arbitraries.ts';
import { spawnServer, type ServerProcess } from '../test/support/server.ts';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string' },
    seed: { type: 'string' },
    only: { type: 'string' },
    path: { type: 'string' },
    'keep-going': { type: 'boolean', default: false },
  },
});
const runsArg = args.runs ?? process.env.FUZZ_RUNS;
const seed = Number(args.seed ?? process.env.FUZZ_SEED ?? randomBytes(4).readUInt32BE() >>> 1);
const runsFor = (testRuns: number) => (runsArg ? Number(runsArg) : testRuns * 10);

console.log(`fuzz: seed ${seed} (replay with --seed ${seed})`);

// The server runs from dist/, built when stale (as the test suites' global setup does).
const apiDir = fileURLToPath(new URL('../', import.meta.url));
const build = spawnSync(process.execPath, [path.join(apiDir, 'scripts/build.mjs'), '--if-stale'], {
  stdio: 'inherit',
  env: { ...process.env, NODE_OPTIONS: '' },
});
if (build.status !== 0) process.exit(1);

/** A database of its own: PGlite in a temporary directory (the server creates it), or one on TEST_DATABASE_URL. */
async function database() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-fuzz-'));
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) return { dataDir, drop: () => rm(dataDir, { recursive: true, force: true }) };
  const name = `parley_fuzz_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    dataDir,
    databaseUrl: url.toString(),
    drop: async () => {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const [db, limitsDb] = await Promise.all([database(), database()]);
const servers: ServerProcess[] = [];
let failed = false;
try {
  const [server, limitsServer] = await Promise.all([spawnServer(db), spawnServer(limitsDb, FUZZ_LIMITS_ENV)]);
  servers.push(server, limitsServer);
  const [world, limitsWorld] = await Promise.all([
    createWorld(server, db.dataDir),
    createWorld(limitsServer, limitsDb.dataDir),
  ]);
  const target = { world, crashed: crashedOf(server) };
  const limitsTarget = { world: limitsWorld, crashed: crashedOf(limitsServer) };
  const tally: RateLimitTally = { rateLimited: 0 };
  let ranRateLimits = false;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- properties of different case types, run alike
  const properties: [FuzzProperty<any>, ServerProcess][] = [
    [httpProperty(target, 'POST', runsFor(FUZZ_TEST_RUNS.post)), server],
    [cursorProperty(target, runsFor(FUZZ_TEST_RUNS.cursors)), server],
    [illFormedUnicodeProperty(target, runsFor(FUZZ_TEST_RUNS.illFormed)), server],
    [httpProperty(target, 'GET', runsFor(FUZZ_TEST_RUNS.get)), server],
    [malformedHttpProperty(target, runsFor(FUZZ_TEST_RUNS.malformed)), server],
    [tokenProperty(target, runsFor(FUZZ_TEST_RUNS.tokens)), server],
    [wsProperty(target, runsFor(FUZZ_TEST_RUNS.ws)), server],
    [rateLimitProperty(limitsTarget, runsFor(FUZZ_TEST_RUNS.rateLimits), tally), limitsServer],
  ];

  for (const [property, on] of properties) {
    if (args.only && !property.name.toLowerCase().includes(args.only.toLowerCase())) continue;
    if (on === limitsServer) ranRateLimits = true;
    const started = Date.now();
    process.stdout.write(`\n${property.name}: ${property.runs} cases… `);
    /** --keep-going: distinct problems (ids and numbers blurred) and the first exchange showing each. */
    const distinct = new Map<string, { count: number; violation: Violation }>();
    const check = async (value: unknown) => {
      try {
        await property.check(value);
      } catch (err) {
        if (!(err instanceof Violation) || !args['keep-going']) throw err;
        for (const problem of err.problems) {
          const key = problem
            .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, '<id>')
            .replace(/\d+/g, '#')
            .slice(0, 160);
          const seen = distinct.get(key);
          if (seen) seen.count++;
          else distinct.set(key, { count: 1, violation: err });
        }
      }
    };
    const details = await fc.check(fc.asyncProperty(property.arbitrary, check), {
      seed,
      numRuns: property.runs,
      ...(args.path ? { path: args.path } : {}),
    });
    await Promise.all([world.settled(), limitsWorld.settled()]);
    const health = await fetch(`${on.url}/health`).then(
      (r) => r.status,
      (e: Error) => e.message,
    );
    if (details.failed) {
      failed = true;
      console.log(`FAILED (${Math.round((Date.now() - started) / 1000)} s)\n${fc.defaultReportMessage(details)}`);
    } else if (distinct.size) {
      failed = true;
      console.log(`${distinct.size} distinct problem(s) (${Math.round((Date.now() - started) / 1000)} s)`);
      for (const [key, { count, violation }] of distinct) {
        console.log(`\n── ${count}× ${key}\n${violation.message}`);
      }
    } else {
      console.log(`ok (${Math.round((Date.now() - started) / 1000)} s)`);
    }
    if (health !== 200) {
      failed = true;
      console.log(`the server does not answer /health after "${property.name}": ${health}`);
    }
  }
  if (ranRateLimits && tally.rateLimited === 0 && !args.path) {
    failed = true;
    console.log('\nThe rate-limit property never reached a limit.');
  }
  for (const [name, s] of [
    ['server', server],
    ['server with rate limits on', limitsServer],
  ] as const) {
    const errors = loggedErrors(s.output());
    if (errors.length) {
      failed = true;
      console.log(`\nThe ${name} logged ${errors.length} error(s):\n${errors.slice(0, 20).join('\n')}`);
    }
  }
} finally {
  await Promise.all(servers.map((s) => s.kill()));
  await Promise.all([db.drop(), limitsDb.drop()]);
}
console.log(`\nfuzz: ${failed ? 'FAILED' : 'passed'} (seed ${seed})`);
process.exit(failed ? 1 : 0);
