// sendMessage: the row is committed before anything is published or returned, in ONE statement (one round trip,
// one implicit transaction).
// Positions: the conversation row is upserted with `lastSeq + 1` in the same statement as the insert, so its row
// lock serialises senders of one conversation and `seq` order is commit order (a reader that has seen seq N can
// never later find a newly committed N-1). createdAt never decreases along seq either. A statement that fails
// (unknown sender, a concurrent retry that committed first) rolls back whole: no position is ever skipped.
// Idempotency: (senderId, clientMessageId) is unique in the database; a retry returns the stored message — and
// publishes it again, because the first attempt may have committed without its reply (or its publish) arriving.
// Delivery drops what a subscriber already has, so a second event is harmless and a missing one is not.
import type { Sql } from '../db/index.ts';
import { statement } from '../db/sql.ts';
import { badInput, isForeignKeyViolation, isUniqueViolation, notFound, unauthenticated } from '../errors.ts';
import { NO_SUCH_USER, parseOtherUser, participantKey } from './conversation.ts';
import { publishConversationUpdated, publishMessageAdded, type ChatPubSub } from './events.ts';
import {
  fromMessageJson,
  JOIN_USERS,
  MESSAGE_COLUMNS,
  messageJson,
  toChatMessage,
  type MessageJson,
  type MessageRow,
} from './rows.ts';
import type { ChatMessage } from './types.ts';
import { parseClientMessageId, parseContent } from './validation.ts';

export type SendArgs = { recipientId: string; content: string; clientMessageId?: string | null };

// $1 sender, $2 recipient, $3 clientMessageId (may be null), $4 content, $5/$6 the participant key.
// No row back: the recipient does not exist. With the message come both memberships as this send left them (null
// for a retry, which changes nothing), for each participant's view of the conversation.
export const SEND = statement(
  'chat_send',
  `WITH existing AS (
     SELECT * FROM "Message" WHERE "senderId" = $1::uuid AND "clientMessageId" = $3::text
   ), position AS (
     INSERT INTO "Conversation" ("id", "userLowId", "userHighId", "lastSeq", "lastMessageAt")
     SELECT gen_random_uuid(), $5::uuid, $6::uuid, 1, clock_timestamp()
     FROM "User" WHERE "id" = $2::uuid AND NOT EXISTS (SELECT 1 FROM existing)
     ON CONFLICT ("userLowId", "userHighId") DO UPDATE
       SET "lastSeq" = "Conversation"."lastSeq" + 1,
           "lastMessageAt" = GREATEST(clock_timestamp(), "Conversation"."lastMessageAt")
     RETURNING "id", "lastSeq", "lastMessageAt"
   ), inserted AS (
     INSERT INTO "Message" ("id", "conversationId", "seq", "senderId", "recipientId", "content", "clientMessageId", "createdAt")
     SELECT gen_random_uuid(), "id", "lastSeq", $1::uuid, $2::uuid, $4::text, $3::text, "lastMessageAt" FROM position
     RETURNING *
   ), members AS (
     INSERT INTO "Membership" ("conversationId", "userId", "unreadCount", "lastActivityAt")
     SELECT p."id", u."userId", u."unread", p."lastMessageAt"
     FROM position p CROSS JOIN (VALUES ($1::uuid, 0), ($2::uuid, 1)) AS u("userId", "unread")
     ON CONFLICT ("conversationId", "userId") DO UPDATE
       SET "unreadCount" = "Membership"."unreadCount" + EXCLUDED."unreadCount",
           "lastActivityAt" = EXCLUDED."lastActivityAt"
     RETURNING "userId", "unreadCount", "lastReadSeq"
   ), m AS (
     SELECT * FROM inserted UNION ALL SELECT * FROM existing
   )
   SELECT ${MESSAGE_COLUMNS},
     (SELECT "unreadCount" FROM members WHERE "userId" = $1::uuid) AS "senderUnread",
     (SELECT "unreadCount" FROM members WHERE "userId" = $2::uuid) AS "recipientUnread",
     ${messageJson('m."conversationId"', '(SELECT "lastReadSeq" FROM members WHERE "userId" = $1::uuid)')} AS "senderLastRead",
     ${messageJson('m."conversationId"', '(SELECT "lastReadSeq" FROM members WHERE "userId" = $2::uuid)')} AS "recipientLastRead"
   FROM m ${JOIN_USERS}`,
);

export type SendDeps = { sql: Sql; pubsub: ChatPubSub };

type SendRow = MessageRow & {
  senderUnread: number | null;
  recipientUnread: number | null;
  senderLastRead: MessageJson | null;
  recipientLastRead: MessageJson | null;
};

export async function sendMessage(deps: SendDeps, senderId: string, args: SendArgs): Promise<ChatMessage> {
  const content = parseContent(args.content);
  const clientMessageId = parseClientMessageId(args.clientMessageId);
  const recipientId = parseOtherUser(senderId, args.recipientId, 'recipientId');
  const { userLowId, userHighId } = participantKey(senderId, recipientId);
  const params = [senderId, recipientId, clientMessageId, content, userLowId, userHighId];

  let rows: SendRow[];
  try {
    rows = await deps.sql.query<SendRow>(SEND, params);
  } catch (err) {
    if (isForeignKeyViolation(err) && String((err as { detail?: unknown }).detail).includes(senderId)) {
      throw unauthenticated('The token belongs to a user that no longer exists: sign up again.');
    }
    // A concurrent retry with the same clientMessageId committed first: this statement now finds its row.
    if (!(clientMessageId && isUniqueViolation(err))) throw err;
    rows = await deps.sql.query<SendRow>(SEND, params);
  }
  if (!rows.length) throw notFound(NO_SUCH_USER('recipientId'));
  const message = toChatMessage(rows[0]);
  if (message.recipientId !== recipientId || message.content !== content) {
    throw badInput(
      'clientMessageId was already used for a different message (other recipient or content): use a new id.',
      'clientMessageId',
    );
  }
  publishMessageAdded(deps.pubsub, message);
  const row = rows[0];
  if (row.senderUnread !== null && row.recipientUnread !== null) {
    const users = [message.sender, message.recipient];
    const view = (viewerId: string, unreadCount: number, peerLastRead: MessageJson | null) => ({
      id: message.conversationId,
      viewerId,
      peer: viewerId === senderId ? message.recipient : message.sender,
      lastMessage: message,
      unreadCount,
      lastActivityAt: message.createdAt,
      peerLastRead: fromMessageJson(peerLastRead, message.conversationId, users),
    });
    publishConversationUpdated(
      deps.pubsub,
      view(senderId, row.senderUnread, row.recipientLastRead),
      view(recipientId, row.recipientUnread, row.senderLastRead),
    );
  }
  return message;
}
