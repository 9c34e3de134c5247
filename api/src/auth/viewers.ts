// Who a verified token belongs to, without a database round trip per request: users' public fields, cached for a
// short time. A user deleted (or renamed) is seen as such within VIEWER_TTL_MS.
import { LRUCache } from 'lru-cache';
import type { Sql } from '../db/index.ts';
import { col, statement } from '../db/sql.ts';
import type { PublicUser } from '../users/types.ts';

const VIEWER_TTL_MS = 30_000;
const MAX_CACHED = 50_000;

const USER_BY_ID = statement(
  'auth_user_by_id',
  `SELECT "id", "username", "displayName" FROM "User" WHERE "id" = $1::uuid`,
  { id: col.uuid, username: col.text, displayName: col.text },
);

export type ViewerCache = {
  /** The user with this id, or null when there is none. Concurrent look-ups of one id share one query. */
  get(userId: string): Promise<PublicUser | null>;
};

export function createViewerCache(sql: Sql): ViewerCache {
  const cache = new LRUCache<string, PublicUser>({
    // At most MAX_CACHED entries, counted through maxSize: `max` would allocate room for all of them at start.
    maxSize: MAX_CACHED,
    sizeCalculation: () => 1,
    ttl: VIEWER_TTL_MS,
    // Missing users are not cached (fetchMethod's undefined): a deleted account stays refused, a new one is found.
    fetchMethod: async (id) => (await sql.query(USER_BY_ID, [id]))[0],
  });
  return { get: async (userId) => (await cache.fetch(userId)) ?? null };
}
