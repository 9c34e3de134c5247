// Blocking (blockUser): a row per (blocker, blocked). What a block stops is enforced where it happens: the send
// statement refuses a message between a blocked pair in the same round trip (chat/send.ts), markRead's statement
// says whether its receipt may reach the peer (chat/read.ts), typing asks `blocks.between` (chat/typing.ts), the
// directory leaves out whom you blocked (directory.ts).
//
// BlockCache: each user's blocks in both directions, cached per instance (a block list is short), so the fields and
// checks that read it (Conversation.blockedByMe/blockedMe, typing) cost no query per event. A change is announced on
// the bus ('user:blocksChanged'), so every instance forgets both users' lists at once; BLOCKS_TTL_MS bounds how long
// a list may be stale when the bus is down.
import { LRUCache } from 'lru-cache';
import type { PubSub } from 'graphql-yoga';
import type { Sql } from '../db/index.ts';
import { col, statement } from '../db/sql.ts';
import { badInput, notFound } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { connection, parsePageSize, type Connection } from '../paging.ts';
import type { PublicUser } from './types.ts';

const BLOCKS_TTL_MS = 5_000;
const MAX_CACHED = 50_000;
export const DEFAULT_BLOCKED_PAGE = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type BlockChannels = {
  /** These users' blocks changed (a block or an unblock between them, a deleted account). */
  'user:blocksChanged': [userIds: string[]];
};

/** A user's blocks: whom they blocked, and who blocked them. */
export type BlockList = { byMe: ReadonlySet<string>; me: ReadonlySet<string> };

export type BlockCache = {
  of(userId: string): Promise<BlockList>;
  /** True while either of the two has blocked the other. */
  between(a: string, b: string): Promise<boolean>;
  /** Forgets these users' lists here and on every instance. */
  changed(userIds: string[]): void;
  close(): Promise<void>;
};

const BLOCKS_OF = statement(
  'users_blocks_of',
  `SELECT "blockerId", "blockedId" FROM "Block" WHERE "blockerId" = $1::uuid OR "blockedId" = $1::uuid`,
  { blockerId: col.uuid, blockedId: col.uuid },
);

export function createBlockCache(deps: { sql: Sql; pubsub: PubSub<BlockChannels>; log: Logger }): BlockCache {
  const cache = new LRUCache<string, BlockList>({
    maxSize: MAX_CACHED,
    sizeCalculation: () => 1,
    ttl: BLOCKS_TTL_MS,
    fetchMethod: async (userId) => {
      const rows = await deps.sql.query(BLOCKS_OF, [userId]);
      return {
        byMe: new Set(rows.filter((r) => r.blockerId === userId).map((r) => r.blockedId)),
        me: new Set(rows.filter((r) => r.blockedId === userId).map((r) => r.blockerId)),
      };
    },
  });
  const events = deps.pubsub.subscribe('user:blocksChanged');
  const pump = (async () => {
    for await (const userIds of events) for (const id of userIds) cache.delete(id);
  })().catch((err: unknown) => deps.log.error({ err }, 'block events stopped'));
  const of = async (userId: string) => (await cache.fetch(userId))!;
  return {
    of,
    between: async (a, b) => {
      const list = await of(a);
      return list.byMe.has(b) || list.me.has(b);
    },
    changed: (userIds) => {
      for (const id of userIds) cache.delete(id);
      deps.pubsub.publish('user:blocksChanged', userIds);
    },
    close: async () => {
      await events.return?.();
      await pump;
    },
  };
}

/** $1 blocker, $2 blocked. `exists`: whether the user to block exists (and was not deleted). */
const BLOCK = statement(
  'users_block',
  `WITH target AS (SELECT "id" FROM "User" WHERE "id" = $2::uuid AND "deletedAt" IS NULL),
   added AS (
     INSERT INTO "Block" ("blockerId", "blockedId") SELECT $1::uuid, "id" FROM target
     ON CONFLICT DO NOTHING RETURNING 1
   )
   SELECT EXISTS (SELECT 1 FROM target) AS "exists"`,
  { exists: col.bool },
);

