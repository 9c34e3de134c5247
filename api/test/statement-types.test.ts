// The hot-path statements' row types are checked here, against the database (db/sql.ts): every statement the
// server registers is run on a migrated database — PGlite, or PostgreSQL when TEST_DATABASE_URL is set — inside a
// transaction that is rolled back, with null parameters, and the columns PostgreSQL describes for its result
// (RowDescription: names, order, type OIDs) must be the ones the statement declares, from which its TypeScript row
// type is derived. On PostgreSQL a column declared NOT NULL that comes straight from a table column must come from
// a NOT NULL one.
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import '../src/app.ts'; // every module with statements, as the server loads them
import { pgConnection } from '../src/db/connections.ts';
import { applyMigrations, readLocalMigrations } from '../src/db/migrator.ts';
import { col, registeredStatements, statement, type Statement } from '../src/db/sql.ts';
import { MIGRATIONS_DIR } from '../src/paths.ts';
import { createTestDatabase, usingPostgres, type TestDatabase } from './support/databases.ts';

/** Statements still typed by hand at their call sites, owned elsewhere; move each to a declaration, then here. */
const UNDECLARED = new Set([
  'auth_session_start',
  'auth_session_viewer',
  'auth_session_end',
  'auth_session_end_all',
  'auth_sessions_open',
]);

type Described = { name: string; type: string; notNullSource: boolean | null };

let db: TestDatabase;
let describe_: (s: Statement) => Promise<Described[]>;
let close: () => Promise<void>;

const parameterCount = (text: string) => Math.max(0, ...[...text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));

beforeAll(async () => {
  db = await createTestDatabase();
  if (usingPostgres()) {
    const client = new pg.Client({ connectionString: db.databaseUrl });
    await client.connect();
    await applyMigrations(pgConnection(client), await readLocalMigrations(MIGRATIONS_DIR));
    const typeName = new Map<number, string>();
    for (const r of (await client.query('SELECT oid::int AS oid, typname FROM pg_type')).rows)
      typeName.set(r.oid, r.typname);
    describe_ = async (s) => {
      await client.query('BEGIN');
      try {
        const nulls = Array.from({ length: parameterCount(s.text) }, () => null);
        const result = await client.query({ name: s.name, text: s.text, values: nulls });
        const out: Described[] = [];
        for (const f of result.fields) {
          let notNullSource: boolean | null = null;
          if (f.tableID) {
            const source = await client.query(
              'SELECT attnotnull FROM pg_attribute WHERE attrelid = $1 AND attnum = $2',
              [f.tableID, f.columnID],
            );
            notNullSource = source.rows[0]?.attnotnull ?? null;
          }
          out.push({ name: f.name, type: typeName.get(f.dataTypeID) ?? String(f.dataTypeID), notNullSource });
        }
        return out;
      } finally {
        await client.query('ROLLBACK');
      }
    };
    close = () => client.end();
  } else {
    const { PGlite } = await import('@electric-sql/pglite');
    const lite: PGlite = await PGlite.create(path.join(db.dataDir, 'pgdata'));
    process.exitCode = undefined;
    const typeName = new Map<number, string>();
    for (const r of (await lite.query<{ oid: number; typname: string }>('SELECT oid::int AS oid, typname FROM pg_type'))
      .rows)
      typeName.set(r.oid, r.typname);
    describe_ = async (s) => {
      const { resultFields } = await lite.describeQuery(s.text);
      return resultFields.map((f) => ({
        name: f.name,
        type: typeName.get(f.dataTypeID) ?? String(f.dataTypeID),
        notNullSource: null,
      }));
    };
    close = () => lite.close();
  }
});

afterAll(async () => {
  await close?.();
  await db?.drop();
});

/** What a statement's result must look like, as `name type [not null]` lines (a readable diff on failure). */
const declared = (s: Statement) =>
  Object.entries(s.columns!).map(([name, c]) => `${name} ${c.type}${c.nullable ? '' : ' not null'}`);

async function actual(s: Statement) {
  const columns = await describe_(s);
  return columns.map((c, i) => {
    const d = Object.values(s.columns ?? {})[i];
    // PostgreSQL does not report nullability: take the declaration's word, unless the column comes from a table
    // column that may be null while the declaration says it never is.
    const notNull = d && !d.nullable && c.notNullSource !== false;
    return `${c.name} ${c.type}${notNull ? ' not null' : ''}`;
  });
}

test('every statement declares its result columns (or is listed as not moved yet)', () => {
  const statements = registeredStatements();
  expect(statements.length).toBeGreaterThan(10);
  expect(statements.filter((s) => !s.columns && !UNDECLARED.has(s.name)).map((s) => s.name)).toEqual([]);
  expect(new Set(statements.map((s) => s.name)).size).toBe(statements.length); // names are per-connection plans
});

test('every declared statement returns exactly the columns it declares, in order, with their types', async () => {
  const checked: string[] = [];
  for (const s of registeredStatements()) {
    if (!s.columns) continue;
    expect({ statement: s.name, columns: await actual(s) }).toEqual({ statement: s.name, columns: declared(s) });
    checked.push(s.name);
  }
  for (const hot of ['chat_send', 'chat_history_asc', 'chat_history_desc', 'chat_mark_read', 'inbox_page'])
    expect(checked).toContain(hot);
  for (const hot of ['inbox_conversation', 'inbox_unread_total', 'live_heads', 'live_pair_head', 'live_range'])
    expect(checked).toContain(hot);
});

test('a declaration that drifts from its statement fails the check', async () => {
  const drifted = [
    // a column renamed in the text
    statement('drift_name', 'SELECT "id" AS "ident" FROM "User"', { id: col.uuid }),
    // a type changed (count(*) is int8, not int4)
    statement('drift_type', 'SELECT count(*) AS "n" FROM "User"', { n: col.int4 }),
    // a column added to the text
    statement('drift_extra', 'SELECT "id", "username" FROM "User"', { id: col.uuid }),
  ];
  for (const s of drifted) expect(await actual(s)).not.toEqual(declared(s));
  if (usingPostgres()) {
    // NOT NULL declared for a nullable table column
    const s = statement('drift_null', 'SELECT "readAt" FROM "Message"', { readAt: col.timestamptz });
    expect(await actual(s)).not.toEqual(declared(s));
  }
});
