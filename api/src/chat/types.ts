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
