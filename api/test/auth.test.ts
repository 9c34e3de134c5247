// Accounts and tokens through the public API.
import { SignJWT } from 'jose';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { hashPassword } from '../src/users/passwords.ts';
import { displayNameProblem, passwordProblem, usernameProblem } from '../../shared/accountRules.ts';
import { type TestDatabase } from './support/databases.ts';
import { gql, ok, type TestServer } from './support/server.ts';
import { useTestServer } from './support/suite.ts';

const SIGN_UP = `mutation($u: String!, $p: String!, $d: String) { signUp(username: $u, password: $p, displayName: $d) { token user { id username displayName } } }`;
const LOG_IN = `mutation($u: String!, $p: String!) { logIn(username: $u, password: $p) { token user { id username } } }`;
const ME = `{ me { id username displayName } }`;

let db: TestDatabase;
let server: TestServer;
useTestServer(async (suite) => {
  ({ server, db } = suite);
});

const code = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;

test('sign up, then log in with any letter case; the token identifies the user', async () => {
  const up = await ok(server, SIGN_UP, { u: '  Zoe.Q ', p: 'long enough', d: '  Zoë   Quinn ' });
  expect(up.signUp.user).toMatchObject({ username: 'zoe.q', displayName: 'Zoë Quinn' });
  const me = await ok(server, ME, {}, up.signUp.token);
  expect(me.me).toEqual(up.signUp.user);
  const login = await ok(server, LOG_IN, { u: 'ZOE.Q', p: 'long enough' });
  expect(login.logIn.user.id).toBe(up.signUp.user.id);
  expect((await ok(server, ME, {}, login.logIn.token)).me.id).toBe(up.signUp.user.id);
});

test('displayName defaults to the username', async () => {
  const up = await ok(server, SIGN_UP, { u: 'plainname', p: 'long enough' });
  expect(up.signUp.user.displayName).toBe('plainname');
});

test('invalid sign-ups are BAD_USER_INPUT and name the argument', async () => {
  await ok(server, SIGN_UP, { u: 'taken', p: 'long enough' });
  const cases: [Record<string, string>, string][] = [
    [{ u: 'TAKEN', p: 'long enough' }, 'username'],
    [{ u: 'ab', p: 'long enough' }, 'username'],
    [{ u: 'has space', p: 'long enough' }, 'username'],
    [{ u: 'x'.repeat(33), p: 'long enough' }, 'username'],
    [{ u: 'shortpw', p: 'short' }, 'password'],
    [{ u: 'longname', p: 'long enough', d: 'n'.repeat(65) }, 'displayName'],
  ];
  for (const [vars, argument] of cases) {
    const r = await gql(server, SIGN_UP, vars);
    expect([vars.u, code(r), r.errors?.[0]?.extensions]).toEqual([
      vars.u,
      'BAD_USER_INPUT',
      expect.objectContaining({ argument }),
    ]);
  }
});

test('sign-up refusals say what the web form says (one set of rules: shared/accountRules.ts)', async () => {
  const cases: [Record<string, string>, string | null][] = [
    [{ u: 'ab', p: 'long enough' }, usernameProblem('ab')],
    [{ u: 'okname', p: 'x'.repeat(257) }, passwordProblem('x'.repeat(257))],
    [{ u: 'okname', p: 'seven77' }, passwordProblem('seven77')],
    [{ u: 'okname', p: 'long enough', d: 'evil\u202Ename' }, displayNameProblem('evil\u202Ename')],
  ];
  for (const [vars, problem] of cases) {
    expect(problem).not.toBeNull();
    expect((await gql(server, SIGN_UP, vars)).errors?.[0]?.message).toBe(problem);
  }
  expect(usernameProblem('  Zoe.Q ')).toBeNull(); // what the server accepts, the form does too
});

test("passwords are hashed with argon2id at OWASP's minimum or above (19 MiB, 2 iterations)", async () => {
  const hash = await hashPassword('long enough');
  expect(hash).toMatch(/^\$argon2id\$/);
  const params = Object.fromEntries(
    hash
      .split('$')[3]!
      .split(',')
      .map((kv) => kv.split('=')),
  );
  expect(Number(params.m)).toBeGreaterThanOrEqual(19 * 1024);
  const iterations = params.t;
  expect(Number(iterations)).toBeGreaterThanOrEqual(2);
});

test('a wrong password and an unknown user get the same UNAUTHENTICATED answer', async () => {
  await ok(server, SIGN_UP, { u: 'victor', p: 'right password' });
  const wrong = await gql(server, LOG_IN, { u: 'victor', p: 'wrong password' });
  const unknown = await gql(server, LOG_IN, { u: 'nobody-here', p: 'wrong password' });
  expect(code(wrong)).toBe('UNAUTHENTICATED');
  expect(unknown.errors?.[0]).toEqual(wrong.errors?.[0]);
});

