// The event bus: in-process, or Redis pub/sub with REDIS_URL so every instance's subscribers receive every event.
// It carries any typed channels (the chat's are in chat/events.ts). Payloads cross Redis as JSON; dates are
// restored here, at the boundary, so subscribers always see the same objects an in-process publish would give.
import { createPubSub, type PubSub } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import type { Logger } from './logger.ts';
import { deliveryLag, eventBusReconnects } from './metrics/registry.ts';

type Channels = { [channel: string]: [unknown] | [string, unknown] };

/** The payload of a channel keyed by id. */
export type PayloadOf<C extends Channels, K extends keyof C> = C[K] extends [string, infer P] ? P : never;

export type EventBus<C extends Channels> = {
  pubsub: PubSub<C>;
  /**
   * A plain listener on one id's channel, on the same events as `pubsub.subscribe` (registered at once; returns
   * its removal): what a long-lived, per-user listener uses instead of an async iterator and its buffers.
   */
  listen<K extends keyof C & string>(channel: K, id: string, listener: (payload: PayloadOf<C, K>) => void): () => void;
  kind: 'in-process' | 'redis';
  /** True when events can be published and received (always, in-process). */
  isConnected(): boolean;
  /** The Redis connection for commands (throttling counters), when events go through Redis. */
  redis?: Redis;
  close(): Promise<void>;
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** JSON whose date fields (named `…At`, e.g. createdAt, readAt) come back as Dates. */
export const eventSerializer = {
  stringify: (event: unknown) => JSON.stringify(event),
  parse: (text: string) =>
    JSON.parse(text, (key, value) =>
      key.endsWith('At') && typeof value === 'string' && ISO_DATE.test(value) ? new Date(value) : value,
    ),
};

export async function createEventBus<C extends Channels>(
  redisUrl: string | undefined,
  log: Logger,
): Promise<EventBus<C>> {
  if (!redisUrl) {
    const eventTarget = new EventTarget();
    return {
      pubsub: createPubSub<C>({ eventTarget }),
      listen: listenOn(eventTarget),
      kind: 'in-process',
      isConnected: () => true,
      close: async () => {},
    };
  }
  // ioredis reconnects by itself (and re-subscribes); a publish made while disconnected is queued and sent on
  // reconnect. Messages are in the database first, so subscribers fill any gap from there (see chat/live.ts).
  // Loaded only when used (a one-instance server never needs it).
  const [{ Redis }, { createRedisEventTarget }] = await Promise.all([
    import('ioredis'),
    import('@graphql-yoga/redis-event-target'),
  ]);
  const options = { maxRetriesPerRequest: null, retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000) };
  const publishClient = new Redis(redisUrl, options);
  // No ready check on the subscriber: its INFO, sent after a SUBSCRIBE queued while connecting, is refused ("Connection
  // in subscriber mode") and that SUBSCRIBE was lost — channels subscribed at start-up ('session:ended') then never
  // heard another instance.
  const subscribeClient = new Redis(redisUrl, { ...options, enableReadyCheck: false });
  for (const [name, client] of [
    ['publish', publishClient],
    ['subscribe', subscribeClient],
  ] as const) {
    client.on('error', (err) => log.warn({ err: err.message, client: name }, 'redis error'));
    let readyBefore = false;
    client.on('ready', () => {
      log.info({ client: name }, 'redis connected');
      if (readyBefore) eventBusReconnects.inc({ client: name });
      readyBefore = true;
    });
  }
  subscribeClient.on('message', observeDeliveryLag);
  const eventTarget = createRedisEventTarget({ publishClient, subscribeClient, serializer: eventSerializer });
  return {
    pubsub: createPubSub<C>({ eventTarget }),
    listen: listenOn(eventTarget),
    kind: 'redis',
    redis: publishClient,
    isConnected: () => publishClient.status === 'ready' && subscribeClient.status === 'ready',
    close: async () => {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}

const CREATED_AT = /"createdAt":"([^"]+)"/;

/** Stored → received here, for each message event that reaches this instance from Redis (createdAt is the
 * database's clock: on one host, or hosts in NTP sync, the difference is the lag). */
function observeDeliveryLag(channel: string, text: string) {
  if (!channel.startsWith('user:messageAdded:')) return;
  const createdAt = CREATED_AT.exec(text)?.[1];
  if (createdAt) deliveryLag.observe(Math.max(0, Date.now() - Date.parse(createdAt)) / 1000);
}

/** `listen` over the event target a PubSub publishes to (its topics are `<channel>:<id>`, payloads in `detail`). */
function listenOn(target: EventTarget) {
  return <P>(channel: string, id: string, listener: (payload: P) => void) => {
    const topic = `${channel}:${id}`;
    const onEvent = (event: Event) => listener((event as CustomEvent<P>).detail);
    target.addEventListener(topic, onEvent);
    return () => target.removeEventListener(topic, onEvent);
  };
}
