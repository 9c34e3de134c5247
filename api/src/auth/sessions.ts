// Sessions you can end. Every token names a session row; a request is signed in while its session is open, not
// expired and its user exists. The check is cached per session for at most SESSION_TTL_MS, and an ended session
// is also announced on the event bus ('session:ended'), so every instance refuses its token at once (and within a
// second even when the bus is down) and ends the streams that run on it (session-watch.ts).
import { LRUCache } from 'lru-cache';
import type { PubSub } from 'graphql-yoga';
import type { Sql } from '../db/index.ts';
import { statement } from '../db/sql.ts';
import type { Logger } from '../logger.ts';
import type { Connection } from '../paging.ts';
import type { PublicUser } from '../users/types.ts';
import {
  END_OTHERS,
  EXISTS,
  listSessions,
  SESSION_SEEN_EVERY,
  shortenUserAgent,
  type SessionInfo,
} from './session-list.ts';
import { createSessionWatch, type SessionWatch } from './session-watch.ts';
import type { TokenService, VerifiedToken } from './tokens.ts';

const SESSION_TTL_MS = 1_000;
const MAX_CACHED = 50_000;

export type SessionEnded = { userId: string; sessionIds: string[] };

export type AuthChannels = {
  /** Sessions were ended (log-out): every instance forgets them and closes their sockets. */
  'session:ended': [ended: SessionEnded];
};

const START = statement(
  'auth_session_start',
  `INSERT INTO "Session" ("id", "userId", "expiresAt", "userAgent")
   VALUES (gen_random_uuid(), $1::uuid, $2::timestamptz, $3::text)
   RETURNING "id", "expiresAt"`,
);
// The check behind every request (cached: at most once a second per session), which also notes that the session
// was seen — a write only when lastSeenAt is older than SESSION_SEEN_EVERY, in the same round trip.
const VIEWER = statement(
  'auth_session_viewer',
  `WITH seen AS (
     UPDATE "Session" SET "lastSeenAt" = now()
     WHERE "id" = $1::uuid AND "userId" = $2::uuid AND "endedAt" IS NULL
       AND "lastSeenAt" < now() - interval '${SESSION_SEEN_EVERY}'
   )
   SELECT u."id", u."username", u."displayName" FROM "Session" s JOIN "User" u ON u."id" = s."userId"
   WHERE s."id" = $1::uuid AND s."userId" = $2::uuid AND s."endedAt" IS NULL AND s."expiresAt" > now()`,
);
// Ending a session deletes its Web Push subscriptions in the same statement (push/subscriptions.ts).
const END_ONE = statement(
  'auth_session_end',
  `WITH ended AS (
     UPDATE "Session" SET "endedAt" = now() WHERE "id" = $1::uuid AND "userId" = $2::uuid AND "endedAt" IS NULL
     RETURNING "id"
   ), unsubscribed AS (
     DELETE FROM "PushSubscription" WHERE "sessionId" IN (SELECT "id" FROM ended)
   )
   SELECT "id" FROM ended`,
);
const END_ALL = statement(
  'auth_session_end_all',
  `WITH ended AS (
     UPDATE "Session" SET "endedAt" = now() WHERE "userId" = $1::uuid AND "endedAt" IS NULL RETURNING "id"
   ), unsubscribed AS (
     DELETE FROM "PushSubscription" WHERE "userId" = $1::uuid AND "sessionId" IN (SELECT "id" FROM ended)
   )
   SELECT "id" FROM ended`,
);
// $1 session ids: those still open (for sockets that re-check what they hold).
const STILL_OPEN = statement(
  'auth_sessions_open',
  `SELECT s."id" FROM "Session" s JOIN "User" u ON u."id" = s."userId"
   WHERE s."id" = ANY($1::uuid[]) AND s."endedAt" IS NULL AND s."expiresAt" > now()`,
);

