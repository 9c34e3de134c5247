// messageAdded: the viewer's own channel, narrowed to one conversation when asked, delivered exactly once and in
// commit order per conversation.
//
// Events are treated as hints, the database as the truth. `seq` is gapless within a conversation (it is taken
// under the conversation's row lock in the inserting transaction, so a rolled-back send leaves no hole). The
// stream remembers the last seq it delivered per conversation: an event at or below it is a duplicate and is
// dropped; an event above last+1 means something was missed (an event lost in Redis, a publish from another
// instance that overtook an earlier one, a subscription registered a moment late) and the gap is read from the
// database first. Catch-up (`after`) is the same gap-fill, started from the cursor.
import { Repeater } from 'graphql-yoga';
import type { PrismaClient } from '../db.ts';
import type { Context } from '../context.ts';
import { badInput } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { findConversation, requireOtherUser } from './conversation.ts';
import { decodeMessageCursor } from './cursor.ts';
import { type MessageWithUsers, withUsers } from './types.ts';

const FILL_PAGE = 100;
/** When to re-check the database after subscribing (covers a pub/sub subscription that took effect late). */
const RESYNC_AFTER_MS = 1_000;
const RESYNC_EVERY_MS = 60_000;

export type MessageAddedArgs = { withUserId?: string | null; after?: string | null };

export async function subscribeToMessages(
  ctx: Context,
  viewerId: string,
  args: MessageAddedArgs,
): Promise<AsyncIterable<MessageWithUsers>> {
  const otherId = args.withUserId ? await requireOtherUser(ctx.prisma, viewerId, args.withUserId, 'withUserId') : null;
  let after: { conversationId: string; seq: number } | null = null;
  if (args.after) {
    if (!otherId) throw badInput('after needs withUserId: a cursor is a position in one conversation.', 'after');
    const position = decodeMessageCursor(args.after, 'after');
    const conversation = await findConversation(ctx.prisma, viewerId, otherId);
    if (position.conversationId !== conversation?.id) {
      throw badInput('after is a cursor from another conversation.', 'after');
    }
    after = position;
  }
  return orderedMessages({
    source: ctx.pubsub.subscribe('user:messageAdded', viewerId),
    prisma: ctx.prisma,
    log: ctx.log,
    viewerId,
    otherId,
    after,
  });
}

type StreamOptions = {
  source: AsyncIterable<MessageWithUsers>;
  prisma: PrismaClient;
  log: Logger;
  viewerId: string;
  otherId: string | null;
  after: { conversationId: string; seq: number } | null;
};

function orderedMessages(opts: StreamOptions): AsyncIterable<MessageWithUsers> {
  const { prisma, viewerId, otherId } = opts;
  const concerns = (m: MessageWithUsers) => !otherId || m.senderId === otherId || m.recipientId === otherId;
  const myConversations = () =>
    prisma.conversation.findMany({
      where: otherId
        ? { userLowId: viewerId < otherId ? viewerId : otherId, userHighId: viewerId < otherId ? otherId : viewerId }
        : { OR: [{ userLowId: viewerId }, { userHighId: viewerId }] },
      select: { id: true, lastSeq: true },
    });

  return new Repeater<MessageWithUsers>(async (push, stop) => {
    /** Highest seq delivered (or known to predate the subscription) per conversation; absent = 0. */
    const delivered = new Map<string, number>();
    let work = Promise.resolve();
    // All work runs one task at a time, in arrival order, so deliveries never interleave.
    const enqueue = (task: () => Promise<void>) => {
      work = work.then(task).catch((err) => {
        opts.log.error({ err }, 'messageAdded stream failed');
        stop(err);
      });
    };
    const deliver = async (m: MessageWithUsers) => {
      delivered.set(m.conversationId, m.seq);
      await push(m);
    };
    const fill = async (conversationId: string, upTo?: number) => {
      for (;;) {
        const rows = await prisma.message.findMany({
          where: { conversationId, seq: { gt: delivered.get(conversationId) ?? 0, lte: upTo } },
          orderBy: { seq: 'asc' },
          take: FILL_PAGE,
          include: withUsers,
        });
        for (const row of rows) await deliver(row);
        if (rows.length < FILL_PAGE) return;
      }
    };
    const resync = async () => {
      for (const c of await myConversations()) {
        if (c.lastSeq > (delivered.get(c.id) ?? 0)) await fill(c.id, c.lastSeq);
      }
    };

    // 1. Listen first (pulling once registers the listener), so nothing committed from here on can be missed.
    const live = opts.source[Symbol.asyncIterator]();
    const pump = (async () => {
      for (;;) {
        const next = await live.next();
        if (next.done) return;
        const m = hydrate(next.value);
        if (!concerns(m)) continue;
        enqueue(async () => {
          const last = delivered.get(m.conversationId) ?? 0;
          if (m.seq <= last) return; // already delivered (replayed, or a duplicate event)
          if (m.seq > last + 1) await fill(m.conversationId, m.seq - 1);
          await deliver(m);
        });
      }
    })();
    // 2. Then take the starting line: the catch-up cursor, or what already exists (not "added" for this stream).
    enqueue(async () => {
      if (opts.after) delivered.set(opts.after.conversationId, opts.after.seq);
      for (const c of await myConversations()) {
        if (!(opts.after && c.id === opts.after.conversationId)) delivered.set(c.id, c.lastSeq);
      }
      if (opts.after) await fill(opts.after.conversationId);
    });
    const first = setTimeout(() => enqueue(resync), RESYNC_AFTER_MS);
    const every = setInterval(() => enqueue(resync), RESYNC_EVERY_MS);

    await stop;
    clearTimeout(first);
    clearInterval(every);
    await live.return?.();
    await pump.catch(() => {});
  });
}

/** Events that crossed Redis arrive as JSON: restore the dates. */
function hydrate(m: MessageWithUsers): MessageWithUsers {
  if (m.createdAt instanceof Date) return m;
  return {
    ...m,
    createdAt: new Date(m.createdAt),
    readAt: m.readAt ? new Date(m.readAt) : null,
  };
}
