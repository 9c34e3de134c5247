// chatHistory: one keyset statement over (conversationId, seq) — an index range scan, never OFFSET — that also
// says whether the other user exists and where the conversation ends, so the paging flags cost nothing more.
import type { Sql } from '../db/index.ts';
import { col, statement, type RowOf } from '../db/sql.ts';
import { badInput, notFound } from '../errors.ts';
import { connection, parsePageSize, type Connection } from '../paging.ts';
import { NO_SUCH_USER, parseOtherUser, participantKey } from './conversation.ts';
import { decodeMessageCursor, encodeMessageCursor, seqIn, type MessagePosition } from './cursor.ts';
import { JOIN_USERS, MESSAGE_COLUMNS, MESSAGE_ROW, toChatMessage, type MessageRow } from './rows.ts';
import type { ChatMessage } from './types.ts';

export const DEFAULT_HISTORY_PAGE = 50;

export type HistoryArgs = {
  withUserId: string;
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
};

// The message columns are all null or none: they come from one LEFT JOINed row.
const PAGE_ROW = {
  conversation: col.nullable(col.uuid),
  lastSeq: col.nullable(col.int4),
  ...col.nullableAll(MESSAGE_ROW),
};
type PageRow = RowOf<typeof PAGE_ROW>;

// $1/$2 the participant key, $3 the other user, $4 < seq < $5, $6 rows. One row with null message columns when the
// page is empty; no row when the other user does not exist.
const page = (direction: 'ASC' | 'DESC') =>
  statement(
    `chat_history_${direction.toLowerCase()}`,
    `SELECT c."id" AS "conversation", c."lastSeq", p.*
     FROM "User" o
     LEFT JOIN "Conversation" c ON c."userLowId" = $1::uuid AND c."userHighId" = $2::uuid
     LEFT JOIN LATERAL (
       SELECT ${MESSAGE_COLUMNS} FROM "Message" m ${JOIN_USERS}
       WHERE m."conversationId" = c."id" AND m."seq" > $4::int AND m."seq" < $5::int
       ORDER BY m."seq" ${direction} LIMIT $6::int
     ) p ON true
     WHERE o."id" = $3::uuid`,
    PAGE_ROW,
  );
export const HISTORY_NEWEST_FIRST = page('DESC');
export const HISTORY_OLDEST_FIRST = page('ASC');

export async function chatHistory(sql: Sql, viewerId: string, args: HistoryArgs): Promise<Connection<ChatMessage>> {
  const first = parsePageSize(args.first, 'first');
  const last = parsePageSize(args.last, 'last');
  if (first !== undefined && last !== undefined) throw badInput('Pass first or last, not both.', 'last');
  const otherId = parseOtherUser(viewerId, args.withUserId, 'withUserId');
  const after = args.after ? decodeMessageCursor(args.after, 'after') : undefined;
  const before = args.before ? decodeMessageCursor(args.before, 'before') : undefined;

  const forward = first !== undefined;
  const size = first ?? last ?? DEFAULT_HISTORY_PAGE;
  const { userLowId, userHighId } = participantKey(viewerId, otherId);
  const rows = await sql.query(forward ? HISTORY_OLDEST_FIRST : HISTORY_NEWEST_FIRST, [
    userLowId,
    userHighId,
    otherId,
    after?.seq ?? 0,
    before?.seq ?? 2_147_483_647,
    size + 1,
  ]);
  if (!rows.length) throw notFound(NO_SUCH_USER('withUserId'));

  const { conversation, lastSeq } = rows[0];
  const bound = (position: MessagePosition | undefined, argument: string) =>
    position && seqIn(position, conversation, argument);
  const afterSeq = bound(after, 'after');
  const beforeSeq = bound(before, 'before');

  const messages = rows.filter((r): r is PageRow & MessageRow => r.id !== null).map(toChatMessage);
  const more = messages.length > size;
  const nodes = messages.slice(0, size);
  if (!forward) nodes.reverse();
  // Positions run 1..lastSeq without gaps, so what lies beyond a cursor follows from lastSeq alone.
  const end = lastSeq ?? 0;
  return connection(nodes, encodeMessageCursor, {
    hasNextPage: forward ? more : beforeSeq !== undefined && end >= Math.max(beforeSeq, 1),
    hasPreviousPage: forward ? afterSeq !== undefined && Math.min(afterSeq, end) >= 1 : more,
  });
}
