// The inbox: a user's conversations by latest activity, with unread counts and the peer's read position. Served from
// Membership rows (one per participant, kept by the send and markRead statements themselves), so neither a page of
// conversations nor the unread total ever scans messages: index range scans of Membership, and one look-up per
// conversation for its last message and read marker.
import type { Sql } from '../db/index.ts';
import { col, statement, type RowOf } from '../db/sql.ts';
import { badInput, notFound } from '../errors.ts';
import { connection, parsePageSize, type Connection } from '../paging.ts';
import { NO_SUCH_USER, parseOtherUser, participantKey } from './conversation.ts';
import { fromMessageJson, messageJson, type MessageJson } from './rows.ts';
import type { ConversationView, PublicUser } from './types.ts';

export const DEFAULT_CONVERSATIONS_PAGE = 20;

/** One conversation as member `me` sees it; `pm` is the peer's membership. */
const VIEW_COLUMNS = `me."conversationId" AS "id", me."userId" AS "viewerId", me."unreadCount", me."lastActivityAt",
  me."muted", c."lastChangeSeq",
  v."username" AS "viewerUsername", v."displayName" AS "viewerDisplayName",
  p."id" AS "peerId", p."username" AS "peerUsername", p."displayName" AS "peerDisplayName",
  ${messageJson('me."conversationId"', 'c."lastSeq"')} AS "lastMessage",
  ${messageJson('me."conversationId"', 'pm."lastReadSeq"')} AS "peerLastRead"`;
const VIEW_JOINS = `JOIN "Conversation" c ON c."id" = me."conversationId"
  JOIN "Membership" pm ON pm."conversationId" = me."conversationId" AND pm."userId" <> me."userId"
  JOIN "User" v ON v."id" = me."userId"
  JOIN "User" p ON p."id" = pm."userId"`;

/** What VIEW_COLUMNS returns. */
const VIEW_ROW = {
  id: col.uuid,
  viewerId: col.uuid,
  unreadCount: col.int4,
  lastActivityAt: col.timestamptz,
  muted: col.bool,
  lastChangeSeq: col.int4,
  viewerUsername: col.text,
  viewerDisplayName: col.text,
  peerId: col.uuid,
  peerUsername: col.text,
  peerDisplayName: col.text,
  lastMessage: col.json<MessageJson>(),
  peerLastRead: col.nullable(col.json<MessageJson>()),
};
type ViewRow = RowOf<typeof VIEW_ROW>;

// $1 viewer; keyset ($2 lastActivityAt, $3 conversation id) exclusive; $4 rows.
export const CONVERSATIONS_PAGE = statement(
  'inbox_page',
  `SELECT ${VIEW_COLUMNS} FROM "Membership" me ${VIEW_JOINS}
   WHERE me."userId" = $1::uuid AND (me."lastActivityAt", me."conversationId") < ($2::timestamptz, $3::uuid)
   ORDER BY me."lastActivityAt" DESC, me."conversationId" DESC
   LIMIT $4::int`,
  VIEW_ROW,
);

// $1 viewer, $2/$3 the participant key, $4 the other user. No row: the other user does not exist; a row with a
// null id: no conversation yet.
export const CONVERSATION_WITH = statement(
  'inbox_conversation',
  `SELECT view.* FROM "User" o LEFT JOIN LATERAL (
     SELECT ${VIEW_COLUMNS} FROM "Membership" me ${VIEW_JOINS}
     WHERE me."userId" = $1::uuid
       AND me."conversationId" = (SELECT "id" FROM "Conversation" WHERE "userLowId" = $2::uuid AND "userHighId" = $3::uuid)
   ) view ON true
   WHERE o."id" = $4::uuid`,
  col.nullableAll(VIEW_ROW),
);

