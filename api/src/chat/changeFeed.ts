// messageUpdated: every edit, deletion and reaction change of the viewer's conversations (or of one), as each
// message's new state, exactly once and in commit order per conversation — messageAdded's discipline (live.ts) over
// the change log instead of the message log, through the same seam: the change log is an `OrderedLog` given to
// `createLogFeed` (log-feed.ts), so it gets one listener per user, shared range reads and re-checks, and the same
// exactly-once switch from catch-up to live events.
//
// The change log: each change takes the next position of its conversation's change log (`lastChangeSeq`, the head)
// and writes it on the message (`changeSeq`, see changes.ts). An entry is a message at its latest change; the range
// read is "the current state of every message whose latest change lies in (after, upTo]", one keyset scan of
// (conversationId, changeSeq) in changeSeq order.
//
// How it fits a seam made for a gapless log: positions here can have no row. A message changed at 5 and again at 7
// holds only 7 (its change at 5 is superseded), and a change that found the message deleted leaves its position
// unused. An entry's state is always the one of its own position (the change wrote both at once), so a stream that
// delivered up to P and reads (P, Q] still delivers each change it had not seen, a message changed twice meanwhile
// once, in its newest state, at its newest position, and drops any older event of it that arrives later (at or below
// what it delivered). The one adaptation (gap-fill.ts): a range read to its end moves the stream to the range's end
// rather than to its last row, so a superseded or unused head position is not read again at every re-check. A
// missing position below an event's costs that event a read of the range before it, never a change.
import type { Sql } from '../db/index.ts';
import { col, statement } from '../db/sql.ts';
import { badInput, notFound } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { EventBus } from '../pubsub.ts';
import { visible } from './changes.ts';
import { NO_SUCH_USER, parseOtherUser, participantKey } from './conversation.ts';
import { decodeChangeCursor } from './cursor.ts';
import type { ChatChannels } from './events.ts';
import { createLogFeed, type Head, type OrderedLog } from './log-feed.ts';
import { JOIN_USERS, MESSAGE_COLUMNS, MESSAGE_ROW, toChatMessage } from './rows.ts';
import type { ChatMessage } from './types.ts';

type ChatListen = EventBus<ChatChannels>['listen'];

export type MessageUpdatedArgs = { withUserId?: string | null; after?: string | null };

const HEAD_ROW = { id: col.uuid, last: col.int4, userLowId: col.uuid, userHighId: col.uuid };

// $1 the users whose conversations to check.
export const CHANGE_HEADS = statement(
  'changes_heads',
  `SELECT "id", "lastChangeSeq" AS "last", "userLowId", "userHighId" FROM "Conversation"
   WHERE "userLowId" = ANY($1::uuid[]) OR "userHighId" = ANY($1::uuid[])`,
  HEAD_ROW,
);
// $1/$2 the participant key, $3 the other user. No row: that user does not exist; a null id: no conversation yet.
export const CHANGE_PAIR_HEAD = statement(
  'changes_pair_head',
  `SELECT c."id", c."lastChangeSeq" AS "last", c."userLowId", c."userHighId"
   FROM "User" o LEFT JOIN "Conversation" c ON c."userLowId" = $1::uuid AND c."userHighId" = $2::uuid
   WHERE o."id" = $3::uuid`,
  col.nullableAll(HEAD_ROW),
);
// $1 conversation, $2 < changeSeq <= $3, at most $4 rows: the current state of the messages changed in between.
export const CHANGED = statement(
  'changes_range',
  `SELECT ${MESSAGE_COLUMNS} FROM "Message" m ${JOIN_USERS}
   WHERE m."conversationId" = $1::uuid AND m."changeSeq" > $2::int AND m."changeSeq" <= $3::int
   ORDER BY m."changeSeq" LIMIT $4::int`,
  MESSAGE_ROW,
);

export type ChangeFeed = {
  /** Validates the arguments (one statement), then streams; rejects with a GraphQL error on bad input. */
  subscribe(viewerId: string, args: MessageUpdatedArgs): Promise<AsyncIterable<ChatMessage>>;
  close(): void;
};

/** Changes as an ordered log: by conversation and changeSeq, heard on the user's messageUpdated channel. */
export const changeLog = (deps: { sql: Sql; listen: ChatListen }): OrderedLog<ChatMessage> => ({
  name: 'messageUpdated',
  conversationOf: (m) => m.conversationId,
  positionOf: (m) => m.changeSeq ?? 0,
  involves: (m, userId) => m.senderId === userId || m.recipientId === userId,
  listen: (userId, onEvent) => deps.listen('user:messageUpdated', userId, onEvent),
  heads: (userIds) => deps.sql.query(CHANGE_HEADS, [userIds]),
  readPage: async (conversationId, after, upTo, limit) =>
    (await deps.sql.query(CHANGED, [conversationId, after, upTo, limit])).map((row) => visible(toChatMessage(row))),
});

export function createChangeFeed(deps: { sql: Sql; listen: ChatListen; log: Logger }): ChangeFeed {
  const { sql } = deps;
  const log = changeLog(deps);
  const feed = createLogFeed(log, deps.log);

  async function subscribe(viewerId: string, args: MessageUpdatedArgs): Promise<AsyncIterable<ChatMessage>> {
    const otherId = args.withUserId ? parseOtherUser(viewerId, args.withUserId, 'withUserId') : null;
    if (args.after && !otherId)
      throw badInput('after needs withUserId: an updateCursor is a position in one conversation.', 'after');
    const after = args.after ? decodeChangeCursor(args.after, 'after') : null;

    // 1. Listen first, so nothing committed from here on can be missed (events wait until the stream starts).
    const stream = feed.open(viewerId, otherId);
    // 2. Then take the starting line: what changed before it is not news, except after `after`.
    try {
      const heads = otherId ? await pairHead(viewerId, otherId) : await log.heads([viewerId]);
      if (after && after.conversationId !== (heads[0]?.id ?? null))
        throw badInput('after is an updateCursor from another conversation.', 'after');
      const start = after && {
        conversationId: after.conversationId,
        position: Math.min(after.changeSeq, heads[0].last),
      };
      return feed.start(stream, heads, start);
    } catch (err) {
      stream.end();
      throw err;
    }
  }

  async function pairHead(viewerId: string, otherId: string): Promise<Head[]> {
    const { userLowId, userHighId } = participantKey(viewerId, otherId);
    const rows = await sql.query(CHANGE_PAIR_HEAD, [userLowId, userHighId, otherId]);
    if (!rows.length) throw notFound(NO_SUCH_USER('withUserId'));
    return rows.filter((r): r is Head => r.id !== null);
  }

  return { subscribe, close: feed.close };
}
