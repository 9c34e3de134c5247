import type { ApolloCache } from '@apollo/client/cache';
import { chatHistoryStoreFieldName } from '../apollo/cache';
import type { CachedConnection, CachedEdge } from '../apollo/connectionMerge';

/**
 * Append one message (already written to the cache as `Message:<id>` by the
 * mutation or subscription result) to the bottom of the cached conversation
 * with `peerId`. No-op if that conversation was never loaded or already holds it.
 */
export function appendMessageToConversation(
  cache: ApolloCache,
  peerId: string,
  message: { __typename?: 'Message'; id: string },
): void {
  const id = cache.identify({ __typename: 'Message', id: message.id });
  if (!id) return;
  const target = chatHistoryStoreFieldName(peerId);
  cache.modify<{ chatHistory: CachedConnection }>({
    id: 'ROOT_QUERY',
    fields: {
      chatHistory(existing, { storeFieldName, toReference }) {
        if (storeFieldName !== target || !existing) return existing;
        const connection = existing as unknown as CachedConnection;
        if (connection.edges.some((e) => e.node?.__ref === id)) return existing;
        const node = toReference(id);
        if (!node) return existing;
        // The server's cursor for this message is unknown until the next page
        // fetch; this placeholder is never sent back (paging uses pageInfo).
        const edge: CachedEdge = { __typename: 'MessageEdge', cursor: `live:${message.id}`, node };
        return { ...connection, edges: [...connection.edges, edge] } as never;
      },
    },
  });
}

/** Mark messages as read in the cache after a successful markRead. */
export function setReadAt(cache: ApolloCache, messageIds: string[], readAt: string): void {
  for (const id of messageIds) {
    cache.modify({
      id: cache.identify({ __typename: 'Message', id }),
      fields: { readAt: (current) => current ?? readAt },
    });
  }
}
