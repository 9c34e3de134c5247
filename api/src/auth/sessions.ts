// Sessions you can end. Every token names a session row; a request is signed in while its session is open, not
// expired and its user exists. The check is cached per session for at most SESSION_TTL_MS, and an ended session
// is also announced on the event bus ('session:ended'), so every instance refuses its token at once (and within a
// second even when the bus is down) and closes its sockets.
import { LRUCache } from 'lru-cache';
import type { PubSub } from 'graphql-yoga';
import type { Sql } from '../db/index.ts';
import { statement } from '../db/sql.ts';
import type { Logger } from '../logger.ts';
import type { PublicUser } from '../users/types.ts';
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
  `INSERT INTO "Session" ("id", "userId", "expiresAt") VALUES (gen_random_uuid(), $1::uuid, $2::timestamptz)
   RETURNING "id", "expiresAt"`,
);
const VIEWER = statement(
  'auth_session_viewer',
  `SELECT u."id", u."username", u."displayName" FROM "Session" s JOIN "User" u ON u."id" = s."userId"
   WHERE s."id" = $1::uuid AND s."userId" = $2::uuid AND s."endedAt" IS NULL AND s."expiresAt" > now()`,
);
const END_ONE = statement(
  'auth_session_end',
  `UPDATE "Session" SET "endedAt" = now() WHERE "id" = $1::uuid AND "userId" = $2::uuid AND "endedAt" IS NULL
   RETURNING "id"`,
);
const END_ALL = statement(
  'auth_session_end_all',
  `UPDATE "Session" SET "endedAt" = now() WHERE "userId" = $1::uuid AND "endedAt" IS NULL RETURNING "id"`,
);
// $1 session ids: those still open (for sockets that re-check what they hold).
const STILL_OPEN = statement(
  'auth_sessions_open',
  `SELECT s."id" FROM "Session" s JOIN "User" u ON u."id" = s."userId"
   WHERE s."id" = ANY($1::uuid[]) AND s."endedAt" IS NULL AND s."expiresAt" > now()`,
);

export type Sessions = {
  /** Opens a session for a user who just proved who they are; returns its token. */
  start(userId: string): Promise<string>;
  /** The user of a verified token whose session is open; null when it was ended, expired or its user is gone. */
  viewerOf(token: VerifiedToken): Promise<PublicUser | null>;
  /** Ends one session (logOut) or all of a user's (logOutEverywhere); true when something was open. */
  end(userId: string, sessionId: string): Promise<boolean>;
  endAll(userId: string): Promise<number>;
  /** Which of these sessions are still open (sockets re-check the ones they hold). */
  stillOpen(sessionIds: string[]): Promise<Set<string>>;
  /** Calls `listener` for every session ended on any instance; returns the unsubscribe. */
  onEnded(listener: (ended: SessionEnded) => void): () => void;
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

  return {
    start: async (userId) => {
      const [row] = await sql.query<{ id: string; expiresAt: Date }>(START, [
        userId,
        new Date(Date.now() + tokens.ttlMs),
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
    stillOpen: async (sessionIds) => {
      if (!sessionIds.length) return new Set();
      return new Set((await sql.query<{ id: string }>(STILL_OPEN, [sessionIds])).map((r) => r.id));
    },
    onEnded: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {
      listeners.clear();
      await events.return?.();
      await pump;
    },
  };
}
