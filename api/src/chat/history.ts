// chatHistory: keyset pagination over (conversationId, seq) — an index range scan, never OFFSET.
import type { PrismaClient } from '../db.ts';
import { badInput } from '../errors.ts';
import { findConversation, requireOtherUser } from './conversation.ts';
import { decodeMessageCursor, encodeMessageCursor } from './cursor.ts';
import { type Connection, type MessageWithUsers, withUsers } from './types.ts';
import { parsePageSize } from './validation.ts';

export const DEFAULT_HISTORY_PAGE = 50;

export type HistoryArgs = {
  withUserId: string;
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
};

export async function chatHistory(
  prisma: PrismaClient,
  viewerId: string,
  args: HistoryArgs,
): Promise<Connection<MessageWithUsers>> {
  const first = parsePageSize(args.first, 'first');
  const last = parsePageSize(args.last, 'last');
  if (first !== undefined && last !== undefined) throw badInput('Pass first or last, not both.', 'last');
  const otherId = await requireOtherUser(prisma, viewerId, args.withUserId, 'withUserId');
  const conversation = await findConversation(prisma, viewerId, otherId);

  const cursorSeq = (cursor: string | null | undefined, argument: string) => {
    if (cursor === null || cursor === undefined) return undefined;
    const position = decodeMessageCursor(cursor, argument);
    if (position.conversationId !== conversation?.id) {
      throw badInput(`${argument} is a cursor from another conversation.`, argument);
    }
    return position.seq;
  };
  const afterSeq = cursorSeq(args.after, 'after');
  const beforeSeq = cursorSeq(args.before, 'before');
  if (!conversation) return { edges: [], pageInfo: emptyPageInfo };

  const forward = first !== undefined;
  const size = first ?? last ?? DEFAULT_HISTORY_PAGE;
  const rows = await prisma.message.findMany({
    where: { conversationId: conversation.id, seq: { gt: afterSeq, lt: beforeSeq } },
    orderBy: { seq: forward ? 'asc' : 'desc' },
    take: size + 1,
    include: withUsers,
  });
  const more = rows.length > size;
  const page = rows.slice(0, size);
  if (!forward) page.reverse();

  // Whether anything lies beyond the cursor on the other side (an index-only probe: it reads seq only).
  const exists = async (seq: { lte: number } | { gte: number }) =>
    (await prisma.message.findFirst({ where: { conversationId: conversation.id, seq }, select: { seq: true } })) !== null;
  const hasPreviousPage = forward ? afterSeq !== undefined && (await exists({ lte: afterSeq })) : more;
  const hasNextPage = forward ? more : beforeSeq !== undefined && (await exists({ gte: beforeSeq }));

  const edges = page.map((node) => ({ cursor: encodeMessageCursor(node), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

const emptyPageInfo = { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null };
