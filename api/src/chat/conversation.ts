// A conversation is identified by its two participants, stored in a fixed order so each pair has one row.
import type { PrismaClient } from '../db.ts';
import { badInput, notFound } from '../errors.ts';
import { parseId } from './validation.ts';

export function participantKey(a: string, b: string) {
  return a < b ? { userLowId: a, userHighId: b } : { userLowId: b, userHighId: a };
}

export function findConversation(prisma: PrismaClient, a: string, b: string) {
  return prisma.conversation.findUnique({ where: { userLowId_userHighId: participantKey(a, b) } });
}

/** Validates an argument naming the other participant: a real user who is not the viewer. */
export async function requireOtherUser(
  prisma: PrismaClient,
  viewerId: string,
  value: string,
  argument: string,
): Promise<string> {
  const otherId = parseId(value, argument, 'user id');
  if (otherId === viewerId) throw badInput(`${argument} is you: conversations are between two different users.`, argument);
  const exists = await prisma.user.findUnique({ where: { id: otherId }, select: { id: true } });
  if (!exists) throw notFound(`No user has the id given in ${argument}.`);
  return otherId;
}
