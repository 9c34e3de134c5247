// Breaking changes cannot land silently: schema.graphql against schema/released.graphql (the last released
// contract), through the gate in scripts/contract-gate.ts; then the gate itself on small SDL fixtures.
import { readFile } from 'node:fs/promises';
import { isScalarType } from 'graphql';
import {
  CHANGELOG_FILE,
  checkContract,
  CURRENT_FILE,
  normalizeCoordinate,
  RELEASED_FILE,
} from '../scripts/contract-gate.ts';
import { releaseChangelog, releasedSnapshot } from '../scripts/schema-release.ts';
import { schema } from '../src/schema/index.ts';

describe('the committed contract', () => {
  test('schema.graphql makes no unrecorded breaking change against schema/released.graphql (see CHANGELOG.md)', async () => {
    const [current, released, changelog] = await Promise.all(
      [CURRENT_FILE, RELEASED_FILE, CHANGELOG_FILE].map((file) => readFile(file, 'utf8')),
    );
    const report = await checkContract({ current, released, changelog });
    expect(report.problems).toEqual([]);
  });

  test('CHANGELOG.md has an Unreleased section for the next changes', async () => {
    expect(await readFile(CHANGELOG_FILE, 'utf8')).toMatch(/^## Unreleased\s*$/m);
  });

  test('code generators learn DateTime’s format from @specifiedBy, and readers the essentials from the schema description', () => {
    const dateTime = schema.getType('DateTime');
    expect(isScalarType(dateTime) && dateTime.specifiedByURL).toBe('https://scalars.graphql.org/andimarek/date-time');
    for (const essential of ['Authorization: Bearer', 'connectionParams', 'signUp', 'logIn', 'extensions.code']) {
      expect(schema.description).toContain(essential);
    }
    for (const code of [
      'UNAUTHENTICATED',
      'BAD_USER_INPUT',
      'NOT_FOUND',
      'FORBIDDEN',
      'SERVICE_UNAVAILABLE',
      'RATE_LIMITED',
    ]) {
      expect(schema.description).toContain(code);
    }
  });
});

describe('the gate', () => {
  const RELEASED = /* GraphQL */ `
    type Query {
      me: User
      legacyName: String @deprecated(reason: "Use me.displayName.")
      count: Int!
      find(name: String, exact: Boolean @deprecated(reason: "Always exact now.")): [User!]!
      old: Old @deprecated(reason: "Gone in the next release.")
      status: Status!
    }
    type User {
      id: ID!
      name: String!
    }
    type Old {
      id: ID!
    }
    enum Status {
      ONLINE
      AWAY
      OFFLINE @deprecated(reason: "Use AWAY.")
    }
  `;
  const UNRELEASED = (...lines: string[]) =>
    `# Changelog\n\n## Unreleased\n\n${lines.join('\n')}\n\n## 0.1.0\n\n- First.\n`;
  const gate = (current: string, changelog = UNRELEASED()) => checkContract({ released: RELEASED, current, changelog });
  /** A type's whole definition, however it is laid out. */
  const typeBlock = (name: string) => new RegExp(`type ${name} \\{[^}]*\\}`);

  test('an unchanged contract passes', async () => {
    const report = await gate(RELEASED);
    expect(report).toMatchObject({ ok: true, problems: [], breaking: [] });
  });

  test('an added field, type and enum value pass without a record', async () => {
    const current = RELEASED.replace('me: User', 'me: User\n unreadCount: Int!')
      .replace('type Old', 'type Extra { id: ID! }\n type Old')
      .replace('ONLINE', 'ONLINE BUSY');
    const report = await gate(current);
    expect(report.problems).toEqual([]);
    expect(report.changes.map((c) => c.type)).toEqual(expect.arrayContaining(['FIELD_ADDED', 'ENUM_VALUE_ADDED']));
  });

  test('a removed field fails: it is not recorded, and it was not deprecated first', async () => {
    const report = await gate(RELEASED.replace('count: Int!', ''));
    expect(report.ok).toBe(false);
    expect(report.breaking).toEqual([expect.objectContaining({ coordinate: 'Query.count', recorded: false })]);
    expect(report.problems).toEqual([
      expect.stringContaining('- BREAKING: `Query.count` — … — reason: …'),
      expect.stringContaining('Query.count was removed without being @deprecated'),
    ]);
  });

  test('a removed field that is recorded but was not deprecated first still fails', async () => {
    const changelog = UNRELEASED('- BREAKING: `Query.count` — removed — reason: nobody reads it.');
    const report = await gate(RELEASED.replace('count: Int!', ''), changelog);
    expect(report.breaking).toEqual([expect.objectContaining({ coordinate: 'Query.count', recorded: true })]);
    expect(report.problems).toEqual([
      expect.stringMatching(/^Query\.count was removed without being @deprecated.*deprecate it first/),
    ]);
  });

  test('a field deprecated in the release, then removed and recorded, passes', async () => {
    const current = RELEASED.replace(/legacyName: .*\n/, '');
    const changelog = UNRELEASED(
      '- BREAKING: `Query.legacyName` — removed, use `me.displayName` — reason: deprecated in 0.1.0.',
    );
    expect((await gate(current, changelog)).problems).toEqual([]);
  });

  test('a deprecated field removed without a record fails', async () => {
    const report = await gate(RELEASED.replace(/legacyName: .*\n/, ''));
    expect(report.problems).toEqual([expect.stringContaining('breaking change not recorded')]);
  });

  test('a type change fails unless recorded', async () => {
    const current = RELEASED.replace('count: Int!', 'count: String!');
    expect((await gate(current)).problems).toEqual([expect.stringContaining('`Query.count`')]);
    const changelog = UNRELEASED('- BREAKING: `Query.count` — now a String — reason: counts can exceed 2^31.');
    expect((await gate(current, changelog)).problems).toEqual([]);
  });

  test('arguments are recorded as Type.field(argument:); a deprecated argument can be removed', async () => {
    const current = RELEASED.replace('name: String,', 'name: String!,').replace(
      /exact: Boolean @deprecated\(.*?\)/,
      '',
    );
    expect((await gate(current)).breaking.map((b) => b.coordinate).sort()).toEqual([
      'Query.find(exact:)',
      'Query.find(name:)',
    ]);
    const changelog = UNRELEASED(
      '- BREAKING: `Query.find(name:)` — now required — reason: a search needs a name.',
      '- BREAKING: Query.find.exact — removed — reason: always exact.',
    );
    expect((await gate(current, changelog)).problems).toEqual([]);
  });

  test('an enum value can be removed once deprecated, not before', async () => {
    const changelog = UNRELEASED('- BREAKING: `Status.OFFLINE` — removed — reason: AWAY covers it.');
    expect((await gate(RELEASED.replace(/OFFLINE @deprecated\(.*?\)/, ''), changelog)).problems).toEqual([]);
    const early = UNRELEASED('- BREAKING: `Status.AWAY` — removed — reason: no.');
    expect((await gate(RELEASED.replace(/^\s*AWAY\n/m, ''), early)).problems).toEqual([
      expect.stringContaining('Status.AWAY was removed without being @deprecated'),
    ]);
  });

  test('a type can be removed once every field of that type was deprecated', async () => {
    const withoutOld = RELEASED.replace(/old: Old .*\n/, '').replace(typeBlock('Old'), '');
    const changelog = UNRELEASED(
      '- BREAKING: `Query.old` — removed — reason: deprecated in 0.1.0.',
      '- BREAKING: `Old` — removed with Query.old — reason: nothing returns it.',
    );
    expect((await gate(withoutOld, changelog)).problems).toEqual([]);

    const withoutUser = RELEASED.replace(/^\s*me: User\n/m, '')
      .replace(/^\s*find\(.*\n/m, '')
      .replace(typeBlock('User'), '');
    const recorded = UNRELEASED(
      '- BREAKING: `Query.me` — removed — reason: test.',
      '- BREAKING: `Query.find` — removed — reason: test.',
      '- BREAKING: `User` — removed — reason: test.',
    );
    const problems = (await gate(withoutUser, recorded)).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^type User was removed while Query\.me, Query\.find were not @deprecated/),
      ]),
    );
  });

  test('a record must give a reason, sit under ## Unreleased, and name a breaking change that happened', async () => {
    const current = RELEASED.replace('count: Int!', 'count: String!');
    expect((await gate(current, UNRELEASED('- BREAKING: `Query.count` — now a String'))).problems).toEqual([
      expect.stringContaining('gives no reason'),
    ]);
    const underOldRelease = '# Changelog\n\n## Unreleased\n\n## 0.1.0\n\n- BREAKING: `Query.count` — x — reason: y.\n';
    expect((await gate(current, underOldRelease)).problems).toEqual([
      expect.stringContaining('breaking change not recorded'),
    ]);
    const stale = UNRELEASED('- BREAKING: `Query.cuont` — typo — reason: y.');
    expect((await gate(RELEASED, stale)).problems).toEqual([
      expect.stringContaining('has no breaking change at Query.cuont'),
    ]);
  });

  test('coordinates are spelled one way', () => {
    expect(normalizeCoordinate('`Query.find(name:)`')).toBe('Query.find(name:)');
    expect(normalizeCoordinate('Query.find(name)')).toBe('Query.find(name:)');
    expect(normalizeCoordinate('Query.find.name')).toBe('Query.find(name:)');
    expect(normalizeCoordinate('@auth.role')).toBe('@auth(role:)');
    expect(normalizeCoordinate('Status.AWAY')).toBe('Status.AWAY');
  });
});

describe('npm run schema:release', () => {
  test('turns ## Unreleased into the version, under a new empty ## Unreleased', () => {
    const changelog = '# Changelog\n\n## Unreleased\n\n- Added `Query.x`.\n\n## 0.1.0\n\n- First.\n';
    expect(releaseChangelog(changelog, '0.2.0', '2026-12-01')).toBe(
      '# Changelog\n\n## Unreleased\n\n## 0.2.0 — 2026-12-01\n\n- Added `Query.x`.\n\n## 0.1.0\n\n- First.\n',
    );
    expect(() => releaseChangelog(changelog, '0.1.0', '2026-12-01')).toThrow('already has a "## 0.1.0" section');
  });

  test('the snapshot is schema.graphql under its own header', () => {
    expect(releasedSnapshot('# generated\n\ntype Query { a: Int }\n')).toMatch(
      /^# parley GraphQL contract as last released.*\n\ntype Query \{ a: Int \}\n$/,
    );
  });
});
