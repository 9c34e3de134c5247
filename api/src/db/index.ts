// Opens the database parley runs on and brings its schema up to date:
// - DATABASE_URL set: PostgreSQL, one pg pool shared by Prisma (@prisma/adapter-pg) and the hot-path statements;
// - otherwise: embedded PostgreSQL (PGlite) persisted under DATA_DIR/pgdata, so `npm start` needs nothing installed.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaClient } from '../generated/prisma/client.ts';
import type { Logger } from '../logger.ts';
import { MIGRATIONS_DIR } from '../paths.ts';
import { pgConnection, pgliteConnection } from './connections.ts';
import { embeddedExtensions } from './extensions.ts';
import { applyMigrations, readLocalMigrations, type LocalMigration } from './migrator.ts';
import { createOutageReporter, type OutageReporter } from './outage.ts';
import { acquireProcessLock, LockedError } from './process-lock.ts';
import { col, pgliteSql, pgSql, statement, type Sql } from './sql.ts';
import { trackPool } from '../metrics/registry.ts';

export type { PrismaClient };
export type { Sql } from './sql.ts';

export type Database = {
  prisma: PrismaClient;
  /** The hot paths' statements (see sql.ts). */
  sql: Sql;
  /** Logs an outage once per episode (shared by every path that reaches the database). */
  outage: OutageReporter;
  kind: 'postgresql' | 'embedded';
  /** Resolves when the database answers a query. */
  ping(): Promise<void>;
  /** Local migrations the database has not applied. */
  pendingMigrations(): Promise<string[]>;
  close(): Promise<void>;
};

export type DatabaseOptions = { databaseUrl?: string; dataDir: string; log: Logger };

/** Connections per instance: sends of one conversation queue on its row lock, each holding one. */
const POOL_SIZE = 10;

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  const migrations = await readLocalMigrations(MIGRATIONS_DIR);
  const outage = createOutageReporter(opts.log);
  // Only the driver in use is loaded (each stack is a noticeable part of start-up).
  if (opts.databaseUrl) {
    const [{ default: pg }, { PrismaPg }] = await Promise.all([import('pg'), import('@prisma/adapter-pg')]);
    const client = new pg.Client({ connectionString: opts.databaseUrl });
    await client.connect();
    try {
      const applied = await applyMigrations(pgConnection(client), migrations);
      if (applied.length) opts.log.info({ applied }, 'applied migrations');
    } finally {
      await client.end();
    }
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: POOL_SIZE });
    // An idle pooled connection that breaks (server restart) must not crash the process: the pool drops it.
    pool.on('error', (err) => outage.report(err));
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    const sql = pgSql(pool, outage);
    const untrackPool = trackPool(pool); // the pool gauges of /metrics, read when scraped
    const probe = readinessConnection(pg, opts.databaseUrl);
    return {
      prisma,
      sql,
      outage,
      kind: 'postgresql',
      pendingMigrations: onceAllApplied(() => pendingIn(sql, migrations)),
      ping: probe.ping,
      close: async () => {
        untrackPool();
        probe.close();
        await prisma.$disconnect();
        await pool.end();
      },
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
  const [{ PGlite }, { PrismaPGlite }, extensions] = await Promise.all([
    import('@electric-sql/pglite'),
    import('pglite-prisma-adapter'),
    embeddedExtensions(),
  ]);
  let lite: PGlite;
  try {
    lite = await PGlite.create(dir, {
      startParams: [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS],
      extensions,
    });
    process.exitCode = exitCode; // PGlite sets process.exitCode while running; do not let it decide ours.
    const applied = await applyMigrations(pgliteConnection(lite), migrations);
    if (applied.length) opts.log.info({ applied, dataDir: opts.dataDir }, 'applied migrations (embedded database)');
  } catch (err) {
    await release();
    throw err;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(lite) });
  const sql = pgliteSql(lite, outage);
  return {
    prisma,
    sql,
    outage,
    kind: 'embedded',
    pendingMigrations: () => pendingIn(sql, migrations),
    ping: async () => void (await sql.query(PING, [])),
    close: async () => {
      await prisma.$disconnect();
      await lite.close();
      await release();
    },
  };
}

/**
 * The embedded server's settings beyond PGlite's. shared_buffers: initdb's 128 MB is set up (touched) at every
 * start, about 200 ms of CPU and 115 MB of resident memory; the data files stay in the OS page cache anyway.
 */
const EMBEDDED_SETTINGS = ['-c', 'shared_buffers=16MB'];

const PING = statement('ping', 'SELECT 1 AS "one"', { one: col.int4 });
const APPLIED_MIGRATIONS = statement(
  'applied_migrations',
  `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  { migration_name: col.varchar },
);

/**
 * /ready's ping on a connection of its own: an instance whose pool is busy (every connection taken, requests
 * waiting — e.g. while it takes over the sockets of an instance that died) is not one whose database is unreachable.
 * Through the pool, its /ready timed out there, the balancer took it out too and cut its sockets: a cascade.
 */
function readinessConnection(pg: typeof import('pg').default, connectionString: string) {
  let held: import('pg').Client | null = null;
  const drop = (client: import('pg').Client) => {
    if (held === client) held = null;
    client.end().catch(() => undefined);
  };
  let opening: Promise<import('pg').Client> | null = null;
  const open = async () => {
    const client = new pg.Client({ connectionString, connectionTimeoutMillis: 2_000, query_timeout: 2_000 });
    client.on('error', () => drop(client));
    client.on('end', () => drop(client));
    await client.connect();
    return (held = client);
  };
  return {
    ping: async () => {
      const client = held ?? (await (opening ??= open().finally(() => (opening = null))));
      try {
        await client.query('SELECT 1');
      } catch (err) {
        drop(client);
        throw err;
      }
    },
    close: () => held && drop(held),
  };
}

/** Once every migration of this build is applied it stays so: asked again only until then. */
function onceAllApplied(pending: () => Promise<string[]>): () => Promise<string[]> {
  let allApplied = false;
  return async () => {
    if (allApplied) return [];
    const names = await pending();
    allApplied = names.length === 0;
    return names;
  };
}

async function pendingIn(sql: Sql, migrations: LocalMigration[]): Promise<string[]> {
  const rows = await sql.query(APPLIED_MIGRATIONS, []);
  const applied = new Set(rows.map((r) => r.migration_name));
  return migrations.filter((m) => !applied.has(m.name)).map((m) => m.name);
}
