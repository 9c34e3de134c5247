// messageAdded: the viewer's own channel, narrowed to one conversation when asked, delivered exactly once and in
// commit order per conversation.
//
// Events are treated as hints, the database as the truth. `seq` is gapless within a conversation (see send.ts), so
// messages are an ordered log: this module gives it to the generic feed (log-feed.ts: one listener per user, shared
// reads, re-checks), whose streams (log-stream.ts) drop duplicates and fill gaps from the database (gap-fill.ts).
// Catch-up (`after`) is the same gap-fill, started from the cursor. Here: the statements, and the arguments.
import type { Sql } from '../db/index.ts';
import { col, statement } from '../db/sql.ts';
import { badInput, notFound } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { EventBus } from '../pubsub.ts';
import { NO_SUCH_USER, parseOtherUser, participantKey } from './conversation.ts';
import { decodeMessageCursor, seqIn } from './cursor.ts';
import type { ChatChannels } from './events.ts';
import { createLogFeed, type Head, type OrderedLog } from './log-feed.ts';
import { JOIN_USERS, MESSAGE_COLUMNS, MESSAGE_ROW, toChatMessage } from './rows.ts';
import type { ChatMessage } from './types.ts';

type ChatListen = EventBus<ChatChannels>['listen'];

export type MessageAddedArgs = { withUserId?: string | null; after?: string | null };

const HEAD_ROW = { id: col.uuid, last: col.int4, userLowId: col.uuid, userHighId: col.uuid };

// $1 the users whose conversations to check.
export const HEADS = statement(
  'live_heads',
  `SELECT "id", "lastSeq" AS "last", "userLowId", "userHighId" FROM "Conversation"
   WHERE "userLowId" = ANY($1::uuid[]) OR "userHighId" = ANY($1::uuid[])`,
  HEAD_ROW,
);
// $1/$2 the participant key, $3 the other user. No row: that user does not exist; a null id: no conversation yet.
export const PAIR_HEAD = statement(
  'live_pair_head',
  `SELECT c."id", c."lastSeq" AS "last", c."userLowId", c."userHighId"
   FROM "User" o LEFT JOIN "Conversation" c ON c."userLowId" = $1::uuid AND c."userHighId" = $2::uuid
   WHERE o."id" = $3::uuid`,
  col.nullableAll(HEAD_ROW),
);
// $1 conversation, $2 < seq <= $3, at most $4 rows.
export const RANGE = statement(
  'live_range',
  `SELECT ${MESSAGE_COLUMNS} FROM "Message" m ${JOIN_USERS}
   WHERE m."conversationId" = $1::uuid AND m."seq" > $2::int AND m."seq" <= $3::int
   ORDER BY m."seq" LIMIT $4::int`,
  MESSAGE_ROW,
);

export type MessageFeed = {
  /** Validates the arguments (one statement), then streams; rejects with a GraphQL error on bad input. */
  subscribe(viewerId: string, args: MessageAddedArgs): Promise<AsyncIterable<ChatMessage>>;
  close(): void;
};

/** Messages as an ordered log: by conversation and seq, heard on the user's messageAdded channel. */
export const messageLog = (deps: { sql: Sql; listen: ChatListen }): OrderedLog<ChatMessage> => ({
  name: 'messageAdded',
  conversationOf: (m) => m.conversationId,
  positionOf: (m) => m.seq,
  involves: (m, userId) => m.senderId === userId || m.recipientId === userId,
  listen: (userId, onEvent) => deps.listen('user:messageAdded', userId, onEvent),
  heads: (userIds) => deps.sql.query(HEADS, [userIds]),
  readPage: async (conversationId, after, upTo, limit) =>
    (await deps.sql.query(RANGE, [conversationId, after, upTo, limit])).map(toChatMessage),
});

export function createMessageFeed(deps: { sql: Sql; listen: ChatListen; log: Logger }): MessageFeed {
  const { sql } = deps;
  const log = messageLog(deps);
  const feed = createLogFeed(log, deps.log);

  async function subscribe(viewerId: string, args: MessageAddedArgs): Promise<AsyncIterable<ChatMessage>> {
    const otherId = args.withUserId ? parseOtherUser(viewerId, args.withUserId, 'withUserId') : null;
    if (args.after && !otherId)
      throw badInput('after needs withUserId: a cursor is a position in one conversation.', 'after');
    const after = args.after ? decodeMessageCursor(args.after, 'after') : null;

    // 1. Listen first, so nothing committed from here on can be missed (events wait until the stream starts).
    const stream = feed.open(viewerId, otherId);
    // 2. Then take the starting line.
    try {
      const heads = otherId ? await pairHead(viewerId, otherId) : await log.heads([viewerId]);
      if (after) seqIn(after, heads[0]?.id ?? null, 'after');
      return feed.start(stream, heads, after && { conversationId: after.conversationId, position: after.seq });
    } catch (err) {
      stream.end();
      throw err;
    }
  }

  async function pairHead(viewerId: string, otherId: string): Promise<Head[]> {
    const { userLowId, userHighId } = participantKey(viewerId, otherId);
    const rows = await sql.query(PAIR_HEAD, [userLowId, userHighId, otherId]);
    if (!rows.length) throw notFound(NO_SUCH_USER('withUserId'));
    return rows.filter((r): r is Head => r.id !== null);
  }

  return { subscribe, close: feed.close };
}
