// sendMessage: the row is committed before anything is published or returned, in ONE statement (one round trip,
// one implicit transaction).
// Positions: the conversation row is upserted with `lastSeq + 1` in the same statement as the insert, so its row
// lock serialises senders of one conversation and `seq` order is commit order (a reader that has seen seq N can
// never later find a newly committed N-1). createdAt never decreases along seq either. A statement that fails
// (unknown sender, a concurrent retry that committed first) rolls back whole: no position is ever skipped.
// Idempotency: (senderId, clientMessageId) is unique in the database; a retry returns the stored message — and
// publishes it again, because the first attempt may have committed without its reply (or its publish) arriving.
// Delivery drops what a subscriber already has, so a second event is harmless and a missing one is not.
import { ATTACHMENT_JSON, type AttachmentRecord } from '../attachments/types.ts';
// Never an error after a commit: a client told its send failed sends it again, so a message this statement stored
// is always answered with success (only a retry's stored row is compared with the request), and a failing publish
// is logged, not thrown (the recipient still finds the message in history).
// A reply (replyToId) is checked inside the same statement: nothing is inserted unless that message is one of the
// pair's (the explanation is looked up only then, off the hot path). So is a block (users/blocks.ts): nothing is
// inserted while either of the two has blocked the other, nor to a deleted account — no extra round trip.
import type { Sql } from '../db/index.ts';
import type { Logger } from '../logger.ts';
import { col, statement, type Statement } from '../db/sql.ts';
import { badInput, forbidden, isForeignKeyViolation, isUniqueViolation, notFound, unauthenticated } from '../errors.ts';
import { NO_SUCH_USER, parseOtherUser, participantKey } from './conversation.ts';
import { publishConversationUpdated, publishMessageAdded, type ChatPubSub } from './events.ts';
import {
  fromMessageJson,
  JOIN_USERS,
  MESSAGE_COLUMNS,
  messageJson,
  MESSAGE_ROW,
  toChatMessage,
  type MessageJson,
} from './rows.ts';
import type { ChatMessage } from './types.ts';
import { parseClientMessageId, parseContent, parseId } from './validation.ts';

export type SendArgs = {
  recipientId: string;
  content: string;
  clientMessageId?: string | null;
  attachmentIds?: readonly string[] | null;
  replyToId?: string | null;
};

// Shared with the web client, which checks it before sending.
export { MAX_ATTACHMENTS } from '../../../shared/attachmentRules.ts';
import { MAX_ATTACHMENTS } from '../../../shared/attachmentRules.ts';

