// The message lifecycle's common shape: one statement per change (edit, deletion, reaction), one round trip.
//
// Positions: a change takes the next position of its conversation's change log (`lastChangeSeq + 1`) under the
// conversation's row lock — as a send takes `lastSeq + 1` — and writes it on the message (`changeSeq`), so change
// positions are handed out in commit order and "every message changed after position P" is one keyset scan of
// (conversationId, changeSeq) (see changeFeed.ts). Then the message row is updated: its new values are computed
// from its latest committed version (PostgreSQL re-reads a row updated concurrently), so concurrent reactions both
// stay and an edit that lost a race to a deletion changes nothing. A position taken by a change that then found the
// message deleted stays unused: the log may skip positions, readers never rely on it being gapless.
//
// The statement returns the message as it is now (changed or not: `changed` says which), so refusals are
// explained from the row without a second query. A viewer outside the conversation gets no row (NOT_FOUND).
import type { Sql } from '../db/index.ts';
import { col, statement, type Columns, type RowOf, type Statement } from '../db/sql.ts';
import { notFound } from '../errors.ts';
import { publishConversationUpdated, publishMessageUpdated, type ChatPubSub } from './events.ts';
import {
  fromMessageJson,
  JOIN_USERS,
  MESSAGE_COLUMNS,
  MESSAGE_ROW,
  messageJson,
  toChatMessage,
  type MessageJson,
} from './rows.ts';
import type { ChatMessage, ConversationView } from './types.ts';

/** What every change statement returns: the message as it is now, and whether this statement changed it. */
const CHANGE_ROW = { ...MESSAGE_ROW, changed: col.bool };
export type ChangeRow = RowOf<typeof CHANGE_ROW>;

/** More output after the message: its select list (starting with a comma) and its column declaration. */
export type MoreColumns<C extends Columns> = { text: string; columns: C };

/**
 * $1 viewer, $2 message id, then the change's own parameters. `when`: the change applies (on the message as the
 * statement found it, alias t); `set`: the new values (alias x, the latest version); `still`: re-checked on the
 * latest version (a concurrent deletion); `after`: further CTEs reading `updated`; `more`: more output.
 */
export function changeStatement<C extends Columns = Record<never, never>>(
  name: string,
  o: { when: string; set: string; still: string; after?: string; more?: MoreColumns<C> },
): Statement<RowOf<typeof CHANGE_ROW & C>> {
  return statement(
    name,
    `WITH target AS (
       SELECT * FROM "Message" WHERE "id" = $2::uuid AND $1::uuid IN ("senderId", "recipientId")
     ), position AS (
       UPDATE "Conversation" c SET "lastChangeSeq" = c."lastChangeSeq" + 1
       FROM target t WHERE c."id" = t."conversationId" AND (${o.when})
       RETURNING c."lastChangeSeq", c."lastSeq"
     ), updated AS (
       UPDATE "Message" x SET ${o.set}, "changeSeq" = p."lastChangeSeq"
       FROM position p WHERE x."id" = $2::uuid AND (${o.still})
       RETURNING x.*
     )${o.after ?? ''}, m AS (
       SELECT * FROM updated UNION ALL SELECT * FROM target WHERE NOT EXISTS (SELECT 1 FROM updated)
     )
     SELECT ${MESSAGE_COLUMNS}, EXISTS (SELECT 1 FROM updated) AS "changed"${o.more?.text ?? ''}
     FROM m ${JOIN_USERS}`,
    { ...CHANGE_ROW, ...o.more?.columns } as typeof CHANGE_ROW & C,
  );
}

type MemberJson = {
  userId: string;
  unreadCount: number;
  lastActivityAt: string;
  muted: boolean;
  lastRead: MessageJson | null;
};

