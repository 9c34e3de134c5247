// markRead: marks read what `senderId` sent the viewer, optionally only up to one message. Idempotent: a second
// call changes nothing and returns count 0.
import type { PrismaClient } from '../db.ts';
import { forbidden, notFound } from '../errors.ts';
import { requireOtherUser } from './conversation.ts';
import { parseId } from './validation.ts';

export type MarkReadArgs = { senderId: string; upToMessageId?: string | null };

export async function markRead(
  prisma: PrismaClient,
  viewerId: string,
  args: MarkReadArgs,
): Promise<{ count: number; readAt: Date }> {
  const senderId = await requireOtherUser(prisma, viewerId, args.senderId, 'senderId');
  let upTo: { conversationId: string; seq: number } | undefined;
  if (args.upToMessageId !== null && args.upToMessageId !== undefined) {
    const id = parseId(args.upToMessageId, 'upToMessageId', 'message id');
    const message = await prisma.message.findUnique({
      where: { id },
      select: { conversationId: true, seq: true, senderId: true, recipientId: true },
    });
    if (!message) throw notFound('No message has the id given in upToMessageId.');
    const participants = [message.senderId, message.recipientId];
    if (!participants.includes(viewerId)) throw forbidden('upToMessageId is a message of a conversation you are not in.');
    if (!participants.includes(senderId)) {
      throw forbidden('upToMessageId is not a message of your conversation with senderId.');
    }
    upTo = { conversationId: message.conversationId, seq: message.seq };
  }
  const readAt = new Date();
  const { count } = await prisma.message.updateMany({
    where: {
      senderId,
      recipientId: viewerId,
      readAt: null,
      ...(upTo ? { conversationId: upTo.conversationId, seq: { lte: upTo.seq } } : {}),
    },
    data: { readAt },
  });
  return { count, readAt };
}
