// The migrator's SqlConnection over the two drivers parley runs on.
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import type { SqlConnection } from './migrator.ts';

export function pgConnection(client: pg.Client): SqlConnection {
  return {
    query: async (sql, params) => (await client.query(sql, params as unknown[])).rows,
    // Without parameters node-postgres uses the simple query protocol, which runs a whole script in one call.
    exec: async (script) => void (await client.query(script)),
  };
}

export function pgliteConnection(lite: PGlite): SqlConnection {
  return {
    query: async <T>(sql: string, params?: unknown[]) => (await lite.query<T>(sql, params)).rows,
    exec: async (script) => void (await lite.exec(script)),
  };
}
