// editMessage and deleteMessage: the sender's changes to their own message, one statement each (see changes.ts).
// Deleting blanks the stored text, reactions and reply link in the row itself (the text survives nowhere), and
// takes an unread message off the recipient's unread count in the same statement. Its attachments (rows and objects)
// go after that commit — a look-up only for a message that has some (the statement's row says so).
import { deleteAttachmentsOf, type ObjectStore } from '../attachments/storage.ts';
import type { Sql } from '../db/index.ts';
import { col } from '../db/sql.ts';
import { badInput, forbidden } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { changeStatement, noSuchMessage, publishChange, publishViews, visible, VIEW_COLUMNS } from './changes.ts';
import type { ChatPubSub } from './events.ts';
import { toChatMessage } from './rows.ts';
import type { ChatMessage } from './types.ts';
import { parseContent, parseId } from './validation.ts';

export type ChangeDeps = {
  sql: Sql;
  pubsub: ChatPubSub;
  editWindowSeconds: number;
  /** Where attachments live, for deleteMessage (absent: none to delete). */
  uploads?: { store: ObjectStore };
  log?: Logger;
};

// $3 new content, $4 the edit window in seconds (0: no limit).
export const EDIT = changeStatement('chat_edit', {
  when: `t."senderId" = $1::uuid AND t."deletedAt" IS NULL AND t."content" <> $3::text
         AND ($4::int = 0 OR t."createdAt" > clock_timestamp() - make_interval(secs => $4::int))`,
  set: `"content" = $3::text, "editedAt" = clock_timestamp()`,
  still: `x."deletedAt" IS NULL`,
  more: VIEW_COLUMNS,
});

export const DELETE = changeStatement('chat_delete', {
  when: `t."senderId" = $1::uuid AND t."deletedAt" IS NULL`,
  set: `"content" = '', "deletedAt" = clock_timestamp(), "reactions" = '[]'::jsonb, "replyToId" = NULL`,
  still: `x."deletedAt" IS NULL`,
  after: `, unread AS (
       UPDATE "Membership" me SET "unreadCount" = GREATEST(me."unreadCount" - 1, 0)
       FROM updated u
       WHERE u."readAt" IS NULL AND u."seq" > me."hiddenReadSeq"
         AND me."conversationId" = u."conversationId" AND me."userId" = u."recipientId"
       RETURNING me."unreadCount"
     )`,
  more: {
    text: `${VIEW_COLUMNS.text}, (SELECT "unreadCount" FROM unread) AS "recipientUnread"`,
    columns: { ...VIEW_COLUMNS.columns, recipientUnread: col.nullable(col.int4) },
  },
});

const DELETED = (argument: string) => badInput('The message was deleted: it cannot be changed any more.', argument);

export async function editMessage(
  deps: ChangeDeps,
  viewerId: string,
  args: { id: string; content: string },
): Promise<ChatMessage> {
  const id = parseId(args.id, 'id', 'message id');
  const content = parseContent(args.content);
  const [row] = await deps.sql.query(EDIT, [viewerId, id, content, deps.editWindowSeconds]);
  if (!row) throw noSuchMessage('id');
  const message = toChatMessage(row);
  if (row.changed) {
    publishChange(deps.pubsub, message);
    publishViews(deps.pubsub, row, message, null);
    return message;
  }
  if (message.senderId !== viewerId) throw forbidden('Only the sender can edit a message.');
  if (message.deletedAt) throw DELETED('id');
  if (message.content === content) return message;
  const windowMs = deps.editWindowSeconds * 1000;
  if (windowMs > 0 && message.createdAt.getTime() <= Date.now() - windowMs) {
    throw badInput(
      `The message is older than the edit window (${deps.editWindowSeconds} s): it cannot be edited.`,
      'id',
    );
  }
  throw DELETED('id'); // it was deleted while this edit waited for it
}

export async function deleteMessage(deps: ChangeDeps, viewerId: string, args: { id: string }): Promise<ChatMessage> {
  const id = parseId(args.id, 'id', 'message id');
  const [row] = await deps.sql.query(DELETE, [viewerId, id]);
  if (!row) throw noSuchMessage('id');
  const message = toChatMessage(row);
  if (row.changed) {
    // Never an error after the commit: objects left behind are logged (their rows are gone first, storage.ts).
    if (row.attachments.length && deps.uploads) {
      await deleteAttachmentsOf({ sql: deps.sql, store: deps.uploads.store }, [id]).catch((err: unknown) =>
        deps.log?.error({ err, messageId: id }, "a deleted message's attachments could not be deleted"),
      );
    }
    message.attachments = [];
    publishChange(deps.pubsub, message);
    publishViews(deps.pubsub, row, message, row.recipientUnread);
    return message;
  }
  if (message.senderId !== viewerId) throw forbidden('Only the sender can delete a message.');
  // Already deleted (idempotent), possibly a moment ago by another session: the tombstone either way.
  return visible({ ...message, deletedAt: message.deletedAt ?? new Date() });
}
