// markRead: marks read what `senderId` sent the viewer, optionally only up to one message, in one statement that
// also moves the reader's membership (unread count, read position). Idempotent: a second call changes nothing,
// returns count 0 and publishes nothing. The statement reports what the checks need (does the sender exist, where
// is upToMessageId) and marks nothing unless upToMessageId belongs to the pair; when it marks something, it also
// returns what both participants' views of the conversation need, so the events cost no further query.
import type { Sql } from '../db/index.ts';
import { col, statement, type RowOf } from '../db/sql.ts';
import { forbidden, notFound } from '../errors.ts';
import { NO_SUCH_USER, parseOtherUser } from './conversation.ts';
import { publishConversationUpdated, publishMessagesRead, type ChatPubSub } from './events.ts';
import { fromMessageJson, messageJson, type MessageJson } from './rows.ts';
import type { ConversationView, PublicUser } from './types.ts';
import { parseId } from './validation.ts';

export type MarkReadArgs = { senderId: string; upToMessageId?: string | null };

const MARK_READ_ROW = {
  count: col.int4,
  conversationId: col.nullable(col.uuid),
  senderExists: col.bool,
  targetSenderId: col.nullable(col.uuid),
  targetRecipientId: col.nullable(col.uuid),
  readerUnread: col.nullable(col.int4),
  readerActivityAt: col.nullable(col.timestamptz),
  readerMuted: col.nullable(col.bool),
  senderMuted: col.nullable(col.bool),
  senderUnread: col.nullable(col.int4),
  senderActivityAt: col.nullable(col.timestamptz),
  lastChangeSeq: col.nullable(col.int4),
  upTo: col.nullable(col.json<MessageJson>()),
  lastMessage: col.nullable(col.json<MessageJson>()),
  readerLastRead: col.nullable(col.json<MessageJson>()),
  senderLastRead: col.nullable(col.json<MessageJson>()),
  readerUsername: col.text,
  readerDisplayName: col.text,
  senderUsername: col.nullable(col.text),
  senderDisplayName: col.nullable(col.text),
  blocked: col.bool,
};
type MarkReadRow = RowOf<typeof MARK_READ_ROW>;

// $1 viewer (the reader), $2 sender, $3 upToMessageId or null, $4 readAt.
// While either has blocked the other, the read is the reader's alone: their unread count drops and their private
// position ("hiddenReadSeq") moves, but no readAt is written and the position the peer sees ("lastReadSeq") stays,
// so the peer learns it neither live nor through history, the inbox or an export. Those messages keep readAt null
// until the reader's first markRead after the unblock covers them: it writes them that time (it reveals that they are
// read now, not when) without taking them off the unread count twice (they are at or below hiddenReadSeq).
const UNREAD_OF_PAIR = `"recipientId" = $1::uuid AND "senderId" = $2::uuid AND "readAt" IS NULL AND "deletedAt" IS NULL
       AND "seq" <= CASE WHEN $3::uuid IS NULL THEN 2147483647 ELSE (
         SELECT "seq" FROM target
         WHERE "senderId" IN ($1::uuid, $2::uuid) AND "recipientId" IN ($1::uuid, $2::uuid)
       ) END`;
export const MARK_READ = statement(
  'chat_mark_read',
  `WITH target AS (
     SELECT "seq", "senderId", "recipientId" FROM "Message" WHERE "id" = $3::uuid
   ), blocked AS (
     SELECT EXISTS (SELECT 1 FROM "Block" WHERE ("blockerId", "blockedId") IN (($1::uuid, $2::uuid), ($2::uuid, $1::uuid)))
       AS "b"
   ), updated AS (
     UPDATE "Message" SET "readAt" = $4::timestamptz
     WHERE ${UNREAD_OF_PAIR} AND NOT (SELECT "b" FROM blocked)
     RETURNING "conversationId", "seq"
   ), seen AS (
     SELECT m."conversationId", m."seq" FROM "Message" m
     JOIN "Membership" me ON me."conversationId" = m."conversationId" AND me."userId" = $1::uuid
     WHERE (SELECT "b" FROM blocked) AND ${UNREAD_OF_PAIR}
       AND m."seq" > me."hiddenReadSeq"
   ), read_rows AS (
     SELECT * FROM updated UNION ALL SELECT * FROM seen
   ), marked AS (
     SELECT count(*)::int AS "count", max("seq") AS "upToSeq", (array_agg("conversationId"))[1] AS "conversationId"
     FROM read_rows
   ), reader AS (
     -- Re-evaluated on the current row if a concurrent markRead moved it first: nothing is taken off twice.
     UPDATE "Membership" me
     SET "unreadCount" = GREATEST(me."unreadCount" - (SELECT count(*)::int FROM read_rows x WHERE x."seq" > me."hiddenReadSeq"), 0),
         "lastReadSeq" = CASE WHEN bl."b" THEN me."lastReadSeq" ELSE GREATEST(me."lastReadSeq", k."upToSeq") END,
         "hiddenReadSeq" = CASE WHEN bl."b" THEN GREATEST(me."hiddenReadSeq", k."upToSeq") ELSE me."hiddenReadSeq" END
     FROM marked k, blocked bl
     WHERE k."count" > 0 AND me."conversationId" = k."conversationId" AND me."userId" = $1::uuid
     RETURNING me."unreadCount", me."lastReadSeq", me."lastActivityAt", me."muted"
   )
   SELECT k."count", k."conversationId",
          EXISTS (SELECT 1 FROM "User" WHERE "id" = $2::uuid) AS "senderExists",
          t."senderId" AS "targetSenderId", t."recipientId" AS "targetRecipientId",
          r."unreadCount" AS "readerUnread", r."lastActivityAt" AS "readerActivityAt", r."muted" AS "readerMuted", sm."muted" AS "senderMuted",
          sm."unreadCount" AS "senderUnread", sm."lastActivityAt" AS "senderActivityAt", c."lastChangeSeq",
          ${messageJson('k."conversationId"', 'k."upToSeq"')} AS "upTo",
          ${messageJson('k."conversationId"', 'c."lastSeq"')} AS "lastMessage",
          ${messageJson('k."conversationId"', 'r."lastReadSeq"')} AS "readerLastRead",
          ${messageJson('k."conversationId"', 'sm."lastReadSeq"')} AS "senderLastRead",
          ru."username" AS "readerUsername", ru."displayName" AS "readerDisplayName",
          su."username" AS "senderUsername", su."displayName" AS "senderDisplayName",
          (SELECT "b" FROM blocked) AS "blocked"
   FROM marked k
   LEFT JOIN target t ON true
   LEFT JOIN reader r ON true
   LEFT JOIN "Conversation" c ON c."id" = k."conversationId"
   LEFT JOIN "Membership" sm ON sm."conversationId" = k."conversationId" AND sm."userId" = $2::uuid
   LEFT JOIN "User" ru ON ru."id" = $1::uuid
   LEFT JOIN "User" su ON su."id" = $2::uuid`,
  MARK_READ_ROW,
);

