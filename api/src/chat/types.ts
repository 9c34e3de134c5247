// What the chat domain hands to resolvers and events: plain rows, users reduced to their public fields (a password
// hash never leaves the accounts module, never crosses pub/sub).

import type { AttachmentRecord } from '../attachments/types.ts';
import type { PublicUser } from '../users/types.ts';

export type { PublicUser };

/** A stored message with both participants. */
export type ChatMessage = {
  id: string;
  conversationId: string;
  /** Position in its conversation: 1, 2, 3… in commit order, without gaps. */
  seq: number;
  senderId: string;
  recipientId: string;
  content: string;
  clientMessageId: string | null;
  createdAt: Date;
  readAt: Date | null;
  /** When the text was last edited; null if never. */
  editedAt: Date | null;
  /** When it was deleted (a tombstone: content "", no reactions, no replyTo); null if not. */
  deletedAt: Date | null;
  /** Position of its latest change in the conversation's change log; null if never changed. */
  changeSeq: number | null;
  /** The message of the same conversation this one answers. */
  replyToId: string | null;
  /** That message, when loaded with this one (undefined: not loaded; null: none). */
  replyTo?: ChatMessage | null;
  /** Emoji in the order each was first added, with who added them (the participants). */
  reactions: ReactionGroup[];
  sender: PublicUser;
  recipient: PublicUser;
  /** Its attachments, when the statement that read it loaded them (undefined: look them up). */
  attachments?: AttachmentRecord[];
};

/** One emoji on a message and the users who added it (in the order they did). */
export type ReactionGroup = { emoji: string; userIds: string[] };

/** A conversation as one participant (the viewer) sees it. */
export type ConversationView = {
  id: string;
  viewerId: string;
  peer: PublicUser;
  lastMessage: ChatMessage;
  /** The peer's messages to the viewer not read yet. */
  unreadCount: number;
  lastActivityAt: Date;
  /** The newest of the viewer's own messages that the peer has read. */
  peerLastRead: ChatMessage | null;
  /** The conversation's latest position in its change log (0: nothing changed yet). */
  lastChangeSeq: number;
  /** The viewer muted it (setConversationMuted): no Web Push for it. */
  muted: boolean;
};

/** markRead marked something: who read, up to which message, as one participant sees it. */
export type ReadReceipt = {
  conversation: ConversationView;
  reader: PublicUser;
  upTo: ChatMessage;
  readAt: Date;
  count: number;
};

/** Someone started or stopped typing to the viewer. Never stored. */
export type TypingEvent = {
  user: PublicUser;
  /** To whom they type. */
  toUserId: string;
  typing: boolean;
  /** When `typing: true` lapses without a refresh; null when typing is false. */
  expiresAt: Date | null;
};
