import { InMemoryCache } from '@apollo/client/cache';
import { relayConnectionPolicy } from './connectionMerge';

const CHAT_HISTORY_KEY_ARGS = ['withUserId'];

export function chatHistoryStoreFieldName(withUserId: string): string {
  // Matches how InMemoryCache names a field stored under keyArgs ['withUserId'].
  return `chatHistory:${JSON.stringify({ withUserId })}`;
}

export function createCache() {
  return new InMemoryCache({
    typePolicies: {
      Query: {
        fields: {
          // One conversation per peer; pages (last/before) merge into it.
          chatHistory: relayConnectionPolicy(CHAT_HISTORY_KEY_ARGS),
          // Search results are per search term; paging is not used by the UI yet.
          users: { keyArgs: ['search'] },
        },
      },
      Message: {
        fields: {
          // Read is one-way: a late or re-delivered copy of a message (e.g. a
          // subscription replay) must not turn a known readAt back into null.
          readAt: {
            merge: (existing: string | null | undefined, incoming: string | null) => incoming ?? existing ?? null,
          },
        },
      },
      // Connections/edges/pageInfo have no identity of their own.
      MessageConnection: { keyFields: false },
      MessageEdge: { keyFields: false },
      UserConnection: { keyFields: false },
      UserEdge: { keyFields: false },
      PageInfo: { keyFields: false },
      MarkReadPayload: { keyFields: false },
      AuthPayload: { keyFields: false },
    },
  });
}
