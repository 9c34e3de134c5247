// Migrations: prisma/schema.prisma and prisma/migrations do not drift, and the start-up migrator applies them
// like `prisma migrate deploy` — transactional, recorded with Prisma's checksums, refusing edited history.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pgConnection, pgliteConnection } from '../src/db/connections.ts';
import { embeddedExtensions } from '../src/db/extensions.ts';
import { applyMigrations, readLocalMigrations, type LocalMigration, type SqlConnection } from '../src/db/migrator.ts';
import { MIGRATIONS_DIR, SCHEMA_PATH } from '../src/paths.ts';
import { diffToSchema } from '../scripts/schema-engine.ts';
import { createTestDatabase, usingPostgres, withAdmin } from './support/databases.ts';
import pg from 'pg';

test('schema.prisma and the migrations are in sync (else: npm run db:migrate -- <name>)', async () => {
  expect(await diffToSchema({ migrationsDir: MIGRATIONS_DIR }, SCHEMA_PATH)).toBe('');
});

/** A throwaway connection on a fresh database: PostgreSQL when configured, else an in-memory PGlite. */
async function freshConnection(): Promise<{ conn: SqlConnection; close(): Promise<void> }> {
  if (usingPostgres()) {
    const db = await createTestDatabase();
    const client = new pg.Client({ connectionString: db.databaseUrl });
    await client.connect();
    return {
      conn: pgConnection(client),
      close: async () => {
        await client.end();
        await db.drop();
      },
    };
  }
  const lite = new PGlite({ extensions: await embeddedExtensions() });
  return {
    conn: pgliteConnection(lite),
    close: () => lite.close(),
  };
}

test('applies every migration once, recorded as Prisma records them', async () => {
  const { conn, close } = await freshConnection();
  try {
    const local = await readLocalMigrations(MIGRATIONS_DIR);
    expect(await applyMigrations(conn, local)).toEqual(local.map((m) => m.name));
    expect(await applyMigrations(conn, local)).toEqual([]);
    const rows = await conn.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date;
      applied_steps_count: number;
    }>(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    const sql = await readFile(path.join(MIGRATIONS_DIR, local[0].name, 'migration.sql'));
    expect(rows[0]).toMatchObject({
      migration_name: local[0].name,
      checksum: createHash('sha256').update(sql).digest('hex'),
      applied_steps_count: 1,
    });
    expect(rows[0].finished_at).toBeTruthy();
  } finally {
    await close();
  }
});

test('a failing migration is rolled back whole and not recorded', async () => {
  const { conn, close } = await freshConnection();
  try {
    const local = await readLocalMigrations(MIGRATIONS_DIR);
    const broken: LocalMigration = {
      name: '99990101000000_broken',
      sql: 'CREATE TABLE "Half" (id int);\nALTER TABLE "NoSuchTable" ADD COLUMN x int;',
      checksum: 'x',
    };
    await expect(applyMigrations(conn, [...local, broken])).rejects.toThrow(/99990101000000_broken failed/);
    const half = await conn.query<{ n: string | null }>(`SELECT to_regclass('"Half"')::text AS n`);
    expect(half[0].n).toBeNull();
    const names = await conn.query<{ migration_name: string }>('SELECT migration_name FROM "_prisma_migrations"');
    expect(names.map((r) => r.migration_name)).toEqual(local.map((m) => m.name));
  } finally {
    await close();
  }
});

test('an edited migration stops start-up', async () => {
  const { conn, close } = await freshConnection();
  try {
    const local = await readLocalMigrations(MIGRATIONS_DIR);
    await applyMigrations(conn, local);
    const edited = local.map((m, i) => (i === 0 ? { ...m, sql: m.sql + '\n-- edited', checksum: 'different' } : m));
    await expect(applyMigrations(conn, edited)).rejects.toThrow(/was edited after it was applied/);
  } finally {
    await close();
  }
});

(usingPostgres() ? test : test.skip)(
  'concurrent instances apply the migrations exactly once (advisory lock)',
  async () => {
    const db = await createTestDatabase();
    try {
      const local = await readLocalMigrations(MIGRATIONS_DIR);
      const clients = await Promise.all(
        [0, 1, 2].map(async () => {
          const c = new pg.Client({ connectionString: db.databaseUrl });
          await c.connect();
          return c;
        }),
      );
      const results = await Promise.all(clients.map((c) => applyMigrations(pgConnection(c), local)));
      await Promise.all(clients.map((c) => c.end()));
      expect(results.flat()).toEqual(local.map((m) => m.name));
      const count = await withAdmin(db.databaseUrl!, (c) =>
        c.query('SELECT count(*)::int AS n FROM "_prisma_migrations"'),
      );
      expect(count.rows[0].n).toBe(local.length);
    } finally {
      await db.drop();
    }
  },
);
