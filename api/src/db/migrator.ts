// Applies prisma/migrations the way `prisma migrate deploy` does, without Prisma's native schema engine:
// same `_prisma_migrations` table and rows (checksum = sha256 of migration.sql), so a database migrated here is
// in sync for the Prisma CLI and vice versa. Unlike the WebAssembly engine's applyMigrations, every migration
// runs in a transaction (a failure leaves nothing half-applied and is not recorded as finished), concurrent
// instances are serialised by Prisma's advisory lock, and an edited or failed migration stops start-up.
import { createHash, randomUUID } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

/** The minimum a migration needs from a connection: parameterised queries and multi-statement scripts. */
export interface SqlConnection {
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  exec(script: string): Promise<void>;
}

export type LocalMigration = { name: string; sql: string; checksum: string };

const PRISMA_ADVISORY_LOCK_ID = 72707369;

export async function readLocalMigrations(dir: string): Promise<LocalMigration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

type AppliedRow = { migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null };

export class MigrationError extends Error {}

/** Applies pending migrations; returns the names applied. Throws MigrationError when history is inconsistent. */
export async function applyMigrations(conn: SqlConnection, migrations: LocalMigration[]): Promise<string[]> {
  await conn.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK_ID]);
  try {
    await conn.exec(CREATE_TABLE);
    const rows = await conn.query<AppliedRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL ORDER BY started_at',
    );
    const local = new Map(migrations.map((m) => [m.name, m]));
    for (const row of rows) {
      if (!row.finished_at) {
        throw new MigrationError(
          `Migration ${row.migration_name} failed earlier and is recorded as unfinished. Fix the database, then ` +
            `mark it rolled back (prisma migrate resolve --rolled-back ${row.migration_name}) or delete its row.`,
        );
      }
      const mine = local.get(row.migration_name);
      if (!mine) {
        throw new MigrationError(
          `The database has migration ${row.migration_name}, which is not in prisma/migrations: this code is older than the database.`,
        );
      }
      if (mine.checksum !== row.checksum) {
        throw new MigrationError(
          `Migration ${row.migration_name} was edited after it was applied (checksum differs). ` +
            'Restore the original migration.sql and put the change in a new migration.',
        );
      }
    }
    const applied = new Set(rows.map((r) => r.migration_name));
    const done: string[] = [];
    for (const m of migrations) {
      if (applied.has(m.name)) continue;
      await conn.exec('BEGIN');
      try {
        await conn.exec(m.sql);
        await conn.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, now(), 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        await conn.exec('COMMIT');
      } catch (err) {
        await conn.exec('ROLLBACK').catch(() => {});
        throw new MigrationError(`Migration ${m.name} failed and was rolled back: ${(err as Error).message}`);
      }
      done.push(m.name);
    }
    return done;
  } finally {
    await conn.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK_ID]);
  }
}
