/** Data builders shaped exactly like the server's responses (with __typename). */
export const ALICE = { __typename: 'User' as const, id: 'u-alice', username: 'alice', displayName: 'Alice Archer' };
export const BOB = { __typename: 'User' as const, id: 'u-bob', username: 'bob', displayName: 'Bob Baker' };
export const CAROL = { __typename: 'User' as const, id: 'u-carol', username: 'carol', displayName: 'Carol Chen' };

type Person = typeof ALICE;

export function message(
  n: number | string,
  from: Person,
  overrides: Partial<{
    content: string;
    readAt: string | null;
    clientMessageId: string | null;
    createdAt: string;
    cursor: string;
  }> = {},
) {
  const minute = typeof n === 'number' ? n : 0;
  return {
    __typename: 'Message' as const,
    id: `m${n}`,
    cursor: `c-m${n}`,
    clientMessageId: null as string | null,
    content: `Message ${n}`,
    createdAt: new Date(Date.UTC(2026, 10, 25, 9, 0) + minute * 60_000).toISOString(),
    readAt: null as string | null,
    sender: { ...from },
    ...overrides,
  };
}

export function connection(
  messages: ReturnType<typeof message>[],
  pageInfo: Partial<{ hasPreviousPage: boolean; hasNextPage: boolean }> = {},
) {
  return {
    __typename: 'MessageConnection' as const,
    edges: messages.map((node) => ({ __typename: 'MessageEdge' as const, cursor: `c-${node.id}`, node })),
    pageInfo: {
      __typename: 'PageInfo' as const,
      hasPreviousPage: pageInfo.hasPreviousPage ?? false,
      hasNextPage: pageInfo.hasNextPage ?? false,
      startCursor: messages.length ? `c-${messages[0]!.id}` : null,
      endCursor: messages.length ? `c-${messages.at(-1)!.id}` : null,
    },
  };
}
