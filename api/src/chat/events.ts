// The chat's events: typed channels, and the one place that publishes them.
// Every event is published on the channel of each user it concerns, so a subscriber only ever listens to its own
// user's channel: nobody can subscribe to someone else's messages. Events are hints that something was committed;
// the database stays the truth (see live.ts), so a lost or repeated event never loses or doubles a message.
import type { PubSub } from 'graphql-yoga';
import type { ChatMessage } from './types.ts';

export type ChatChannels = {
  /** A message was stored (or a send was retried) in which the user is sender or recipient. */
  'user:messageAdded': [userId: string, message: ChatMessage];
};

export type ChatPubSub = PubSub<ChatChannels>;

export function publishMessageAdded(pubsub: ChatPubSub, message: ChatMessage): void {
  pubsub.publish('user:messageAdded', message.senderId, message);
  pubsub.publish('user:messageAdded', message.recipientId, message);
}
