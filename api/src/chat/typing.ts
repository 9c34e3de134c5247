// Typing indicators: ephemeral, never stored, carried over the same pub/sub as messages (so across instances).
// A `typing: true` lapses by itself TYPING_TTL_MS after its last refresh (a crashed client never leaves "typing…"
// forever), and a message from the typist ends it. Clients refresh every ~3 s; a refresh sooner than
// MIN_REFRESH_MS after the last one published by this instance is answered but not published again.
import { LRUCache } from 'lru-cache';
import { Repeater } from 'graphql-yoga';
import { notFound } from '../errors.ts';
import { NO_SUCH_USER, parseOtherUser } from './conversation.ts';
import { publishTyping, type ChatPubSub } from './events.ts';
import type { PublicUser, TypingEvent } from './types.ts';

export const TYPING_TTL_MS = 6_000;
const MIN_REFRESH_MS = 2_000;

export type TypingDeps = { pubsub: ChatPubSub; users: { get(id: string): Promise<PublicUser | null> } };

export type Typing = {
  set(viewer: PublicUser, args: { withUserId: string; typing: boolean }): Promise<boolean>;
  /** The peer's typing state as it changes; validates `withUserId` first. */
  subscribe(viewerId: string, args: { withUserId: string }): Promise<AsyncIterable<TypingEvent>>;
};

export function createTyping(deps: TypingDeps): Typing {
  /** What this instance last published per (typist, peer), and when. */
  // At most 100,000 entries, counted through maxSize: `max` would allocate room for all of them at start.
  const published = new LRUCache<string, { typing: boolean; at: number }>({
    maxSize: 100_000,
    sizeCalculation: () => 1,
    ttl: TYPING_TTL_MS,
  });

  const requireUser = async (viewerId: string, value: string) => {
    const otherId = parseOtherUser(viewerId, value, 'withUserId');
    if (!(await deps.users.get(otherId))) throw notFound(NO_SUCH_USER('withUserId'));
    return otherId;
  };

  return {
    async set(viewer, args) {
      const otherId = await requireUser(viewer.id, args.withUserId);
      const key = `${viewer.id}:${otherId}`;
      const last = published.get(key);
      const now = Date.now();
      if (last && last.typing === args.typing && now - last.at < MIN_REFRESH_MS) return true;
      published.set(key, { typing: args.typing, at: now });
      publishTyping(deps.pubsub, {
        user: viewer,
        toUserId: otherId,
        typing: args.typing,
        expiresAt: args.typing ? new Date(now + TYPING_TTL_MS) : null,
      });
      return true;
    },

    async subscribe(viewerId, args) {
      const otherId = await requireUser(viewerId, args.withUserId);
      return new Repeater<TypingEvent>(async (push, stop) => {
        let expiry: NodeJS.Timeout | undefined;
        let typist: PublicUser | null = null; // set while the peer is shown as typing
        const update = (event: TypingEvent) => {
          clearTimeout(expiry);
          typist = event.typing ? event.user : null;
          if (event.typing && event.expiresAt) {
            const lapse = { ...event, typing: false, expiresAt: null };
            expiry = setTimeout(() => update(lapse), Math.max(0, event.expiresAt.getTime() - Date.now()));
          }
          void push(event);
        };
        const typingEvents = deps.pubsub.subscribe('user:typing', viewerId);
        const messages = deps.pubsub.subscribe('user:messageAdded', viewerId);
        const pumps = [
          (async () => {
            for await (const event of typingEvents) if (event.user.id === otherId) update(event);
          })(),
          (async () => {
            for await (const m of messages) {
              if (m.senderId === otherId && typist)
                update({ user: typist, toUserId: viewerId, typing: false, expiresAt: null });
            }
          })(),
        ];
        await stop;
        clearTimeout(expiry);
        await Promise.all([typingEvents.return?.(), messages.return?.()]);
        await Promise.allSettled(pumps);
      });
    },
  };
}