export type MarkReadDeps = { sql: Sql; pubsub: ChatPubSub };

export async function markRead(
  deps: MarkReadDeps,
  viewerId: string,
  args: MarkReadArgs,
): Promise<{ count: number; readAt: Date }> {
  const senderId = parseOtherUser(viewerId, args.senderId, 'senderId');
  const upTo = args.upToMessageId ?? null;
  if (upTo !== null) parseId(upTo, 'upToMessageId', 'message id');
  const readAt = new Date();
  const [row] = await deps.sql.query(MARK_READ, [viewerId, senderId, upTo?.toLowerCase() ?? null, readAt]);
  if (!row.senderExists) throw notFound(NO_SUCH_USER('senderId'));
  if (upTo !== null) {
    if (row.targetSenderId === null) throw notFound('No message has the id given in upToMessageId.');
    const participants = [row.targetSenderId, row.targetRecipientId];
    if (!participants.includes(viewerId))
      throw forbidden('upToMessageId is a message of a conversation you are not in.');
    if (!participants.includes(senderId))
      throw forbidden('upToMessageId is not a message of your conversation with senderId.');
  }
  if (row.count > 0) publishRead(deps.pubsub, row, viewerId, senderId, readAt);
  return { count: row.count, readAt };
}

function publishRead(pubsub: ChatPubSub, row: MarkReadRow, readerId: string, senderId: string, readAt: Date) {
  const conversationId = row.conversationId!;
  const reader: PublicUser = { id: readerId, username: row.readerUsername, displayName: row.readerDisplayName };
  const sender: PublicUser = { id: senderId, username: row.senderUsername!, displayName: row.senderDisplayName! };
  const upToSeq = row.upTo!.seq;
  // The statement's reads see the rows as they were before it: what it marked read, mark here too.
  const message = (json: MessageJson | null) => {
    const m = fromMessageJson(json, conversationId, [reader, sender]);
    return m && m.senderId === senderId && m.seq <= upToSeq && !m.readAt ? { ...m, readAt } : m;
  };
  const lastMessage = message(row.lastMessage)!;
  const upTo = message(row.upTo)!;
  const readerView: ConversationView = {
    id: conversationId,
    viewerId: readerId,
    peer: sender,
    lastMessage,
    unreadCount: row.readerUnread ?? 0,
    lastActivityAt: row.readerActivityAt ?? lastMessage.createdAt,
    peerLastRead: message(row.senderLastRead),
    lastChangeSeq: row.lastChangeSeq ?? 0,
    muted: row.readerMuted ?? false,
  };
  const senderView: ConversationView = {
    id: conversationId,
    viewerId: senderId,
    peer: reader,
    lastMessage,
    unreadCount: row.senderUnread ?? 0,
    lastActivityAt: row.senderActivityAt ?? lastMessage.createdAt,
    peerLastRead: message(row.readerLastRead),
    lastChangeSeq: row.lastChangeSeq ?? 0,
    muted: row.senderMuted ?? false,
  };
  const receipt = (conversation: ConversationView) => ({ conversation, reader, upTo, readAt, count: row.count });
  // While either has blocked the other, the read reaches the reader's own sessions only: no receipt to the peer.
  if (row.blocked) {
    publishConversationUpdated(pubsub, readerView);
    publishMessagesRead(pubsub, receipt(readerView));
    return;
  }
  publishConversationUpdated(pubsub, readerView, senderView);
  publishMessagesRead(pubsub, receipt(readerView), receipt(senderView));
}
