// Typed pub/sub channels. Every event is published on the channel of each user it concerns, so a subscriber only
// ever listens to its own user's channel: nobody can subscribe to someone else's messages.
// With REDIS_URL, events travel through Redis pub/sub so every instance's subscribers receive them.
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub, type PubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';
import type { MessageWithUsers } from './chat/types.ts';
import type { Logger } from './logger.ts';

export type PubSubChannels = {
  /** A message was stored in which the user is sender or recipient. */
  'user:messageAdded': [userId: string, payload: MessageWithUsers];
};

export type ParleyPubSub = PubSub<PubSubChannels>;

export type EventBus = {
  pubsub: ParleyPubSub;
  kind: 'in-process' | 'redis';
  /** True when events can be published and received (always, in-process). */
  isConnected(): boolean;
  close(): Promise<void>;
};

export function createEventBus(redisUrl: string | undefined, log: Logger): EventBus {
  if (!redisUrl) {
    return { pubsub: createPubSub<PubSubChannels>(), kind: 'in-process', isConnected: () => true, close: async () => {} };
  }
  // ioredis reconnects by itself (and re-subscribes); a publish made while disconnected is queued and sent on
  // reconnect. Messages are in the database first, so subscribers fill any gap from there (see chat/live.ts).
  const options = { maxRetriesPerRequest: null, retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000) };
  const publishClient = new Redis(redisUrl, options);
  const subscribeClient = new Redis(redisUrl, options);
  for (const [name, client] of [['publish', publishClient], ['subscribe', subscribeClient]] as const) {
    client.on('error', (err) => log.warn({ err: err.message, client: name }, 'redis error'));
    client.on('ready', () => log.info({ client: name }, 'redis connected'));
  }
  return {
    pubsub: createPubSub<PubSubChannels>({ eventTarget: createRedisEventTarget({ publishClient, subscribeClient }) }),
    kind: 'redis',
    isConnected: () => publishClient.status === 'ready' && subscribeClient.status === 'ready',
    close: async () => {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}
