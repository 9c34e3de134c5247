// The one shape in which statements return messages: the message's columns and both users' public fields, flat
// (cheaper to build in PostgreSQL and to read here than JSON), and the mapping to ChatMessage.
import type { ChatMessage, PublicUser } from './types.ts';

/** Select list for `"Message" m JOIN "User" s ON s.id = m."senderId" JOIN "User" r ON r.id = m."recipientId"`. */
export const MESSAGE_COLUMNS = `m."id", m."conversationId", m."seq", m."senderId", m."recipientId", m."content",
  m."clientMessageId", m."createdAt", m."readAt",
  s."username" AS "senderUsername", s."displayName" AS "senderDisplayName",
  r."username" AS "recipientUsername", r."displayName" AS "recipientDisplayName"`;

export const JOIN_USERS = `JOIN "User" s ON s."id" = m."senderId" JOIN "User" r ON r."id" = m."recipientId"`;

export type MessageRow = Omit<ChatMessage, 'sender' | 'recipient'> & {
  senderUsername: string;
  senderDisplayName: string;
  recipientUsername: string;
  recipientDisplayName: string;
};

export function toChatMessage(row: MessageRow): ChatMessage {
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
    sender: { id: row.senderId, username: row.senderUsername, displayName: row.senderDisplayName },
    recipient: { id: row.recipientId, username: row.recipientUsername, displayName: row.recipientDisplayName },
  };
}

/** A message of conversation `conv` at position `seq`, as JSON (for statements that return several messages per
 * row; the users are the conversation's two participants, known to the caller). Null when there is none. */
export const messageJson = (conv: string, seq: string) => `(SELECT json_build_object(
    'id', x."id", 'seq', x."seq", 'senderId', x."senderId", 'recipientId', x."recipientId", 'content', x."content",
    'clientMessageId', x."clientMessageId", 'createdAt', x."createdAt", 'readAt', x."readAt")
  FROM "Message" x WHERE x."conversationId" = ${conv} AND x."seq" = ${seq})`;

export type MessageJson = Omit<ChatMessage, 'conversationId' | 'sender' | 'recipient' | 'createdAt' | 'readAt'> & {
  createdAt: string;
  readAt: string | null;
};

/** A message from messageJson, with its participants. */
export function fromMessageJson(
  json: MessageJson | null,
  conversationId: string,
  users: readonly PublicUser[],
): ChatMessage | null {
  if (!json) return null;
  const user = (id: string) => users.find((u) => u.id === id)!;
  return {
    ...json,
    conversationId,
    createdAt: new Date(json.createdAt),
    readAt: json.readAt === null ? null : new Date(json.readAt),
    sender: user(json.senderId),
    recipient: user(json.recipientId),
  };
}
