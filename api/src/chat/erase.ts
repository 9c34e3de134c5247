// Erasing a deleted account's messages (deleteAccount): every message the user sent becomes a tombstone, exactly as
// deleteMessage makes one (content "", reactions and reply link gone, deletedAt set, a position in the change log so
// messageUpdated delivers it, an unread one taken off the recipient's count), in batches of ERASE_BATCH, each one
// statement (its own short transaction). Then each batch's attachments (rows and objects) are deleted and its
// tombstones published.
import { deleteAttachmentsOf, type ObjectStore } from '../attachments/storage.ts';
import type { Sql } from '../db/index.ts';
import { statement } from '../db/sql.ts';
import type { Logger } from '../logger.ts';
import { publishChange } from './changes.ts';
import type { ChatPubSub } from './events.ts';
import { JOIN_USERS, MESSAGE_COLUMNS, MESSAGE_ROW, toChatMessage } from './rows.ts';

export const ERASE_BATCH = 500;

// $1 sender, $2 batch size. The conversations' change logs are advanced first (their row locks, in the order every
// change takes them), then the messages updated if still not deleted (a concurrent deleteMessage may have won: its
// position then stays unused, as changes.ts allows).
export const ERASE = statement(
  'chat_erase_sender',
  `WITH doomed AS (
     SELECT "id", "conversationId", "seq" FROM "Message" WHERE "senderId" = $1::uuid AND "deletedAt" IS NULL
     ORDER BY "conversationId", "seq" LIMIT $2::int
   ), counts AS (
     SELECT "conversationId", count(*)::int AS "n" FROM doomed GROUP BY "conversationId"
   ), position AS (
     UPDATE "Conversation" c SET "lastChangeSeq" = c."lastChangeSeq" + k."n"
     FROM counts k WHERE c."id" = k."conversationId"
     RETURNING c."id", c."lastChangeSeq", k."n"
   ), numbered AS (
     SELECT d."id", p."lastChangeSeq" - p."n"
       + (row_number() OVER (PARTITION BY d."conversationId" ORDER BY d."seq"))::int AS "changeSeq"
     FROM doomed d JOIN position p ON p."id" = d."conversationId"
   ), updated AS (
     UPDATE "Message" x SET "content" = '', "deletedAt" = clock_timestamp(), "reactions" = '[]'::jsonb,
       "replyToId" = NULL, "changeSeq" = n."changeSeq"
     FROM numbered n WHERE x."id" = n."id" AND x."deletedAt" IS NULL
     RETURNING x.*
   ), unread AS (
     UPDATE "Membership" me SET "unreadCount" = GREATEST(me."unreadCount" - u."n", 0)
     FROM (SELECT r."conversationId", r."recipientId", count(*)::int AS "n" FROM updated r
           JOIN "Membership" h ON h."conversationId" = r."conversationId" AND h."userId" = r."recipientId"
           WHERE r."readAt" IS NULL AND r."seq" > h."hiddenReadSeq" GROUP BY r."conversationId", r."recipientId") u
     WHERE me."conversationId" = u."conversationId" AND me."userId" = u."recipientId"
     RETURNING 1
   )
   SELECT ${MESSAGE_COLUMNS} FROM updated m ${JOIN_USERS}`,
  MESSAGE_ROW,
);

export type EraseDeps = { sql: Sql; pubsub: ChatPubSub; uploads?: { store: ObjectStore }; log: Logger };

/** Turns every message `userId` sent into a tombstone; returns how many. */
export async function eraseMessagesOf(deps: EraseDeps, userId: string): Promise<number> {
  let erased = 0;
  for (;;) {
    const rows = await deps.sql.query(ERASE, [userId, ERASE_BATCH]);
    if (!rows.length) return erased;
    erased += rows.length;
    const withFiles = rows.filter((r) => r.attachments.length).map((r) => r.id);
    if (withFiles.length && deps.uploads) {
      await deleteAttachmentsOf({ sql: deps.sql, store: deps.uploads.store }, withFiles).catch((err: unknown) =>
        deps.log.error({ err, userId }, "a deleted account's attachments could not be deleted"),
      );
    }
    for (const row of rows) publishChange(deps.pubsub, { ...toChatMessage(row), attachments: [] });
  }
}
