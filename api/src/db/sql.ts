// The hot paths' way to the database: one named statement, one round trip, no ORM in between.
// Prisma owns the schema, the migrations and everything that is not hot (accounts, the user directory); the send,
// history, mark-read and subscription statements run here, through the same pool (PostgreSQL) or the same
// embedded instance (PGlite) as Prisma.
//
// Row types have one checked source: each statement declares its result columns (name → PostgreSQL type, nullable
// or not) beside its text, the TypeScript row type is derived from that declaration, and
// api/test/statement-types.test.ts prepares every statement registered here on a migrated database (PGlite and
// PostgreSQL) and fails when the columns it returns differ in name, order or type from the declaration.
// (Prisma TypedSQL would be the other checked source, but its generate step needs a live introspection that the
// offline setup cannot run.) What PostgreSQL does not report is nullability: a column declared NOT NULL is checked
// against its table column where it comes straight from one (PostgreSQL), and is otherwise the statement's word.
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import type { OutageReporter } from './outage.ts';

/** The PostgreSQL types statements return (pg_type.typname), and what the drivers make of each. */
type Decoded = {
  uuid: string;
  text: string;
  varchar: string;
  int4: number;
  bool: boolean;
  timestamptz: Date;
  json: unknown;
  jsonb: unknown;
};
export type PgType = keyof Decoded;

/** One result column: its PostgreSQL type, whether it may be null, and (for the compiler only) its value's type. */
export type Column<T = unknown> = { readonly type: PgType; readonly nullable: boolean; readonly value?: T };
export type Columns = Readonly<Record<string, Column>>;

const column = <T>(type: PgType): Column<T> => ({ type, nullable: false });
export const col = {
  uuid: column<string>('uuid'),
  text: column<string>('text'),
  varchar: column<string>('varchar'),
  int4: column<number>('int4'),
  bool: column<boolean>('bool'),
  timestamptz: column<Date>('timestamptz'),
  /** json: decoded by the driver; T is what the statement builds (json_build_object). */
  json: <T>() => column<T>('json'),
  /** jsonb (a table column stored as jsonb): decoded by the driver; T is what the column holds. */
  jsonb: <T>() => column<T>('jsonb'),
  nullable: <T>(c: Column<T>): Column<T | null> => ({ type: c.type, nullable: true }),
  /** Every column of a set nullable (a LEFT JOIN's side). */
  nullableAll: <C extends Columns>(c: C) =>
    Object.fromEntries(Object.entries(c).map(([k, v]) => [k, col.nullable(v)])) as unknown as {
      [K in keyof C]: C[K] extends Column<infer T> ? Column<T | null> : never;
    },
};

/** The row a column declaration describes. */
export type RowOf<C extends Columns> = { -readonly [K in keyof C]: C[K] extends Column<infer T> ? T : never };

/** A SQL statement with a stable name (PostgreSQL parses and plans it once per pooled connection) and, when declared,
 * its result columns. R is the row type, carried for the compiler. */
export type Statement<R = unknown> = {
  readonly name: string;
  readonly text: string;
  readonly columns: Columns | null;
  /** false: sent unnamed, planned at every execution with its parameters (for statements whose best plan depends
   * on them); the name then only identifies it (the type test). */
  readonly prepared: boolean;
  readonly row?: R;
};

export type StatementOptions = { prepared?: boolean };

export type Sql = {
  /** Runs one statement in its own implicit transaction and returns its rows. */
  query<R>(statement: Statement<R>, params: readonly unknown[]): Promise<R[]>;
};

const registry: Statement[] = [];
/** Every statement made so far (the modules that define them have been imported): what the type test checks. */
export const registeredStatements = (): readonly Statement[] => registry;

/** A statement and its result columns; the row type follows from them. */
export function statement<C extends Columns>(
  name: string,
  text: string,
  columns: C,
  options?: StatementOptions,
): Statement<RowOf<C>>;
/** A statement without declared columns: its callers type its rows by hand and nothing checks them. Only for
 * statements not moved to a declaration yet; the type test lists them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- lets such callers keep their hand-written row type
export function statement(name: string, text: string): Statement<any>;
export function statement(name: string, text: string, columns?: Columns, options: StatementOptions = {}): Statement {
  const s = { name, text, columns: columns ?? null, prepared: options.prepared ?? true };
  registry.push(s);
  return s;
}

export function pgSql(pool: pg.Pool, outage: OutageReporter): Sql {
  return {
    query: async <R>(s: Statement<R>, params: readonly unknown[]) => {
      const result = await outage.watch(
        pool.query({ name: s.prepared ? s.name : undefined, text: s.text, values: params as unknown[] }),
      );
      return result.rows as R[];
    },
  };
}

export function pgliteSql(lite: PGlite, outage: OutageReporter): Sql {
  return {
    query: async <R>(s: Statement<R>, params: readonly unknown[]) =>
      (await outage.watch(lite.query<R>(s.text, params as unknown[]))).rows,
  };
}
