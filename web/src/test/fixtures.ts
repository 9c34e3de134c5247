/** Data builders shaped exactly like the server's responses (with __typename). */
export const ALICE = { __typename: 'User' as const, id: 'u-alice', username: 'alice', displayName: 'Alice Archer' };
export const BOB = { __typename: 'User' as const, id: 'u-bob', username: 'bob', displayName: 'Bob Baker' };
export const CAROL = { __typename: 'User' as const, id: 'u-carol', username: 'carol', displayName: 'Carol Chen' };

type Person = typeof ALICE;

/** A file of a message (issue #19), as Message.attachments returns it. */
export interface Attachment {
  __typename: 'Attachment';
  id: string;
  filename: string;
  contentType: string;
  byteSize: number;
  url: string;
  width: number | null;
  height: number | null;
  thumbnailUrl: string | null;
}

export function attachment(id: string, overrides: Partial<Attachment> = {}): Attachment {
  return {
    __typename: 'Attachment',
    id,
    filename: `${id}.pdf`,
    contentType: 'application/pdf',
    byteSize: 2048,
    url: `/uploads/${id}?sig=s`,
    width: null,
    height: null,
    thumbnailUrl: null,
    ...overrides,
  };
}

export function message(
  n: number | string,
  from: Person,
  overrides: Partial<{
    content: string;
    readAt: string | null;
    clientMessageId: string | null;
    createdAt: string;
    cursor: string;
    editedAt: string | null;
    deletedAt: string | null;
    updateCursor: string | null;
    reactions: Array<{ __typename: 'Reaction'; emoji: string; count: number; reactedByMe: boolean }>;
    recipient: { __typename: 'User'; id: string };
    attachments: Attachment[];
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
    // The message lifecycle (#18): never edited, not deleted, no reply, no reactions unless overridden.
    editedAt: null as string | null,
    deletedAt: null as string | null,
    updateCursor: null as string | null,
    replyTo: null,
    reactions: [] as Array<{ __typename: 'Reaction'; emoji: string; count: number; reactedByMe: boolean }>,
    sender: { ...from },
    // Alice's messages go to Bob; everyone else's to Alice (the usual viewer).
    recipient: { __typename: 'User' as const, id: from.id === ALICE.id ? BOB.id : ALICE.id },
    attachments: [] as Attachment[],
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
    muted: false,
    lastActivityAt: last.at,
    // Selected by conversationUpdated (for the open conversation's block state); nobody blocked.
    blockedByMe: false,
    blockedMe: false,
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
