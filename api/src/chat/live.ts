// messageAdded: the viewer's own channel, optionally narrowed to one conversation.
import { filter, pipe } from 'graphql-yoga';
import type { Context } from '../context.ts';
import type { MessageWithUsers } from './types.ts';
import { requireOtherUser } from './conversation.ts';

export async function subscribeToMessages(
  ctx: Context,
  viewerId: string,
  args: { withUserId: string | null },
): Promise<AsyncIterable<MessageWithUsers>> {
  const otherId = args.withUserId ? await requireOtherUser(ctx.prisma, viewerId, args.withUserId, 'withUserId') : null;
  const events = ctx.pubsub.subscribe('user:messageAdded', viewerId);
  if (!otherId) return events;
  return pipe(events, filter((m: MessageWithUsers) => m.senderId === otherId || m.recipientId === otherId));
}
