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

/** One conversation of the inbox as `conversations` and `conversationUpdated` return it. */
export function inboxConversation(
  peer: Person,
  last: { id: string; content: string; from: Person; at: string },
  unreadCount = 0,
) {
  return {
    __typename: 'Conversation' as const,
    id: `conv-${peer.id}`,
    unreadCount,
    lastActivityAt: last.at,
    peer: { ...peer },
    lastMessage: {
      __typename: 'Message' as const,
      id: last.id,
      content: last.content,
      createdAt: last.at,
      sender: { __typename: 'User' as const, id: last.from.id },
    },
  };
}

/** The inbox query's answer. */
export function inbox(
  conversations: ReturnType<typeof inboxConversation>[],
  unreadCount = conversations.reduce((sum, c) => sum + c.unreadCount, 0),
  pageInfo: Partial<{ hasNextPage: boolean; endCursor: string | null }> = {},
) {
  return {
    conversations: {
      __typename: 'ConversationConnection' as const,
      edges: conversations.map((node) => ({ __typename: 'ConversationEdge' as const, cursor: `c-${node.id}`, node })),
      pageInfo: {
        __typename: 'PageInfo' as const,
        hasNextPage: pageInfo.hasNextPage ?? false,
        endCursor: pageInfo.endCursor ?? (conversations.length ? `c-${conversations.at(-1)!.id}` : null),
      },
    },
    unreadCount,
  };
}