/** More output for changes that can alter the inbox (edit, deletion): what both participants' views need. */
export const VIEW_COLUMNS = {
  text: `,
  (SELECT "lastSeq" FROM position) AS "lastSeq", (SELECT "lastChangeSeq" FROM position) AS "lastChangeSeq",
  ${messageJson('m."conversationId"', '(SELECT "lastSeq" FROM position)')} AS "lastMessage",
  (SELECT json_agg(json_build_object('userId', me."userId", 'unreadCount', me."unreadCount",
     'lastActivityAt', me."lastActivityAt", 'muted', me."muted", 'lastRead', ${messageJson('me."conversationId"', 'me."lastReadSeq"')}))
   FROM "Membership" me WHERE me."conversationId" = m."conversationId") AS "members"`,
  columns: {
    lastSeq: col.nullable(col.int4),
    lastChangeSeq: col.nullable(col.int4),
    lastMessage: col.nullable(col.json<MessageJson>()),
    members: col.nullable(col.json<MemberJson[]>()),
  },
};

export type ViewRow = RowOf<typeof CHANGE_ROW & typeof VIEW_COLUMNS.columns>;

export const noSuchMessage = (argument: string) =>
  notFound(`No message of your conversations has the id given in ${argument}.`);

/** What a client may see of a message: a tombstone keeps its id, participants, times and positions only. */
export function visible(message: ChatMessage): ChatMessage {
  if (!message.deletedAt) return message;
  return { ...message, content: '', reactions: [], replyToId: null, replyTo: null };
}

/** Publishes a change to both participants' sessions (messageUpdated). */
export function publishChange(pubsub: ChatPubSub, message: ChatMessage): void {
  publishMessageUpdated(pubsub, visible(message));
}

/**
 * Both participants' views of the conversation after an edit or a deletion of `message`, published when they
 * show something new: the changed message is the last one, or an unread count moved (`unread`: the recipient's
 * new count). Nothing is published when the statement's reads missed a concurrent send (it publishes its own).
 */
export function publishViews(pubsub: ChatPubSub, row: ViewRow, message: ChatMessage, unread: number | null): void {
  if (row.lastSeq === null || !row.members || row.members.length !== 2) return;
  const isLast = message.seq === row.lastSeq;
  if (!isLast && unread === null) return;
  const users = [message.sender, message.recipient];
  const current = (json: MessageJson | null) => {
    const m = fromMessageJson(json, message.conversationId, users);
    return m && visible(m.id === message.id ? message : m);
  };
  const lastMessage = isLast ? visible(message) : current(row.lastMessage);
  if (!lastMessage) return;
  const views: ConversationView[] = row.members.map((me) => {
    const peer = row.members!.find((p) => p.userId !== me.userId)!;
    return {
      id: message.conversationId,
      viewerId: me.userId,
      peer: users.find((u) => u.id === peer.userId)!,
      lastMessage,
      unreadCount: me.userId === message.recipientId && unread !== null ? unread : me.unreadCount,
      lastActivityAt: new Date(me.lastActivityAt),
      peerLastRead: current(peer.lastRead),
      lastChangeSeq: row.lastChangeSeq ?? 0,
      muted: me.muted,
    };
  });
  publishConversationUpdated(pubsub, ...views);
}

// $1 message id, $2 its conversation: a replied-to message read on its own (a reply's reply, when asked for).
export const MESSAGE_IN = statement(
  'chat_message_in',
  `SELECT ${MESSAGE_COLUMNS} FROM "Message" m ${JOIN_USERS} WHERE m."id" = $1::uuid AND m."conversationId" = $2::uuid`,
  MESSAGE_ROW,
);

/** The message `message` answers, as a client may see it (null: none, or `message` is a tombstone). */
export function replyToOf(sql: Sql, message: ChatMessage): ChatMessage | null | Promise<ChatMessage | null> {
  // Synchronous when the row carries it (every page does): a promise per message would make GraphQL complete
  // each message of a page asynchronously.
  if (message.deletedAt || message.replyToId === null) return null;
  if (message.replyTo !== undefined) return message.replyTo && visible(message.replyTo);
  return sql
    .query(MESSAGE_IN, [message.replyToId, message.conversationId])
    .then(([row]) => (row ? visible(toChatMessage(row)) : null));
}
