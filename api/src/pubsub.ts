// Typed pub/sub channels. Every event is published on the channel of each user it concerns, so a subscriber only
// ever listens to its own user's channel: nobody can subscribe to someone else's messages.
import { createPubSub, type PubSub } from 'graphql-yoga';
import type { MessageWithUsers } from './chat/types.ts';

export type PubSubChannels = {
  /** A message was stored in which the user is sender or recipient. */
  'user:messageAdded': [userId: string, payload: MessageWithUsers];
};

export type ParleyPubSub = PubSub<PubSubChannels>;

export function createParleyPubSub(): ParleyPubSub {
  return createPubSub<PubSubChannels>();
}
