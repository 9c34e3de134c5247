// The hot paths' way to the database: one named statement, one round trip, no ORM in between.
// Prisma owns the schema, the migrations and everything that is not hot (accounts, the user directory); the send,
// history, mark-read and subscription statements run here, through the same pool (PostgreSQL) or the same
// embedded instance (PGlite) as Prisma.
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import type { OutageReporter } from './outage.ts';

/** A SQL statement with a stable name: PostgreSQL parses and plans it once per pooled connection. */
export type Statement = { readonly name: string; readonly text: string };

export type Sql = {
  /** Runs one statement in its own implicit transaction and returns its rows. */
  query<T>(statement: Statement, params: readonly unknown[]): Promise<T[]>;
};

export const statement = (name: string, text: string): Statement => ({ name, text });

export function pgSql(pool: pg.Pool, outage: OutageReporter): Sql {
  return {
    query: async <T>(s: Statement, params: readonly unknown[]) => {
      const result = await outage.watch(pool.query({ name: s.name, text: s.text, values: params as unknown[] }));
      return result.rows as T[];
    },
  };
}

export function pgliteSql(lite: PGlite, outage: OutageReporter): Sql {
  return {
    query: async <T>(s: Statement, params: readonly unknown[]) =>
      (await outage.watch(lite.query<T>(s.text, params as unknown[]))).rows,
  };
}
