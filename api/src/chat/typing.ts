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

export type TypingDeps = {
  pubsub: ChatPubSub;
  users: { get(id: string): Promise<PublicUser | null> };
  /** Whether either of two users blocked the other: then typing is not passed on (users/blocks.ts). */
  blocks?: { between(a: string, b: string): Promise<boolean> };
};

export type Typing = {
  set(viewer: PublicUser, args: { withUserId: string; typing: boolean }): Promise<boolean>;
  /**
   * Typing to the viewer as it changes: from `withUserId` only (validated first), or without it from anyone (each
   * event names its typist).
   */
  subscribe(viewerId: string, args: { withUserId?: string | null }): Promise<AsyncIterable<TypingEvent>>;
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
      // Answered as usual, so a blocked typist cannot tell: nothing is passed on.
      if (await deps.blocks?.between(viewer.id, otherId)) return true;
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
      const otherId = args.withUserId ? await requireUser(viewerId, args.withUserId) : null;
      return new Repeater<TypingEvent>(async (push, stop) => {
        // Who is shown as typing (to this subscriber), with the timer that ends it if no refresh comes.
        const typists = new Map<string, { user: PublicUser; expiry?: NodeJS.Timeout }>();
        const update = (event: TypingEvent) => {
          const id = event.user.id;
          clearTimeout(typists.get(id)?.expiry);
          typists.delete(id);
          if (event.typing) {
            const lapse = { ...event, typing: false, expiresAt: null };
            const wait = event.expiresAt ? Math.max(0, event.expiresAt.getTime() - Date.now()) : TYPING_TTL_MS;
            typists.set(id, { user: event.user, expiry: setTimeout(() => update(lapse), wait) });
          }
          void push(event);
        };
        const follows = (userId: string) => otherId === null || userId === otherId;
        const typingEvents = deps.pubsub.subscribe('user:typing', viewerId);
        const messages = deps.pubsub.subscribe('user:messageAdded', viewerId);
        const pumps = [
          (async () => {
            for await (const event of typingEvents) if (follows(event.user.id)) update(event);
          })(),
          (async () => {
            // A message from someone shown as typing ends their typing.
            for await (const m of messages) {
              const typist = typists.get(m.senderId);
              if (typist) update({ user: typist.user, toUserId: viewerId, typing: false, expiresAt: null });
            }
          })(),
        ];
        await stop;
        for (const typist of typists.values()) clearTimeout(typist.expiry);
        await Promise.all([typingEvents.return?.(), messages.return?.()]);
        await Promise.allSettled(pumps);
      });
    },
  };
}
