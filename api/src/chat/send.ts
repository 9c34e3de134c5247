// sendMessage: the row is committed before anything is published or returned.
// Positions: the conversation row is upserted with `lastSeq + 1` in the same transaction as the insert, so its
// row lock serialises senders of one conversation and `seq` order is commit order (a reader that has seen seq N
// can never later find a newly committed N-1). createdAt never decreases along seq either.
// Idempotency: (senderId, clientMessageId) is unique in the database; a retry returns the stored message.
import type { PrismaClient } from '../db.ts';
import { badInput, isUniqueViolation } from '../errors.ts';
import { participantKey, requireOtherUser } from './conversation.ts';
import { type MessageWithUsers, withUsers } from './types.ts';
import { parseClientMessageId, parseContent } from './validation.ts';

/**
 * Waiting for a pooled connection (maxWait) and running (timeout) may take longer than Prisma's defaults (2 s / 5 s)
 * in a burst of sends: the conversation's row lock serialises its senders, each holding a connection. Past these,
 * the send fails with SERVICE_UNAVAILABLE (nothing stored; retry with the same clientMessageId).
 */
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 10_000 };

export type SendArgs = { recipientId: string; content: string; clientMessageId?: string | null };
/** `created` is false when a retry matched an already-stored message (nothing new to publish). */
export type SendResult = { message: MessageWithUsers; created: boolean };

export async function sendMessage(prisma: PrismaClient, senderId: string, args: SendArgs): Promise<SendResult> {
  const content = parseContent(args.content);
  const clientMessageId = parseClientMessageId(args.clientMessageId);
  const recipientId = await requireOtherUser(prisma, senderId, args.recipientId, 'recipientId');

  if (clientMessageId) {
    const existing = await findRetry(prisma, senderId, clientMessageId, recipientId, content);
    if (existing) return { message: existing, created: false };
  }
  try {
    const message = await prisma.$transaction(async (tx) => {
      const { userLowId, userHighId } = participantKey(senderId, recipientId);
      const [position] = await tx.$queryRaw<{ id: string; lastSeq: number; lastMessageAt: Date }[]>`
        INSERT INTO "Conversation" ("id", "userLowId", "userHighId", "lastSeq", "lastMessageAt")
        VALUES (gen_random_uuid(), ${userLowId}::uuid, ${userHighId}::uuid, 1, clock_timestamp())
        ON CONFLICT ("userLowId", "userHighId") DO UPDATE
          SET "lastSeq" = "Conversation"."lastSeq" + 1,
              "lastMessageAt" = GREATEST(clock_timestamp(), "Conversation"."lastMessageAt")
        RETURNING "id", "lastSeq", "lastMessageAt"`;
      return tx.message.create({
        data: {
          conversationId: position.id,
          seq: position.lastSeq,
          senderId,
          recipientId,
          content,
          clientMessageId,
          createdAt: position.lastMessageAt,
        },
        include: withUsers,
      });
    }, TRANSACTION_OPTIONS);
    return { message, created: true };
  } catch (err) {
    // A concurrent retry with the same clientMessageId committed first: answer with its row.
    if (clientMessageId && isUniqueViolation(err)) {
      const existing = await findRetry(prisma, senderId, clientMessageId, recipientId, content);
      if (existing) return { message: existing, created: false };
    }
    throw err;
  }
}

async function findRetry(
  prisma: PrismaClient,
  senderId: string,
  clientMessageId: string,
  recipientId: string,
  content: string,
): Promise<MessageWithUsers | null> {
  const existing = await prisma.message.findUnique({
    where: { senderId_clientMessageId: { senderId, clientMessageId } },
    include: withUsers,
  });
  if (existing && (existing.recipientId !== recipientId || existing.content !== content)) {
    throw badInput(
      'clientMessageId was already used for a different message (other recipient or content): use a new id.',
      'clientMessageId',
    );
  }
  return existing;
}
