// Password guessing in parallel: guesses sent all at once are limited exactly as guesses sent one after another,
// per username and per client address (TRUST_PROXY on, so each test speaks from addresses of its own through
// X-Forwarded-For). Against the in-memory limiters, and against Redis's when REDIS_URL is set.
import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { describeWith } from './support/requirements.ts';
import { signUp, startServer, type TestServer } from './support/server.ts';

const LOG_IN = `mutation($u: String!, $p: String!) { logIn(username: $u, password: $p) { token } }`;
const PER_USERNAME = 5;
const PER_ADDRESS = 50;

type Outcome = 'OK' | string;

/** One log-in from `address`: 'OK', or the error's code. */
async function logIn(server: TestServer, address: string, username: string, password: string): Promise<Outcome> {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ query: LOG_IN, variables: { u: username, p: password } }),
  });
  const body = (await res.json()) as { data?: { logIn?: unknown }; errors?: { extensions?: { code?: string } }[] };
  return body.data?.logIn ? 'OK' : (body.errors?.[0]?.extensions?.code ?? `HTTP ${res.status}`);
}

const tally = (outcomes: Outcome[]) =>
  outcomes.reduce<Record<string, number>>((t, o) => ({ ...t, [o]: (t[o] ?? 0) + 1 }), {});

/** A fresh address for each test, so that one test's guesses never count against another's. */
let nextAddress = 1;
const address = () => `203.0.113.${nextAddress++}`;

function bruteForceSuite(extraEnv: () => Record<string, string>) {
  let db: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startServer(db, {
      RATE_LIMITS: 'on',
      TRUST_PROXY: 'true',
      LOGIN_FAILURES_PER_USERNAME: String(PER_USERNAME),
      LOGIN_FAILURES_PER_IP: String(PER_ADDRESS),
      ...extraEnv(),
    });
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  test(`20 wrong passwords for one account sent at once: ${PER_USERNAME} are checked, the rest RATE_LIMITED`, async () => {
    const victim = await signUp(server, 'victim');
    // From 20 addresses: the username's limit alone must hold.
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => logIn(server, address(), victim.username, `wrong guess ${i}`)),
    );
    expect(tally(outcomes)).toEqual({ UNAUTHENTICATED: PER_USERNAME, RATE_LIMITED: 20 - PER_USERNAME });
    // And the account stays locked, even for the right password.
    expect(await logIn(server, address(), victim.username, 'correct horse')).toBe('RATE_LIMITED');
  });

  test(`60 guesses from one address sent at once (each for another username): ${PER_ADDRESS} are checked`, async () => {
    const from = address();
    const outcomes = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        logIn(server, from, `nobody_${randomBytes(3).toString('hex')}_${i}`, 'guess'),
      ),
    );
    expect(tally(outcomes)).toEqual({ UNAUTHENTICATED: PER_ADDRESS, RATE_LIMITED: 60 - PER_ADDRESS });

    // Guesses this address is refused are not counted against the usernames they named: no password was checked.
    const bystander = await signUp(server, 'bystander');
    const refused = await Promise.all(
      Array.from({ length: PER_USERNAME + 2 }, () => logIn(server, from, bystander.username, 'correct horse')),
    );
    expect(tally(refused)).toEqual({ RATE_LIMITED: PER_USERNAME + 2 });
    expect(await logIn(server, address(), bystander.username, 'correct horse')).toBe('OK');
  });

  test('a successful log-in forgives the username its failures', async () => {
    const user = await signUp(server, 'forgiven');
    const from = address();
    for (let i = 0; i < PER_USERNAME - 1; i++)
      expect(await logIn(server, from, user.username, 'wrong')).toBe('UNAUTHENTICATED');
    expect(await logIn(server, from, user.username, 'correct horse')).toBe('OK');
    const again = await Promise.all(
      Array.from({ length: PER_USERNAME + 3 }, (_, i) => logIn(server, from, user.username, `wrong again ${i}`)),
    );
    expect(tally(again)).toEqual({ UNAUTHENTICATED: PER_USERNAME, RATE_LIMITED: 3 });
  });
}

describe('log-in throttling in memory', () => {
  bruteForceSuite(() => ({}));
});

describeWith(['REDIS_URL'], 'log-in throttling through Redis', () => {
  bruteForceSuite(() => ({ REDIS_URL: process.env.REDIS_URL! }));
});
