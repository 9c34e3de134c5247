// Property-based fuzzing (fast-check) against real server processes: thousands of operations generated from
// schema.graphql, hostile values, forged tokens, malformed HTTP and graphql-ws traffic. A short run with a fixed
// seed (FUZZ_SEED to change it), so a failure is reproducible: fast-check prints the seed, the path and the
// counterexample, and the error shows the request and the response. `npm run fuzz -w api` runs the same properties
// for longer with a random seed (CONTRIBUTING.md, "Fuzzing").
//
// Invariants (test/support/fuzz-arbitraries.ts): no HTTP 5xx, every error has a code and none is
// INTERNAL_SERVER_ERROR, no abnormal WebSocket close, the process stays up and logs no error, and no response to
// C, to nobody or to a forged token contains anything of A and B's conversation; ill-formed UTF-16 and NUL in any
// string argument are refused as BAD_USER_INPUT naming it.
import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import {
  FUZZ_LIMITS_ENV,
  FUZZ_TEST_RUNS as RUNS,
  crashedOf,
  createWorld,
  cursorProperty,
  httpProperty,
  illFormedUnicodeProperty,
  loggedErrors,
  malformedHttpProperty,
  rateLimitProperty,
  tokenProperty,
  wsProperty,
  type FuzzProperty,
  type FuzzTarget,
  type RateLimitTally,
} from './support/fuzz-arbitraries.ts';
import { spawnServer, type ServerProcess } from './support/server.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 42);

let db: TestDatabase, limitsDb: TestDatabase | undefined;
let server: ServerProcess, limitsServer: ServerProcess | undefined;
let target: FuzzTarget;
/** The second server has rate limits on (FUZZ_LIMITS_ENV); the first, like every suite, has them off. It starts
 * while the first is being fuzzed, and is awaited by the one test that uses it. */
let limits: Promise<{ server: ServerProcess; target: FuzzTarget }>;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await spawnServer(db);
  target = { world: await createWorld(server, db.dataDir), crashed: crashedOf(server) };
  limits = (async () => {
    limitsDb = await createTestDatabase();
    limitsServer = await spawnServer(limitsDb, FUZZ_LIMITS_ENV);
    const world = await createWorld(limitsServer, limitsDb.dataDir);
    return { server: limitsServer, target: { world, crashed: crashedOf(limitsServer) } };
  })();
  limits.catch(() => {}); // reported by the test that awaits it
});

afterAll(async () => {
  await limits?.catch(() => {});
  await Promise.all([server?.kill(), limitsServer?.kill()]);
  await Promise.all([db?.drop(), limitsDb?.drop()]);
});

async function assertProperty<T>(property: FuzzProperty<T> & { examples?: [T][] }, on: ServerProcess = server) {
  await fc.assert(
    fc.asyncProperty(property.arbitrary, (value) => property.check(value)),
    { seed: SEED, numRuns: property.runs, examples: property.examples ?? [] },
  );
  await target.world.settled(); // users logged out by the property are signed in again
  expect((await fetch(`${on.url}/health`)).status).toBe(200); // still up and answering
}

test('HTTP POST: generated operations of every field, with every argument', async () => {
  await assertProperty(httpProperty(target, 'POST', RUNS.post));
});

test('cursors: real, foreign and forged cursors in every cursor argument', async () => {
  await assertProperty(cursorProperty(target, RUNS.cursors));
});

test('ill-formed UTF-16 (lone surrogates) and NUL in every string argument: refused, naming the argument', async () => {
  await assertProperty(illFormedUnicodeProperty(target, RUNS.illFormed));
});

test('HTTP GET: generated operations in the query string', async () => {
  await assertProperty(httpProperty(target, 'GET', RUNS.get));
});

test('HTTP: malformed bodies, content types, encodings, methods and paths', async () => {
  await assertProperty(malformedHttpProperty(target, RUNS.malformed));
});

test('tokens: forged and garbage tokens never authenticate', async () => {
  await assertProperty(tokenProperty(target, RUNS.tokens));
});

test('graphql-ws: generated connection params, subscribe messages and malformed frames', async () => {
  await assertProperty(wsProperty(target, RUNS.ws));
});

test('rate limits on: RATE_LIMITED is a proper client error', async () => {
  const { server: on, target: limitsTarget } = await limits;
  const tally: RateLimitTally = { rateLimited: 0 };
  await assertProperty(rateLimitProperty(limitsTarget, RUNS.rateLimits, tally), on);
  expect(tally.rateLimited).toBeGreaterThan(0);
});

test('the servers stayed up and logged no errors', async () => {
  const { server: on, target: limitsTarget } = await limits;
  expect(target.crashed()).toBeNull();
  expect(limitsTarget.crashed()).toBeNull();
  expect(loggedErrors(server.output())).toEqual([]);
  expect(loggedErrors(on.output())).toEqual([]);
});
