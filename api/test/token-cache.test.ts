// A verified token is remembered (the signature is not checked again on every request), but what the server
// remembers never outlives what it may trust: the session is checked on every request, so a logged-out token is
// refused on the very next one; only the exact token verified is remembered; an expired token is refused.
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { gql, ok, signUp, sleep, startServer, type TestServer } from './support/server.ts';

const ME = `{ me { id } }`;
const LOG_IN = `mutation($u: String!) { logIn(username: $u, password: "correct horse") { token } }`;

let db: TestDatabase;
let server: TestServer;
beforeAll(async () => {
  db = await createTestDatabase();
  server = await startServer(db);
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

const errorOf = (r: { errors?: { message: string; extensions?: { code?: string } }[] }) => r.errors?.[0];

test('logOut: the same token is refused on the very next request, though its signature was verified before', async () => {
  const user = await signUp(server, 'leaver');
  // Verified, then served from memory.
  for (let i = 0; i < 3; i++) expect((await ok(server, ME, {}, user.token)).me.id).toBe(user.id);
  expect((await ok(server, `mutation { logOut }`, {}, user.token)).logOut).toBe(true);
  const refused = await gql(server, ME, {}, user.token);
  expect(errorOf(refused)?.extensions?.code).toBe('UNAUTHENTICATED');
  expect(errorOf(refused)?.message).toMatch(/session has ended/);
});

test('logOutEverywhere: every remembered token of the user is refused at once', async () => {
  const user = await signUp(server, 'everywhere');
  const second = (await ok(server, LOG_IN, { u: user.username })).logIn.token as string;
  for (const token of [user.token, second]) expect((await ok(server, ME, {}, token)).me.id).toBe(user.id);
  expect((await ok(server, `mutation { logOutEverywhere }`, {}, second)).logOutEverywhere).toBe(2);
  for (const token of [user.token, second])
    expect(errorOf(await gql(server, ME, {}, token))?.extensions?.code).toBe('UNAUTHENTICATED');
});

test('only the exact token verified is trusted: a changed signature or payload is refused', async () => {
  const user = await signUp(server, 'exact');
  expect((await ok(server, ME, {}, user.token)).me.id).toBe(user.id);
  const [header, payload, signature] = user.token.split('.');
  const flipped = signature.slice(0, -2) + (signature.endsWith('AA') ? 'BA' : 'AA');
  const other = await signUp(server, 'other');
  for (const forged of [`${header}.${payload}.${flipped}`, `${header}.${other.token.split('.')[1]}.${signature}`])
    expect(errorOf(await gql(server, ME, {}, forged))?.message).toMatch(/not valid/);
});

test('a remembered token is refused once it has expired', async () => {
  const shortDb = await createTestDatabase();
  const short = await startServer(shortDb, { JWT_TTL: '5s' });
  try {
    await expiresOn(short);
  } finally {
    await short.close();
    await shortDb.drop();
  }
});

async function expiresOn(server: TestServer) {
  const user = await signUp(server, 'expiring');
  expect((await ok(server, ME, {}, user.token)).me.id).toBe(user.id);
  const { exp } = JSON.parse(Buffer.from(user.token.split('.')[1], 'base64url').toString()) as { exp: number };
  await sleep(Math.max(0, exp * 1000 - Date.now()) + 300);
  const refused = await gql(server, ME, {}, user.token);
  expect(errorOf(refused)?.extensions?.code).toBe('UNAUTHENTICATED');
  expect(errorOf(refused)?.message).toMatch(/expired/);
}
