// The chat's events: typed channels, and the one place that publishes them.
// Every event is published on the channel of each user it concerns, as that user sees it, so a subscriber only
// ever listens to its own user's channel: nobody can subscribe to someone else's conversations. Message events
// are hints that something was committed; the database stays the truth (see live.ts), so a lost or repeated event
// never loses or doubles a message. Conversation, receipt and typing events are state: a client that reconnects
// refetches it.
import { filter, pipe, type PubSub } from 'graphql-yoga';
import type { ChatMessage, ConversationView, ReadReceipt, TypingEvent } from './types.ts';

export type ChatChannels = {
  /** A message was stored (or a send was retried) in which the user is sender or recipient. */
  'user:messageAdded': [userId: string, message: ChatMessage];
  /** A message of the user's was edited, deleted or reacted to: its new state, with its change position. */
  'user:messageUpdated': [userId: string, message: ChatMessage];
  /** One of the user's conversations changed (a message either way, a read either way), as the user sees it. */
  'user:conversationUpdated': [userId: string, conversation: ConversationView];
  /** Messages were marked read in one of the user's conversations (by the peer, or by another session). */
  'user:messagesRead': [userId: string, receipt: ReadReceipt];
  /** Someone started or stopped typing to the user. */
  'user:typing': [userId: string, event: TypingEvent];
};

export type ChatPubSub = PubSub<ChatChannels>;

export function publishMessageAdded(pubsub: ChatPubSub, message: ChatMessage): void {
  pubsub.publish('user:messageAdded', message.senderId, message);
  pubsub.publish('user:messageAdded', message.recipientId, message);
}

/** A message's new state (after an edit, a deletion, a reaction), to both participants. */
export function publishMessageUpdated(pubsub: ChatPubSub, message: ChatMessage): void {
  pubsub.publish('user:messageUpdated', message.senderId, message);
  pubsub.publish('user:messageUpdated', message.recipientId, message);
}

/** Each participant's view of a conversation that changed. */
export function publishConversationUpdated(pubsub: ChatPubSub, ...views: ConversationView[]): void {
  for (const view of views) pubsub.publish('user:conversationUpdated', view.viewerId, view);
}

/** A read, to the reader's sessions and the sender's, each with their view of the conversation. */
export function publishMessagesRead(pubsub: ChatPubSub, ...receipts: ReadReceipt[]): void {
  for (const receipt of receipts) pubsub.publish('user:messagesRead', receipt.conversation.viewerId, receipt);
}

export function publishTyping(pubsub: ChatPubSub, event: TypingEvent): void {
  pubsub.publish('user:typing', event.toUserId, event);
}

/** The viewer's conversation updates. */
export const conversationUpdates = (pubsub: ChatPubSub, viewerId: string) =>
  pubsub.subscribe('user:conversationUpdated', viewerId);

/** The viewer's read receipts, only those of the conversation with `peerId` when given. */
export const readReceipts = (pubsub: ChatPubSub, viewerId: string, peerId: string | null) =>
  pipe(
    pubsub.subscribe('user:messagesRead', viewerId),
    filter((receipt: ReadReceipt) => !peerId || receipt.conversation.peer.id === peerId),
  );