export type Sessions = {
  /** Opens a session for a user who just proved who they are (with the client's User-Agent); returns its token. */
  start(userId: string, userAgent?: string | null): Promise<string>;
  /** The user of a verified token whose session is open; null when it was ended, expired or its user is gone. */
  viewerOf(token: VerifiedToken): Promise<PublicUser | null>;
  /** Ends one session (logOut) or all of a user's (logOutEverywhere); true when something was open. */
  end(userId: string, sessionId: string): Promise<boolean>;
  endAll(userId: string): Promise<number>;
  /** Ends every session of the user but `keepId` (changePassword); returns how many were ended. */
  endOthers(userId: string, keepId: string): Promise<number>;
  /** Ends one session of the user by id (logOutSession): 'ended', 'already' (it had ended), 'unknown' (not theirs). */
  endById(userId: string, sessionId: string): Promise<'ended' | 'already' | 'unknown'>;
  /** The user's open sessions, newest first. */
  list(userId: string, args: { first?: number | null; after?: string | null }): Promise<Connection<SessionInfo>>;
  /** Which of these sessions are still open (sockets re-check the ones they hold). */
  stillOpen(sessionIds: string[]): Promise<Set<string>>;
  /** Calls `listener` for every session ended on any instance; returns the unsubscribe. */
  onEnded(listener: (ended: SessionEnded) => void): () => void;
  /** Ends a stream (a socket, a subscription, an SSE stream) when its session ends or expires. */
  watch: SessionWatch['watch'];
  close(): Promise<void>;
};

export function createSessions(deps: {
  sql: Sql;
  tokens: TokenService;
  pubsub: PubSub<AuthChannels>;
  log: Logger;
}): Sessions {
  const { sql, tokens, pubsub } = deps;
  const cache = new LRUCache<string, PublicUser, string>({
    // At most MAX_CACHED entries, counted through maxSize: `max` would allocate room for all of them at start.
    maxSize: MAX_CACHED,
    sizeCalculation: () => 1,
    ttl: SESSION_TTL_MS,
    fetchMethod: async (sessionId, _stale, { context: userId }) =>
      (await sql.query<PublicUser>(VIEWER, [sessionId, userId]))[0],
  });
  const listeners = new Set<(ended: SessionEnded) => void>();
  const events = pubsub.subscribe('session:ended');
  const pump = (async () => {
    for await (const ended of events) {
      for (const id of ended.sessionIds) cache.delete(id);
      for (const listener of listeners) listener(ended);
    }
  })().catch((err: unknown) => deps.log.error({ err }, 'session events stopped'));

  const announce = (userId: string, sessionIds: string[]) => {
    for (const id of sessionIds) cache.delete(id);
    if (sessionIds.length) pubsub.publish('session:ended', { userId, sessionIds });
  };

  const stillOpen = async (sessionIds: string[]) => {
    if (!sessionIds.length) return new Set<string>();
    return new Set((await sql.query<{ id: string }>(STILL_OPEN, [sessionIds])).map((r) => r.id));
  };
  const onEnded = (listener: (ended: SessionEnded) => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  const watch = createSessionWatch({ stillOpen, onEnded });

  return {
    start: async (userId, userAgent) => {
      const [row] = await sql.query<{ id: string; expiresAt: Date }>(START, [
        userId,
        new Date(Date.now() + tokens.ttlMs),
        shortenUserAgent(userAgent),
      ]);
      return tokens.sign({ userId, sessionId: row.id, expiresAt: row.expiresAt });
    },
    viewerOf: async ({ userId, sessionId }) => {
      const viewer = await cache.fetch(sessionId, { context: userId });
      return viewer && viewer.id === userId ? viewer : null;
    },
    end: async (userId, sessionId) => {
      const rows = await sql.query<{ id: string }>(END_ONE, [sessionId, userId]);
      announce(
        userId,
        rows.map((r) => r.id),
      );
      return rows.length > 0;
    },
    endAll: async (userId) => {
      const rows = await sql.query<{ id: string }>(END_ALL, [userId]);
      announce(
        userId,
        rows.map((r) => r.id),
      );
      return rows.length;
    },
    endOthers: async (userId, keepId) => {
      const rows = await sql.query(END_OTHERS, [userId, keepId]);
      announce(
        userId,
        rows.map((r) => r.id),
      );
      return rows.length;
    },
    endById: async (userId, sessionId) => {
      const rows = await sql.query<{ id: string }>(END_ONE, [sessionId, userId]);
      if (rows.length) {
        announce(userId, [sessionId]);
        return 'ended';
      }
      return (await sql.query(EXISTS, [sessionId, userId]))[0].exists ? 'already' : 'unknown';
    },
    list: (userId, args) => listSessions(sql, userId, args),
    stillOpen,
    onEnded,
    watch: watch.watch,
    close: async () => {
      watch.close();
      listeners.clear();
      await events.return?.();
      await pump;
    },
  };
}
