// markRead: marks read what `senderId` sent the viewer, optionally only up to one message, in one statement that
// also moves the reader's membership (unread count, read position). Idempotent: a second call changes nothing,
// returns count 0 and publishes nothing. The statement reports what the checks need (does the sender exist, where
// is upToMessageId) and marks nothing unless upToMessageId belongs to the pair; when it marks something, it also
// returns what both participants' views of the conversation need, so the events cost no further query.
import type { Sql } from '../db/index.ts';
import { statement } from '../db/sql.ts';
import { forbidden, notFound } from '../errors.ts';
import { NO_SUCH_USER, parseOtherUser } from './conversation.ts';
import { publishConversationUpdated, publishMessagesRead, type ChatPubSub } from './events.ts';
import { fromMessageJson, messageJson, type MessageJson } from './rows.ts';
import type { ConversationView, PublicUser } from './types.ts';
import { parseId } from './validation.ts';

export type MarkReadArgs = { senderId: string; upToMessageId?: string | null };

// $1 viewer (the reader), $2 sender, $3 upToMessageId or null, $4 readAt.
export const MARK_READ = statement(
  'chat_mark_read',
  `WITH target AS (
     SELECT "seq", "senderId", "recipientId" FROM "Message" WHERE "id" = $3::uuid
   ), updated AS (
     UPDATE "Message" SET "readAt" = $4::timestamptz
     WHERE "recipientId" = $1::uuid AND "senderId" = $2::uuid AND "readAt" IS NULL
       AND "seq" <= CASE WHEN $3::uuid IS NULL THEN 2147483647 ELSE (
         SELECT "seq" FROM target
         WHERE "senderId" IN ($1::uuid, $2::uuid) AND "recipientId" IN ($1::uuid, $2::uuid)
       ) END
     RETURNING "conversationId", "seq"
   ), marked AS (
     SELECT count(*)::int AS "count", max("seq") AS "upToSeq", (array_agg("conversationId"))[1] AS "conversationId"
     FROM updated
   ), reader AS (
     UPDATE "Membership" me
     SET "unreadCount" = GREATEST(me."unreadCount" - k."count", 0), "lastReadSeq" = GREATEST(me."lastReadSeq", k."upToSeq")
     FROM marked k
     WHERE k."count" > 0 AND me."conversationId" = k."conversationId" AND me."userId" = $1::uuid
     RETURNING me."unreadCount", me."lastReadSeq", me."lastActivityAt"
   )
   SELECT k."count", k."conversationId",
          EXISTS (SELECT 1 FROM "User" WHERE "id" = $2::uuid) AS "senderExists",
          t."senderId" AS "targetSenderId", t."recipientId" AS "targetRecipientId",
          r."unreadCount" AS "readerUnread", r."lastActivityAt" AS "readerActivityAt",
          sm."unreadCount" AS "senderUnread", sm."lastActivityAt" AS "senderActivityAt",
          ${messageJson('k."conversationId"', 'k."upToSeq"')} AS "upTo",
          ${messageJson('k."conversationId"', 'c."lastSeq"')} AS "lastMessage",
          ${messageJson('k."conversationId"', 'r."lastReadSeq"')} AS "readerLastRead",
          ${messageJson('k."conversationId"', 'sm."lastReadSeq"')} AS "senderLastRead",
          ru."username" AS "readerUsername", ru."displayName" AS "readerDisplayName",
          su."username" AS "senderUsername", su."displayName" AS "senderDisplayName"
   FROM marked k
   LEFT JOIN target t ON true
   LEFT JOIN reader r ON true
   LEFT JOIN "Conversation" c ON c."id" = k."conversationId"
   LEFT JOIN "Membership" sm ON sm."conversationId" = k."conversationId" AND sm."userId" = $2::uuid
   LEFT JOIN "User" ru ON ru."id" = $1::uuid
   LEFT JOIN "User" su ON su."id" = $2::uuid`,
);

type MarkReadRow = {
  count: number;
  conversationId: string | null;
  senderExists: boolean;
  targetSenderId: string | null;
  targetRecipientId: string | null;
  readerUnread: number | null;
  readerActivityAt: Date | null;
  senderUnread: number | null;
  senderActivityAt: Date | null;
  upTo: MessageJson | null;
  lastMessage: MessageJson | null;
  readerLastRead: MessageJson | null;
  senderLastRead: MessageJson | null;
  readerUsername: string;
  readerDisplayName: string;
  senderUsername: string | null;
  senderDisplayName: string | null;
};

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
  const [row] = await deps.sql.query<MarkReadRow>(MARK_READ, [viewerId, senderId, upTo?.toLowerCase() ?? null, readAt]);
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
  };
  const senderView: ConversationView = {
    id: conversationId,
    viewerId: senderId,
    peer: reader,
    lastMessage,
    unreadCount: row.senderUnread ?? 0,
    lastActivityAt: row.senderActivityAt ?? lastMessage.createdAt,
    peerLastRead: message(row.readerLastRead),
  };
  publishConversationUpdated(pubsub, readerView, senderView);
  const receipt = (conversation: ConversationView) => ({ conversation, reader, upTo, readAt, count: row.count });
  publishMessagesRead(pubsub, receipt(readerView), receipt(senderView));
}
