// "Where you're signed in": a user's open sessions, and the statements that end some of them (one by id, all but
// this one). sessions.ts wires them to its cache and to the 'session:ended' event.
//
// lastSeenAt is kept cheap: it is written by the statement that already checks a session (sessions.ts VIEWER, run at
// most once a second per session by its cache), and only when it is older than SESSION_SEEN_EVERY, so a busy session
// writes it once in that time and a request never waits for an extra round trip.
import type { Sql } from '../db/index.ts';
import { col, statement } from '../db/sql.ts';
import { badInput } from '../errors.ts';
import { connection, parsePageSize, type Connection } from '../paging.ts';

/** How stale lastSeenAt may get: it is rewritten at most this often per session. */
export const SESSION_SEEN_EVERY = '5 minutes';
/** A User-Agent is kept to this many characters. */
export const USER_AGENT_MAX = 200;
export const DEFAULT_SESSIONS_PAGE = 20;
export const SESSION_NOT_FOUND = 'No session of yours has the id given in id.';

export type SessionInfo = { id: string; createdAt: Date; lastSeenAt: Date; userAgent: string | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A session id argument: a UUID (anything else can never match). */
export function parseSessionId(value: string, argument: string): string {
  if (!UUID.test(value)) throw badInput(`${argument} is not a valid session id.`, argument);
  return value.toLowerCase();
}

/** The User-Agent as stored: printable, trimmed, at most USER_AGENT_MAX characters; null when there is none. */
export function shortenUserAgent(value: string | null | undefined): string | null {
  const text = (value ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  if (!text) return null;
  const chars = [...text];
  return chars.length <= USER_AGENT_MAX ? text : chars.slice(0, USER_AGENT_MAX - 1).join('') + '…';
}

// $1 user; keyset ($2 createdAt, $3 id) exclusive; $4 rows.
const LIST = statement(
  'auth_sessions_list',
  `SELECT "id", "createdAt", "lastSeenAt", "userAgent" FROM "Session"
   WHERE "userId" = $1::uuid AND "endedAt" IS NULL AND "expiresAt" > now()
     AND ("createdAt", "id") < ($2::timestamptz, $3::uuid)
   ORDER BY "createdAt" DESC, "id" DESC LIMIT $4::int`,
  { id: col.uuid, createdAt: col.timestamptz, lastSeenAt: col.timestamptz, userAgent: col.nullable(col.text) },
);

/** $1 user, $2 the session to keep open. The sessions ended lose their Web Push subscriptions (as in sessions.ts). */
export const END_OTHERS = statement(
  'auth_session_end_others',
  `WITH ended AS (
     UPDATE "Session" SET "endedAt" = now() WHERE "userId" = $1::uuid AND "id" <> $2::uuid AND "endedAt" IS NULL
     RETURNING "id"
   ), unsubscribed AS (
     DELETE FROM "PushSubscription" WHERE "userId" = $1::uuid AND "sessionId" IN (SELECT "id" FROM ended)
   )
   SELECT "id" FROM ended`,
  { id: col.uuid },
);

/** $1 session, $2 user: whether that user has such a session at all (why endById ended nothing). */
export const EXISTS = statement(
  'auth_session_exists',
  `SELECT EXISTS (SELECT 1 FROM "Session" WHERE "id" = $1::uuid AND "userId" = $2::uuid) AS "exists"`,
  { exists: col.bool },
);

// Cursors: base64url("s|<createdAt ISO>|<id>").
const encode = (s: SessionInfo) => Buffer.from(`s|${s.createdAt.toISOString()}|${s.id}`).toString('base64url');
function decode(cursor: string): { at: Date; id: string } {
  const match = /^s\|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([0-9a-f-]{36})$/.exec(
    Buffer.from(cursor, 'base64url').toString('utf8'),
  );
  const at = match ? new Date(match[1]) : null;
  if (!match || !at || Number.isNaN(at.getTime()) || at.toISOString() !== match[1] || !UUID.test(match[2])) {
    throw badInput('after is not a cursor returned by sessions.', 'after');
  }
  return { at, id: match[2] };
}

export async function listSessions(
  sql: Sql,
  userId: string,
  args: { first?: number | null; after?: string | null },
): Promise<Connection<SessionInfo>> {
  const size = parsePageSize(args.first, 'first') ?? DEFAULT_SESSIONS_PAGE;
  const after = args.after ? decode(args.after) : null;
  const rows = await sql.query(LIST, [
    userId,
    after?.at ?? 'infinity',
    after?.id ?? 'ffffffff-ffff-ffff-ffff-ffffffffffff',
    size + 1,
  ]);
  return connection(rows.slice(0, size), encode, { hasNextPage: rows.length > size, hasPreviousPage: !!after });
}

const ALL = statement(
  'export_sessions',
  `SELECT "id", "createdAt", "lastSeenAt", "expiresAt", "endedAt", "userAgent" FROM "Session"
   WHERE "userId" = $1::uuid ORDER BY "createdAt", "id"`,
  {
    id: col.uuid,
    createdAt: col.timestamptz,
    lastSeenAt: col.timestamptz,
    expiresAt: col.timestamptz,
    endedAt: col.nullable(col.timestamptz),
    userAgent: col.nullable(col.text),
  },
);

/** Every session the user ever had, ended ones included (the data export). */
export const exportSessions = (sql: Sql, userId: string) => sql.query(ALL, [userId]);
