// The chat part of a user's data export (GET /export, http/export.ts): their conversations, and every message of
// each, both directions, read a batch at a time — a keyset scan of (conversationId, seq) per conversation — so an
// export of a million messages holds one batch in memory, never the whole history.
import { attachmentsOf } from '../attachments/types.ts';
import type { Sql } from '../db/index.ts';
import { col, statement } from '../db/sql.ts';
import type { ReactionGroup } from './types.ts';
import type { AttachmentRecord } from '../attachments/types.ts';

export const EXPORT_BATCH = 1000;

// $1 the user; keyset $2 conversation id (exclusive); $3 rows.
const CONVERSATIONS = statement(
  'export_conversations',
  `SELECT me."conversationId" AS "id", p."id" AS "peerId", p."username" AS "peerUsername",
     p."displayName" AS "peerDisplayName", me."unreadCount",
     GREATEST(me."lastReadSeq", me."hiddenReadSeq") AS "lastReadSeq", me."lastActivityAt",
     pm."lastReadSeq" AS "peerLastReadSeq"
   FROM "Membership" me
   JOIN "Membership" pm ON pm."conversationId" = me."conversationId" AND pm."userId" <> me."userId"
   JOIN "User" p ON p."id" = pm."userId"
   WHERE me."userId" = $1::uuid AND me."conversationId" > $2::uuid
   ORDER BY me."conversationId" LIMIT $3::int`,
  {
    id: col.uuid,
    peerId: col.uuid,
    peerUsername: col.text,
    peerDisplayName: col.text,
    unreadCount: col.int4,
    lastReadSeq: col.int4,
    lastActivityAt: col.timestamptz,
    peerLastReadSeq: col.int4,
  },
);

// $1 conversation; keyset $2 seq (exclusive); $3 rows.
const MESSAGES = statement(
  'export_messages',
  `SELECT m."id", m."seq", m."senderId", m."recipientId", m."content", m."createdAt", m."readAt", m."editedAt",
     m."deletedAt", m."replyToId", m."reactions", ${attachmentsOf('m')} AS "attachments"
   FROM "Message" m WHERE m."conversationId" = $1::uuid AND m."seq" > $2::int
   ORDER BY m."seq" LIMIT $3::int`,
  {
    id: col.uuid,
    seq: col.int4,
    senderId: col.uuid,
    recipientId: col.uuid,
    content: col.text,
    createdAt: col.timestamptz,
    readAt: col.nullable(col.timestamptz),
    editedAt: col.nullable(col.timestamptz),
    deletedAt: col.nullable(col.timestamptz),
    replyToId: col.nullable(col.uuid),
    reactions: col.jsonb<ReactionGroup[]>(),
    attachments: col.json<AttachmentRecord[]>(),
  },
);

export type ExportedConversation = typeof CONVERSATIONS extends { row?: infer R } ? NonNullable<R> : never;
export type ExportedMessage = typeof MESSAGES extends { row?: infer R } ? NonNullable<R> : never;

/** The user's conversations, a page at a time. */
export async function* exportConversations(sql: Sql, userId: string): AsyncGenerator<ExportedConversation[]> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await sql.query(CONVERSATIONS, [userId, after, EXPORT_BATCH]);
    if (rows.length) yield rows;
    if (rows.length < EXPORT_BATCH) return;
    after = rows.at(-1)!.id;
  }
}

/** Every message of a conversation (the caller's: it was listed by exportConversations), oldest first, a batch at a
 * time. */
export async function* exportMessages(sql: Sql, conversationId: string): AsyncGenerator<ExportedMessage[]> {
  let after = 0;
  for (;;) {
    const rows = await sql.query(MESSAGES, [conversationId, after, EXPORT_BATCH]);
    if (rows.length) yield rows;
    if (rows.length < EXPORT_BATCH) return;
    after = rows.at(-1)!.seq;
  }
}