// $1 a user; keyset $2 conversation id (exclusive); $3 rows: each of the user's conversations as its PEER sees it
// (updateProfile, deleteAccount: what the peers' inboxes must show again).
export const PEER_VIEWS = statement(
  'inbox_peer_views',
  `SELECT ${VIEW_COLUMNS} FROM "Membership" me ${VIEW_JOINS}
   WHERE pm."userId" = $1::uuid AND me."conversationId" > $2::uuid
   ORDER BY me."conversationId" LIMIT $3::int`,
  VIEW_ROW,
);

export const UNREAD_TOTAL = statement(
  'inbox_unread_total',
  `SELECT COALESCE(sum("unreadCount"), 0)::int AS "total" FROM "Membership" WHERE "userId" = $1::uuid`,
  { total: col.int4 },
);

function toView(row: ViewRow): ConversationView {
  const viewer: PublicUser = { id: row.viewerId, username: row.viewerUsername, displayName: row.viewerDisplayName };
  const peer: PublicUser = { id: row.peerId, username: row.peerUsername, displayName: row.peerDisplayName };
  return {
    id: row.id,
    viewerId: row.viewerId,
    peer,
    lastMessage: fromMessageJson(row.lastMessage, row.id, [viewer, peer])!,
    unreadCount: row.unreadCount,
    lastActivityAt: row.lastActivityAt,
    peerLastRead: fromMessageJson(row.peerLastRead, row.id, [viewer, peer]),
    lastChangeSeq: row.lastChangeSeq,
    muted: row.muted,
  };
}

// Cursors: base64url("k|<lastActivityAt ISO>|<conversationId>").
const encodeCursor = (c: ConversationView) =>
  Buffer.from(`k|${c.lastActivityAt.toISOString()}|${c.id}`).toString('base64url');
function decodeCursor(cursor: string): { at: Date; id: string } {
  const match =
    /^k\|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(
      Buffer.from(cursor, 'base64url').toString('utf8'),
    );
  const at = match ? new Date(match[1]) : null;
  // A position this API made: a real instant (what toISOString printed back) in PostgreSQL's range.
  if (!match || !at || Number.isNaN(at.getTime()) || at.toISOString() !== match[1] || at.getUTCFullYear() < 1970) {
    throw badInput('after is not a cursor returned by conversations.', 'after');
  }
  return { at, id: match[2] };
}

export async function conversations(
  sql: Sql,
  viewerId: string,
  args: { first?: number | null; after?: string | null },
): Promise<Connection<ConversationView>> {
  const size = parsePageSize(args.first, 'first') ?? DEFAULT_CONVERSATIONS_PAGE;
  const after = args.after ? decodeCursor(args.after) : null;
  const rows = await sql.query(CONVERSATIONS_PAGE, [
    viewerId,
    after?.at ?? 'infinity',
    after?.id ?? 'ffffffff-ffff-ffff-ffff-ffffffffffff',
    size + 1,
  ]);
  return connection(rows.slice(0, size).map(toView), encodeCursor, {
    hasNextPage: rows.length > size,
    hasPreviousPage: after !== null,
  });
}

export async function conversationWith(
  sql: Sql,
  viewerId: string,
  withUserId: string,
): Promise<ConversationView | null> {
  const otherId = parseOtherUser(viewerId, withUserId, 'withUserId');
  const { userLowId, userHighId } = participantKey(viewerId, otherId);
  const rows = await sql.query(CONVERSATION_WITH, [viewerId, userLowId, userHighId, otherId]);
  if (!rows.length) throw notFound(NO_SUCH_USER('withUserId'));
  return rows[0].id === null ? null : toView(rows[0] as ViewRow);
}

export async function unreadTotal(sql: Sql, viewerId: string): Promise<number> {
  return (await sql.query(UNREAD_TOTAL, [viewerId]))[0].total;
}

/** Every conversation of `userId` as each peer sees it, a page at a time. */
export async function* peerViews(sql: Sql, userId: string, pageSize = 100): AsyncGenerator<ConversationView[]> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await sql.query(PEER_VIEWS, [userId, after, pageSize]);
    if (rows.length) yield rows.map(toView);
    if (rows.length < pageSize) return;
    after = rows.at(-1)!.id;
  }
}
