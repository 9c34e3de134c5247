// The one shape in which statements return messages: the message's columns and both users' public fields, flat
// (cheaper to build in PostgreSQL and to read here than JSON), and the mapping to ChatMessage. Reactions and the
// replied-to message come in the same row (aggregated by the statement itself: no per-message query), and only
// cost a look-up for messages that have them (reactions are kept on the message row).
import { attachmentsOf, ATTACHMENTS_OF_M, type AttachmentRecord } from '../attachments/types.ts';
import { col, type RowOf } from '../db/sql.ts';
import type { ChatMessage, PublicUser, ReactionGroup } from './types.ts';

/** Message alias `a`'s own columns as JSON pairs (without conversationId, known to the caller). */
const jsonPairs = (a: string) => `'id', ${a}."id", 'seq', ${a}."seq", 'senderId', ${a}."senderId",
    'recipientId', ${a}."recipientId", 'content', ${a}."content", 'clientMessageId', ${a}."clientMessageId",
    'createdAt', ${a}."createdAt", 'readAt', ${a}."readAt", 'editedAt', ${a}."editedAt", 'deletedAt', ${a}."deletedAt",
    'changeSeq', ${a}."changeSeq", 'replyToId', ${a}."replyToId", 'reactions', ${a}."reactions"`;

/** Message alias `a`'s own columns, named as jsonPairs names them. */
const ownColumns = (a: string) => `${a}."id", ${a}."seq", ${a}."senderId", ${a}."recipientId", ${a}."content",
    ${a}."clientMessageId", ${a}."createdAt", ${a}."readAt", ${a}."editedAt", ${a}."deletedAt", ${a}."changeSeq",
    ${a}."replyToId", ${a}."reactions"`;

/** The message that message alias `a` answers, as JSON (its own replyTo is not loaded): the row made JSON whole
 * (row_to_json), about a fifth cheaper in PostgreSQL than json_build_object of its pairs, and more compact. */
const replyToOf = (a: string) => `CASE WHEN ${a}."replyToId" IS NULL THEN NULL ELSE (
    SELECT row_to_json(y) FROM (SELECT ${ownColumns('y')} FROM "Message" y WHERE y."id" = ${a}."replyToId") y) END`;

/** Select list for `"Message" m JOIN "User" s ON s.id = m."senderId" JOIN "User" r ON r.id = m."recipientId"`. */
export const MESSAGE_COLUMNS = `m."id", m."conversationId", m."seq", m."senderId", m."recipientId", m."content",
  m."clientMessageId", m."createdAt", m."readAt", m."editedAt", m."deletedAt", m."changeSeq", m."replyToId",
  m."reactions", ${replyToOf('m')} AS "replyTo",
  s."username" AS "senderUsername", s."displayName" AS "senderDisplayName",
  r."username" AS "recipientUsername", r."displayName" AS "recipientDisplayName",
  ${ATTACHMENTS_OF_M} AS "attachments"`;

export const JOIN_USERS = `JOIN "User" s ON s."id" = m."senderId" JOIN "User" r ON r."id" = m."recipientId"`;

/** What MESSAGE_COLUMNS returns, in its order (checked by api/test/statement-types.test.ts). */
export const MESSAGE_ROW = {
  id: col.uuid,
  conversationId: col.uuid,
  seq: col.int4,
  senderId: col.uuid,
  recipientId: col.uuid,
  content: col.text,
  clientMessageId: col.nullable(col.text),
  createdAt: col.timestamptz,
  readAt: col.nullable(col.timestamptz),
  editedAt: col.nullable(col.timestamptz),
  deletedAt: col.nullable(col.timestamptz),
  changeSeq: col.nullable(col.int4),
  replyToId: col.nullable(col.uuid),
  reactions: col.jsonb<ReactionGroup[]>(),
  replyTo: col.nullable(col.json<MessageJson>()),
  senderUsername: col.text,
  senderDisplayName: col.text,
  recipientUsername: col.text,
  recipientDisplayName: col.text,
  attachments: col.json<AttachmentRecord[]>(),
};

export type MessageRow = RowOf<typeof MESSAGE_ROW>;

export function toChatMessage(row: MessageRow): ChatMessage {
  const sender = { id: row.senderId, username: row.senderUsername, displayName: row.senderDisplayName };
  const recipient = { id: row.recipientId, username: row.recipientUsername, displayName: row.recipientDisplayName };
  return {
    id: row.id,
    conversationId: row.conversationId,
    seq: row.seq,
    senderId: row.senderId,
    recipientId: row.recipientId,
    content: row.content,
    clientMessageId: row.clientMessageId,
    createdAt: row.createdAt,
    readAt: row.readAt,
    editedAt: row.editedAt,
    deletedAt: row.deletedAt,
    changeSeq: row.changeSeq,
    replyToId: row.replyToId,
    replyTo: row.replyToId === null ? null : fromMessageJson(row.replyTo, row.conversationId, [sender, recipient]),
    reactions: row.reactions,
    sender,
    recipient,
    attachments: row.attachments,
  };
}

/** A message of conversation `conv` at position `seq`, as JSON (for statements that return several messages per
 * row; the users are the conversation's two participants, known to the caller). Null when there is none. */
export const messageJson = (conv: string, seq: string) => `(SELECT json_build_object(${jsonPairs('x')},
    'replyTo', ${replyToOf('x')}, 'attachments', ${attachmentsOf('x')})
  FROM "Message" x WHERE x."conversationId" = ${conv} AND x."seq" = ${seq})`;

export type MessageJson = Omit<
  ChatMessage,
  'conversationId' | 'sender' | 'recipient' | 'createdAt' | 'readAt' | 'editedAt' | 'deletedAt' | 'replyTo'
> & {
  createdAt: string;
  readAt: string | null;
  editedAt: string | null;
  deletedAt: string | null;
  reactions: ReactionGroup[];
  replyTo?: MessageJson | null;
};

const date = (value: string | null) => (value === null ? null : new Date(value));

/** A message from messageJson, with its participants. Built field by field: a history page builds one per quoted
 * message, and an object rest/spread over the JSON's keys cost several times as much. */
export function fromMessageJson(
  json: MessageJson | null,
  conversationId: string,
  users: readonly PublicUser[],
): ChatMessage | null {
  if (!json) return null;
  const user = (id: string) => (users[0]!.id === id ? users[0]! : users.find((u) => u.id === id)!);
  const message: ChatMessage = {
    id: json.id,
    conversationId,
    seq: json.seq,
    senderId: json.senderId,
    recipientId: json.recipientId,
    content: json.content,
    clientMessageId: json.clientMessageId,
    createdAt: new Date(json.createdAt),
    readAt: date(json.readAt),
    editedAt: date(json.editedAt),
    deletedAt: date(json.deletedAt),
    changeSeq: json.changeSeq,
    replyToId: json.replyToId,
    reactions: json.reactions,
    sender: user(json.senderId),
    recipient: user(json.recipientId),
  };
  // Not loaded with a replied-to message of its own (undefined): the resolver reads it when asked.
  if (json.replyTo !== undefined)
    message.replyTo = json.replyToId === null ? null : fromMessageJson(json.replyTo, conversationId, users);
  if (json.attachments !== undefined) message.attachments = json.attachments;
  return message;
}
