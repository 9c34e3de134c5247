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
import { publishMessageAdded, type ChatPubSub } from './events.ts';
import { JOIN_USERS, MESSAGE_COLUMNS, toChatMessage, type MessageRow } from './rows.ts';
import type { ChatMessage } from './types.ts';
import { parseClientMessageId, parseContent } from './validation.ts';

export type SendArgs = { recipientId: string; content: string; clientMessageId?: string | null };

// $1 sender, $2 recipient, $3 clientMessageId (may be null), $4 content, $5/$6 the participant key.
// No row back: the recipient does not exist.
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
   ), m AS (
     SELECT * FROM inserted UNION ALL SELECT * FROM existing
   )
   SELECT ${MESSAGE_COLUMNS} FROM m ${JOIN_USERS}`,
);

export type SendDeps = { sql: Sql; pubsub: ChatPubSub };

export async function sendMessage(deps: SendDeps, senderId: string, args: SendArgs): Promise<ChatMessage> {
  const content = parseContent(args.content);
  const clientMessageId = parseClientMessageId(args.clientMessageId);
  const recipientId = parseOtherUser(senderId, args.recipientId, 'recipientId');
  const { userLowId, userHighId } = participantKey(senderId, recipientId);
  const params = [senderId, recipientId, clientMessageId, content, userLowId, userHighId];

  let rows: MessageRow[];
  try {
    rows = await deps.sql.query<MessageRow>(SEND, params);
  } catch (err) {
    if (isForeignKeyViolation(err, 'Message_senderId_fkey')) {
      throw unauthenticated('The token belongs to a user that no longer exists: sign up again.');
    }
    // A concurrent retry with the same clientMessageId committed first: this statement now finds its row.
    if (!(clientMessageId && isUniqueViolation(err))) throw err;
    rows = await deps.sql.query<MessageRow>(SEND, params);
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
  return message;
}