// $1 sender, $2 recipient, $3 clientMessageId (may be null), $4 content, $5/$6 the participant key, $7 the uploads to
// attach (distinct ids), $8 replyToId (may be null). The uploads are claimed (locked, so two sends cannot both take
// one) in the same statement; unless every one is the sender's, finished and unattached, nothing is inserted.
// No row back: the recipient does not exist, an upload does not qualify or the reply is not the pair's. With the
// message come both memberships as this send left them (null for a retry, which changes nothing), for each
// participant's view of the conversation; "stored" says whether this statement stored the message (false: a retry
// found it); "attachedNow" what it attached; "mayPush" whether it stored a message to someone with push
// subscriptions (the push trigger may have queued pushes: push/relay.ts).
export const SEND = statement(
  'chat_send',
  `WITH existing AS (
     SELECT * FROM "Message" WHERE "senderId" = $1::uuid AND "clientMessageId" = $3::text
   ), claimed AS (
     SELECT "id" FROM "Attachment"
     WHERE "id" = ANY($7::uuid[]) AND "ownerId" = $1::uuid AND "finishedAt" IS NOT NULL AND "messageId" IS NULL
     FOR UPDATE
   ), position AS (
     INSERT INTO "Conversation" ("id", "userLowId", "userHighId", "lastSeq", "lastMessageAt")
     SELECT gen_random_uuid(), $5::uuid, $6::uuid, 1, clock_timestamp()
     FROM "User" WHERE "id" = $2::uuid AND "deletedAt" IS NULL AND NOT EXISTS (SELECT 1 FROM existing)
       AND NOT EXISTS (SELECT 1 FROM "Block" WHERE ("blockerId", "blockedId") IN (($1::uuid, $2::uuid), ($2::uuid, $1::uuid)))
       AND (SELECT count(*) FROM claimed) = cardinality($7::uuid[])
       AND ($8::uuid IS NULL OR EXISTS (
         SELECT 1 FROM "Message" WHERE "id" = $8::uuid AND "senderId" IN ($1::uuid, $2::uuid)
           AND "recipientId" IN ($1::uuid, $2::uuid)))
     ON CONFLICT ("userLowId", "userHighId") DO UPDATE
       SET "lastSeq" = "Conversation"."lastSeq" + 1,
           "lastMessageAt" = GREATEST(clock_timestamp(), "Conversation"."lastMessageAt")
     RETURNING "id", "lastSeq", "lastChangeSeq", "lastMessageAt"
   ), inserted AS (
     INSERT INTO "Message" ("id", "conversationId", "seq", "senderId", "recipientId", "content", "clientMessageId", "createdAt", "replyToId")
     SELECT gen_random_uuid(), "id", "lastSeq", $1::uuid, $2::uuid, $4::text, $3::text, "lastMessageAt", $8::uuid
     FROM position
     RETURNING *
   ), members AS (
     INSERT INTO "Membership" ("conversationId", "userId", "unreadCount", "lastActivityAt")
     SELECT p."id", u."userId", u."unread", p."lastMessageAt"
     FROM position p CROSS JOIN (VALUES ($1::uuid, 0), ($2::uuid, 1)) AS u("userId", "unread")
     ON CONFLICT ("conversationId", "userId") DO UPDATE
       SET "unreadCount" = "Membership"."unreadCount" + EXCLUDED."unreadCount",
           "lastActivityAt" = EXCLUDED."lastActivityAt"
     RETURNING "userId", "unreadCount", "lastReadSeq", "muted"
   ), attached AS (
     UPDATE "Attachment" a SET "messageId" = i."id" FROM inserted i
     WHERE a."id" IN (SELECT "id" FROM claimed)
     RETURNING ${ATTACHMENT_JSON} AS "json", a."createdAt", a."id"
   ), m AS (
     SELECT *, true AS "stored" FROM inserted UNION ALL SELECT *, false AS "stored" FROM existing
   )
   SELECT ${MESSAGE_COLUMNS}, m."stored",
     (SELECT "unreadCount" FROM members WHERE "userId" = $1::uuid) AS "senderUnread",
     (SELECT "unreadCount" FROM members WHERE "userId" = $2::uuid) AS "recipientUnread",
     (SELECT "muted" FROM members WHERE "userId" = $1::uuid) AS "senderMuted",
     (SELECT "muted" FROM members WHERE "userId" = $2::uuid) AS "recipientMuted",
     (SELECT "lastChangeSeq" FROM position) AS "lastChangeSeq",
     ${messageJson('m."conversationId"', '(SELECT "lastReadSeq" FROM members WHERE "userId" = $1::uuid)')} AS "senderLastRead",
     ${messageJson('m."conversationId"', '(SELECT "lastReadSeq" FROM members WHERE "userId" = $2::uuid)')} AS "recipientLastRead",
     (SELECT json_agg("json" ORDER BY "createdAt", "id") FROM attached) AS "attachedNow",
     m."stored" AND EXISTS (SELECT 1 FROM "PushSubscription" WHERE "userId" = $2::uuid) AS "mayPush"
   FROM m ${JOIN_USERS}`,
  {
    ...MESSAGE_ROW,
    stored: col.bool,
    senderUnread: col.nullable(col.int4),
    recipientUnread: col.nullable(col.int4),
    senderMuted: col.nullable(col.bool),
    recipientMuted: col.nullable(col.bool),
    lastChangeSeq: col.nullable(col.int4),
    senderLastRead: col.nullable(col.json<MessageJson>()),
    recipientLastRead: col.nullable(col.json<MessageJson>()),
    attachedNow: col.nullable(col.json<AttachmentRecord[]>()),
    mayPush: col.bool,
  },
);

type SendRow = typeof SEND extends Statement<infer R> ? R : never;

export type SendDeps = {
  sql: Sql;
  pubsub: ChatPubSub;
  log?: Logger;
  /** Told after the commit of a message whose recipient has push subscriptions (its pushes leave the outbox). */
  push?: { messageStored(): void };
};

// Why nothing was inserted (not the hot path: only after a refusal): $1 recipient, $2 sender.
export const SEND_REFUSED = statement(
  'chat_send_refused',
  `SELECT EXISTS (SELECT 1 FROM "User" WHERE "id" = $1::uuid AND "deletedAt" IS NULL) AS "recipientExists",
     EXISTS (SELECT 1 FROM "Block" WHERE ("blockerId", "blockedId") IN (($1::uuid, $2::uuid), ($2::uuid, $1::uuid)))
       AS "blocked"`,
  { recipientExists: col.bool, blocked: col.bool },
);

export const BLOCKED_MESSAGE = "You can't message this person.";

// Why attachments were refused (not the hot path: only after a refusal): $1 the upload ids, $2 the sender.
export const SEND_UPLOADS_REFUSED = statement(
  'chat_send_uploads_refused',
  `SELECT x."id", a."ownerId" = $2::uuid AS "ok", a."finishedAt" IS NOT NULL AS "finished",
     a."messageId" IS NOT NULL AS "attached", a."rejected"
   FROM unnest($1::uuid[]) AS x("id") LEFT JOIN "Attachment" a ON a."id" = x."id"`,
  {
    id: col.uuid,
    ok: col.nullable(col.bool),
    finished: col.bool,
    attached: col.bool,
    rejected: col.nullable(col.text),
  },
);

