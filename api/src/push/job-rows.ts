// What a push needs, read for many jobs at once. The queue's workers start the jobs of a fetched batch together,
// and each used to read its row on its own: a round trip per push, which on this kind of machine costs more CPU in
// the kernel (the socket write and the wake-up on both sides) than the statement itself. A DataLoader gathers the
// reads of one tick into one statement over the (message, subscription) pairs; a job's row is still read when its
// job runs, never cached, so a deletion, a mute or an ended session between the enqueue and the send is seen.
import DataLoader from 'dataloader';
import type { Sql } from '../db/index.ts';
import { col, statement, type RowOf } from '../db/sql.ts';

export const JOB_ROW = {
  ord: col.int4,
  endpoint: col.text,
  p256dh: col.text,
  auth: col.text,
  conversationId: col.uuid,
  senderId: col.uuid,
  senderName: col.text,
  content: col.text,
  deleted: col.bool,
  attachments: col.int4,
  firstFilename: col.nullable(col.text),
  muted: col.bool,
  sessionOpen: col.bool,
  unreadTotal: col.int4,
};
export type JobRow = RowOf<typeof JOB_ROW>;

// $1 messages, $2 subscriptions (pairwise); `ord` is the pair's 1-based position. No row for a pair: either is gone,
// or the subscription is no longer the recipient's.
export const PUSH_JOBS = statement(
  'push_jobs',
  `SELECT j."ord"::int AS "ord", s."endpoint", s."p256dh", s."auth", m."conversationId", m."senderId",
     u."displayName" AS "senderName", m."content", m."deletedAt" IS NOT NULL AS "deleted",
     (SELECT count(*)::int FROM "Attachment" a WHERE a."messageId" = m."id") AS "attachments",
     (SELECT a."filename" FROM "Attachment" a WHERE a."messageId" = m."id" ORDER BY a."createdAt", a."id" LIMIT 1)
       AS "firstFilename",
     COALESCE(me."muted", false) AS "muted",
     (ses."endedAt" IS NULL AND ses."expiresAt" > now()) AS "sessionOpen",
     (SELECT COALESCE(sum("unreadCount"), 0)::int FROM "Membership" WHERE "userId" = s."userId") AS "unreadTotal"
   FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS j("messageId", "subscriptionId", "ord")
   JOIN "PushSubscription" s ON s."id" = j."subscriptionId"
   JOIN "Session" ses ON ses."id" = s."sessionId"
   JOIN "Message" m ON m."id" = j."messageId" AND m."recipientId" = s."userId"
   JOIN "User" u ON u."id" = m."senderId"
   LEFT JOIN "Membership" me ON me."conversationId" = m."conversationId" AND me."userId" = s."userId"`,
  JOB_ROW,
);

/** Reads a job's row (null: nothing to send), batched with the reads of the same tick; at most `maxBatch` a
 * statement. A failed statement fails every read of its batch (each job is retried by the queue). */
export function jobRowLoader(sql: Sql, maxBatch: number) {
  const loader = new DataLoader<{ messageId: string; subscriptionId: string }, JobRow | null>(
    async (keys) => {
      const rows = await sql.query(PUSH_JOBS, [keys.map((k) => k.messageId), keys.map((k) => k.subscriptionId)]);
      const byOrd = new Map(rows.map((r) => [r.ord, r]));
      return keys.map((_, i) => byOrd.get(i + 1) ?? null);
    },
    { cache: false, maxBatchSize: maxBatch },
  );
  return (messageId: string, subscriptionId: string) => loader.load({ messageId, subscriptionId });
}
