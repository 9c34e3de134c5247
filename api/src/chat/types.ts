// What the chat domain hands to resolvers and events: plain rows, users reduced to their public fields (a password
// hash never leaves the accounts module, never crosses pub/sub).

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
  sender: PublicUser;
  recipient: PublicUser;
};

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