const UNBLOCK = statement(
  'users_unblock',
  `WITH removed AS (DELETE FROM "Block" WHERE "blockerId" = $1::uuid AND "blockedId" = $2::uuid RETURNING 1)
   SELECT EXISTS (SELECT 1 FROM "User" WHERE "id" = $2::uuid) AS "exists"`,
  { exists: col.bool },
);

// $1 blocker; keyset ($2 createdAt, $3 blocked id) exclusive; $4 rows.
const BLOCKED_PAGE = statement(
  'users_blocked_page',
  `SELECT u."id", u."username", u."displayName", b."createdAt" FROM "Block" b JOIN "User" u ON u."id" = b."blockedId"
   WHERE b."blockerId" = $1::uuid AND (b."createdAt", b."blockedId") < ($2::timestamptz, $3::uuid)
   ORDER BY b."createdAt" DESC, b."blockedId" DESC LIMIT $4::int`,
  { id: col.uuid, username: col.text, displayName: col.text, createdAt: col.timestamptz },
);

function parseUserId(viewerId: string, value: string): string {
  if (!UUID.test(value)) throw badInput('userId is not a valid user id.', 'userId');
  const id = value.toLowerCase();
  if (id === viewerId) throw badInput('userId is you: you cannot block yourself.', 'userId');
  return id;
}

const NO_SUCH_USER = 'No user has the id given in userId.';

type BlockDeps = { sql: Sql; blocks: BlockCache };

/** Blocks a user (idempotent); returns their id. */
export async function blockUser(deps: BlockDeps, viewerId: string, userId: string): Promise<string> {
  const id = parseUserId(viewerId, userId);
  const [row] = await deps.sql.query(BLOCK, [viewerId, id]);
  if (!row.exists) throw notFound(NO_SUCH_USER);
  deps.blocks.changed([viewerId, id]);
  return id;
}

/** Takes a block back (idempotent); returns the user's id. */
export async function unblockUser(deps: BlockDeps, viewerId: string, userId: string): Promise<string> {
  const id = parseUserId(viewerId, userId);
  const [row] = await deps.sql.query(UNBLOCK, [viewerId, id]);
  if (!row.exists) throw notFound(NO_SUCH_USER);
  deps.blocks.changed([viewerId, id]);
  return id;
}

type Blocked = PublicUser & { createdAt: Date };

// Cursors: base64url("b|<createdAt ISO>|<user id>").
const encode = (b: Blocked) => Buffer.from(`b|${b.createdAt.toISOString()}|${b.id}`).toString('base64url');
function decode(cursor: string): { at: Date; id: string } {
  const match = /^b\|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([0-9a-f-]{36})$/.exec(
    Buffer.from(cursor, 'base64url').toString('utf8'),
  );
  const at = match ? new Date(match[1]) : null;
  if (!match || !at || Number.isNaN(at.getTime()) || at.toISOString() !== match[1] || !UUID.test(match[2])) {
    throw badInput('after is not a cursor returned by blockedUsers.', 'after');
  }
  return { at, id: match[2] };
}

export async function blockedUsers(
  sql: Sql,
  viewerId: string,
  args: { first?: number | null; after?: string | null },
): Promise<Connection<PublicUser>> {
  const size = parsePageSize(args.first, 'first') ?? DEFAULT_BLOCKED_PAGE;
  const after = args.after ? decode(args.after) : null;
  const rows = await sql.query(BLOCKED_PAGE, [
    viewerId,
    after?.at ?? 'infinity',
    after?.id ?? 'ffffffff-ffff-ffff-ffff-ffffffffffff',
    size + 1,
  ]);
  const page = connection(rows.slice(0, size), encode, { hasNextPage: rows.length > size, hasPreviousPage: !!after });
  return {
    ...page,
    edges: page.edges.map((e) => ({
      cursor: e.cursor,
      node: { id: e.node.id, username: e.node.username, displayName: e.node.displayName },
    })),
  };
}
