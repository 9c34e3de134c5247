import type { Message, User } from '../generated/prisma/client.ts';

/** A stored message with both participants loaded: what resolvers and events carry. */
export type MessageWithUsers = Message & { sender: User; recipient: User };

export const withUsers = { sender: true, recipient: true } as const;

export type PageInfo = {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
};

export type Connection<T> = { edges: { cursor: string; node: T }[]; pageInfo: PageInfo };