/** The refusal for uploads that cannot be attached, naming the first and why. */
function refusedUploads(uploads: (typeof SEND_UPLOADS_REFUSED extends Statement<infer R> ? R : never)[]) {
  for (const u of uploads) {
    const why = !u.ok
      ? 'is not an upload of yours'
      : u.rejected
        ? `was refused: ${u.rejected}`
        : u.attached
          ? 'is already attached to a message'
          : !u.finished
            ? 'has not been uploaded (yet)'
            : null;
    if (why) return badInput(`attachmentIds: ${u.id} ${why}.`, 'attachmentIds');
  }
  return null;
}

function parseAttachmentIds(ids: readonly string[] | null | undefined): string[] {
  const unique = [...new Set((ids ?? []).map((id) => parseId(id, 'attachmentIds', 'upload id')))];
  if (unique.length > MAX_ATTACHMENTS) {
    throw badInput(`At most ${MAX_ATTACHMENTS} attachments per message.`, 'attachmentIds');
  }
  return unique;
}

export async function sendMessage(deps: SendDeps, senderId: string, args: SendArgs): Promise<ChatMessage> {
  const attachmentIds = parseAttachmentIds(args.attachmentIds);
  // With attachments, the text is optional.
  const content = attachmentIds.length && !args.content.trim() ? '' : parseContent(args.content);
  const clientMessageId = parseClientMessageId(args.clientMessageId);
  const recipientId = parseOtherUser(senderId, args.recipientId, 'recipientId');
  const replyToId = args.replyToId ? parseId(args.replyToId, 'replyToId', 'message id') : null;
  const { userLowId, userHighId } = participantKey(senderId, recipientId);
  const params = [senderId, recipientId, clientMessageId, content, userLowId, userHighId, attachmentIds, replyToId];

  let rows;
  try {
    rows = await deps.sql.query(SEND, params);
  } catch (err) {
    if (isForeignKeyViolation(err) && String((err as { detail?: unknown }).detail).includes(senderId)) {
      throw unauthenticated('The token belongs to a user that no longer exists: sign up again.');
    }
    // A concurrent retry with the same clientMessageId committed first: this statement now finds its row.
    if (!(clientMessageId && isUniqueViolation(err))) throw err;
    rows = await deps.sql.query(SEND, params);
  }
  if (!rows.length) {
    const [refused] = await deps.sql.query(SEND_REFUSED, [recipientId, senderId]);
    if (!refused.recipientExists) throw notFound(NO_SUCH_USER('recipientId'));
    if (refused.blocked) throw forbidden(BLOCKED_MESSAGE);
    if (attachmentIds.length) {
      const uploads = await deps.sql.query(SEND_UPLOADS_REFUSED, [attachmentIds, senderId]);
      const why = refusedUploads(uploads);
      if (why || !replyToId)
        throw why ?? badInput('attachmentIds: an upload cannot be attached (try again).', 'attachmentIds');
    }
    throw badInput('replyToId is not a message of your conversation with recipientId.', 'replyToId');
  }
  const row = rows[0];
  const message = toChatMessage(row);
  if (row.attachedNow) message.attachments = row.attachedNow;
  const sameAttachments =
    row.stored ||
    JSON.stringify((message.attachments ?? []).map((a) => a.id).sort()) === JSON.stringify([...attachmentIds].sort());
  if (
    !row.stored &&
    (message.recipientId !== recipientId ||
      message.content !== content ||
      message.replyToId !== replyToId ||
      !sameAttachments)
  ) {
    throw badInput(
      'clientMessageId was already used for a different message (other recipient, content, reply or attachments): use a new id.',
      'clientMessageId',
    );
  }
  if (row.mayPush) deps.push?.messageStored();
  try {
    publish(deps.pubsub, senderId, recipientId, message, row);
  } catch (err) {
    deps.log?.error({ err, messageId: message.id }, 'a stored message could not be published');
  }
  return message;
}

function publish(pubsub: ChatPubSub, senderId: string, recipientId: string, message: ChatMessage, row: SendRow) {
  publishMessageAdded(pubsub, message);
  if (row.senderUnread !== null && row.recipientUnread !== null) {
    const users = [message.sender, message.recipient];
    const view = (viewerId: string, unreadCount: number, peerLastRead: MessageJson | null, muted: boolean) => ({
      id: message.conversationId,
      viewerId,
      peer: viewerId === senderId ? message.recipient : message.sender,
      lastMessage: message,
      unreadCount,
      lastActivityAt: message.createdAt,
      peerLastRead: fromMessageJson(peerLastRead, message.conversationId, users),
      lastChangeSeq: row.lastChangeSeq ?? 0,
      muted,
    });
    publishConversationUpdated(
      pubsub,
      view(senderId, row.senderUnread, row.recipientLastRead, row.senderMuted ?? false),
      view(recipientId, row.recipientUnread, row.senderLastRead, row.recipientMuted ?? false),
    );
  }
}
