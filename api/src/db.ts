// Opens the database parley runs on and brings its schema up to date:
// - DATABASE_URL set: PostgreSQL through @prisma/adapter-pg;
// - otherwise: embedded PostgreSQL (PGlite) persisted under DATA_DIR/pgdata, so `npm start` needs nothing installed.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from './generated/prisma/client.ts';
import { pgConnection, pgliteConnection } from './db/connections.ts';
import { applyMigrations, readLocalMigrations, type LocalMigration } from './db/migrator.ts';
import { MIGRATIONS_DIR } from './db/paths.ts';
import { acquireProcessLock, LockedError } from './db/process-lock.ts';
import type { Logger } from './logger.ts';

export type { PrismaClient };

export type Database = {
  prisma: PrismaClient;
  kind: 'postgresql' | 'embedded';
  /** Resolves when the database answers a query. */
  ping(): Promise<void>;
  /** Local migrations the database has not applied. */
  pendingMigrations(): Promise<string[]>;
  close(): Promise<void>;
};

export type DatabaseOptions = { databaseUrl?: string; dataDir: string; log: Logger };

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  const migrations = await readLocalMigrations(MIGRATIONS_DIR);
  if (opts.databaseUrl) {
    const client = new pg.Client({ connectionString: opts.databaseUrl });
    await client.connect();
    try {
      const applied = await applyMigrations(pgConnection(client), migrations);
      if (applied.length) opts.log.info({ applied }, 'applied migrations');
    } finally {
      await client.end();
    }
    const adapter = new PrismaPg({ connectionString: opts.databaseUrl });
    const prisma = new PrismaClient({ adapter });
    return {
      prisma,
      kind: 'postgresql',
      pendingMigrations: () => pendingIn(prisma, migrations),
      ping: async () => void (await prisma.$queryRaw`SELECT 1`),
      close: () => prisma.$disconnect(),
    };
  }

  const dir = path.join(opts.dataDir, 'pgdata');
  await mkdir(dir, { recursive: true });
  // The embedded database is single-process: a second process on the same directory would corrupt it.
  const release = await acquireProcessLock(path.join(opts.dataDir, 'pgdata.lock')).catch((err) => {
    if (!(err instanceof LockedError)) throw err;
    throw new Error(
      `The embedded database in ${opts.dataDir} is in use by another parley process. ` +
        'Stop it, use another DATA_DIR, or set DATABASE_URL to run several instances on PostgreSQL.',
    );
  });
  const exitCode = process.exitCode;
  let lite: PGlite;
  try {
    lite = await PGlite.create(dir);
    process.exitCode = exitCode; // PGlite sets process.exitCode while running; do not let it decide ours.
    const applied = await applyMigrations(pgliteConnection(lite), migrations);
    if (applied.length) opts.log.info({ applied, dataDir: opts.dataDir }, 'applied migrations (embedded database)');
  } catch (err) {
    await release();
    throw err;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(lite) });
  return {
    prisma,
    kind: 'embedded',
    pendingMigrations: () => pendingIn(prisma, migrations),
    ping: async () => void (await lite.query('SELECT 1')),
    close: async () => {
      await prisma.$disconnect();
      await lite.close();
      await release();
    },
  };
}

async function pendingIn(prisma: PrismaClient, migrations: LocalMigration[]): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ migration_name: string }[]>`
    SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  const applied = new Set(rows.map((r) => r.migration_name));
  return migrations.filter((m) => !applied.has(m.name)).map((m) => m.name);
}
