// markRead: marks read what `senderId` sent the viewer, optionally only up to one message, in one statement.
// Idempotent: a second call changes nothing and returns count 0. The statement also reports what the checks need
// (does the sender exist, where is upToMessageId), and marks nothing unless upToMessageId belongs to the pair.
import type { Sql } from '../db/index.ts';
import { statement } from '../db/sql.ts';
import { forbidden, notFound } from '../errors.ts';
import { NO_SUCH_USER, parseOtherUser } from './conversation.ts';
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
     RETURNING 1
   )
   SELECT (SELECT count(*)::int FROM updated) AS "count",
          EXISTS (SELECT 1 FROM "User" WHERE "id" = $2::uuid) AS "senderExists",
          t."senderId" AS "targetSenderId", t."recipientId" AS "targetRecipientId"
   FROM (SELECT 1) one LEFT JOIN target t ON true`,
);

type MarkReadRow = { count: number; senderExists: boolean; targetSenderId: string | null; targetRecipientId: string | null };

export async function markRead(sql: Sql, viewerId: string, args: MarkReadArgs): Promise<{ count: number; readAt: Date }> {
  const senderId = parseOtherUser(viewerId, args.senderId, 'senderId');
  const upTo = args.upToMessageId ?? null;
  if (upTo !== null) parseId(upTo, 'upToMessageId', 'message id');
  const readAt = new Date();
  const [row] = await sql.query<MarkReadRow>(MARK_READ, [viewerId, senderId, upTo?.toLowerCase() ?? null, readAt]);
  if (!row.senderExists) throw notFound(NO_SUCH_USER('senderId'));
  if (upTo !== null) {
    if (row.targetSenderId === null) throw notFound('No message has the id given in upToMessageId.');
    const participants = [row.targetSenderId, row.targetRecipientId];
    if (!participants.includes(viewerId)) throw forbidden('upToMessageId is a message of a conversation you are not in.');
    if (!participants.includes(senderId)) throw forbidden('upToMessageId is not a message of your conversation with senderId.');
  }
  return { count: row.count, readAt };
}
