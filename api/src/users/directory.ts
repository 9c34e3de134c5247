// users(search:): people to start a chat with, ordered by username, keyset-paged by username. Deleted accounts are
// never listed, nor the people the viewer blocked (users/blocks.ts).
import type { PublicUser } from './types.ts';
import type { PrismaClient } from '../db/index.ts';
import { badInput } from '../errors.ts';
import { connection, parsePageSize, type Connection } from '../paging.ts';

export const DEFAULT_USERS_PAGE = 20;

const encode = (username: string) => Buffer.from(`u:${username}`).toString('base64url');
function decode(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  // A cursor this API made holds a username (see accounts.ts): anything else is refused before any query.
  if (!/^u:[a-z0-9._-]{1,64}$/.test(decoded)) throw badInput('after is not a cursor returned by users.', 'after');
  return decoded.slice(2);
}

// LIKE wildcards in what the user typed are literal characters.
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function searchUsers(
  prisma: PrismaClient,
  viewerId: string,
  args: { search?: string | null; first?: number | null; after?: string | null },
): Promise<Connection<PublicUser>> {
  const size = parsePageSize(args.first, 'first') ?? DEFAULT_USERS_PAGE;
  const search = (args.search ?? '').trim();
  if (search.length > 100) throw badInput('search must be at most 100 characters.', 'search');
  const after = args.after ? decode(args.after) : undefined;
  const pattern = escapeLike(search);
  const rows = await prisma.user.findMany({
    where: {
      id: { not: viewerId },
      deletedAt: null,
      blockedBy: { none: { blockerId: viewerId } },
      username: after ? { gt: after } : undefined,
      ...(search
        ? {
            OR: [
              { username: { contains: pattern, mode: 'insensitive' } },
              { displayName: { contains: pattern, mode: 'insensitive' } },
            ],
          }
        : {}),
    },
    orderBy: { username: 'asc' },
    take: size + 1,
    select: { id: true, username: true, displayName: true },
  });
  return connection(rows.slice(0, size), (user) => encode(user.username), {
    hasNextPage: rows.length > size,
    hasPreviousPage: after !== undefined,
  });
}