test('me is null without a token; expired, forged or malformed tokens are UNAUTHENTICATED', async () => {
  expect((await ok(server, ME)).me).toBeNull();
  const up = await ok(server, SIGN_UP, { u: 'tokens', p: 'long enough' });
  const secret = (await readFile(path.join(db.dataDir, 'jwt-secret'), 'utf8')).trim();
  const key = new TextEncoder().encode(secret);
  const expired = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(up.signUp.user.id)
    .setIssuer('parley')
    .setIssuedAt(1_000_000)
    .setExpirationTime(1_000_100)
    .sign(key);
  const forged = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(up.signUp.user.id)
    .setIssuer('parley')
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode('another secret of enough length!!'));
  const r1 = await gql(server, ME, {}, expired);
  expect([code(r1), r1.errors?.[0]?.message]).toEqual(['UNAUTHENTICATED', expect.stringMatching(/expired/)]);
  expect(code(await gql(server, ME, {}, forged))).toBe('UNAUTHENTICATED');
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Token abc' },
    body: JSON.stringify({ query: ME }),
  });
  expect(code(await res.json())).toBe('UNAUTHENTICATED');
});

test('operations other than signUp/logIn/me require a token', async () => {
  for (const query of [
    `{ users { edges { node { id } } } }`,
    `{ chatHistory(withUserId: "00000000-0000-4000-8000-000000000000") { edges { cursor } } }`,
    `mutation { markRead(senderId: "00000000-0000-4000-8000-000000000000") { count } }`,
  ]) {
    expect([query, code(await gql(server, query))]).toEqual([query, 'UNAUTHENTICATED']);
  }
});

test('users(search) finds others by username or display name, pages by cursor, and escapes wildcards', async () => {
  const me = await ok(server, SIGN_UP, { u: 'searcher', p: 'long enough' });
  for (const [u, d] of [
    ['kim_1', 'Kim One'],
    ['kim_2', 'Kim Two'],
    ['kimberly', 'K'],
    ['other', 'Not Kim either'],
    ['pct', 'fifty%off'],
  ]) {
    await ok(server, SIGN_UP, { u, p: 'long enough', d });
  }
  const Q = `query($s: String, $f: Int, $a: String) { users(search: $s, first: $f, after: $a) { edges { node { username } } pageInfo { hasNextPage endCursor } } }`;
  const names = (r: any) => r.users.edges.map((e: any) => e.node.username);
  const page1 = await ok(server, Q, { s: 'KIM', f: 2 }, me.signUp.token);
  expect(names(page1)).toEqual(['kim_1', 'kim_2']);
  expect(page1.users.pageInfo.hasNextPage).toBe(true);
  const page2 = await ok(server, Q, { s: 'KIM', f: 2, a: page1.users.pageInfo.endCursor }, me.signUp.token);
  expect(names(page2)).toEqual(['kimberly', 'other']);
  expect(page2.users.pageInfo.hasNextPage).toBe(false);
  expect(names(await ok(server, Q, { s: 'kim_' }, me.signUp.token))).toEqual(['kim_1', 'kim_2']);
  expect(names(await ok(server, Q, { s: '%' }, me.signUp.token))).toEqual(['pct']);
  expect(names(await ok(server, Q, { s: 'searcher' }, me.signUp.token))).toEqual([]); // never yourself
  expect(code(await gql(server, Q, { f: 500 }, me.signUp.token))).toBe('BAD_USER_INPUT');
  expect(code(await gql(server, Q, { a: 'nonsense' }, me.signUp.token))).toBe('BAD_USER_INPUT');
});

test('abusive documents are refused before execution (graphql-armor), without internals', async () => {
  const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: me { id }`).join(' ');
  const r = await gql(server, `{ ${aliases} }`);
  expect(r.errors?.[0]?.message).toMatch(/aliases/i);
  expect(r.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
  const syntax = await gql(server, `{ me { id `);
  expect(syntax.errors?.[0]?.message).toMatch(/Syntax Error/);
  expect(syntax.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  // Colocated fragments do not count as depth: only fields do.
  const fragments = await gql(
    server,
    `query { ...A } fragment A on Query { ...B } fragment B on Query { ...C }
    fragment C on Query { ...D } fragment D on Query { ...E } fragment E on Query { ...F } fragment F on Query { ...G }
    fragment G on Query { ...H } fragment H on Query { ...I } fragment I on Query { me { id } }`,
  );
  expect(fragments.errors).toBeUndefined();
  const unknown = await gql(server, `{ nope }`);
  expect(unknown.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  expect(JSON.stringify([r, syntax])).not.toMatch(/\.ts:\d+|node_modules/);
});
