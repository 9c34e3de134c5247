import type { ApolloCache } from '@apollo/client/cache';
import { chatHistoryStoreFieldName } from '../apollo/cache';
import type { CachedConnection, CachedEdge } from '../apollo/connectionMerge';

/**
 * Edges appended from a mutation or subscription result get this placeholder
 * cursor: the server's cursor for a message only comes with chatHistory pages.
 * It is never sent back to the server.
 */
const LIVE_CURSOR_PREFIX = 'live:';

export function isServerCursor(cursor: string): boolean {
  return !cursor.startsWith(LIVE_CURSOR_PREFIX);
}

/** The cursor of the newest message we hold whose server cursor we know. */
export function newestServerCursor(edges: ReadonlyArray<{ cursor: string }>): string | undefined {
  for (let i = edges.length - 1; i >= 0; i--) {
    if (isServerCursor(edges[i]!.cursor)) return edges[i]!.cursor;
  }
  return undefined;
}

/**
 * Add one message (already written to the cache as `Message:<id>` by the
 * mutation or subscription result) to the cached conversation with `peerId`,
 * in createdAt order — normally at the bottom, but a catch-up replay can
 * arrive after a newer live message from another subscription. No-op if that
 * conversation was never loaded or already holds the message.
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
      chatHistory(existing, { storeFieldName, toReference, readField }) {
        if (storeFieldName !== target || !existing) return existing;
        const connection = existing as unknown as CachedConnection;
        if (connection.edges.some((e) => e.node?.__ref === id)) return existing;
        const node = toReference(id);
        if (!node) return existing;
        const edge: CachedEdge = { __typename: 'MessageEdge', cursor: `${LIVE_CURSOR_PREFIX}${message.id}`, node };
        const createdAt = readField<string>('createdAt', node) ?? '';
        let at = connection.edges.length;
        while (at > 0 && (readField<string>('createdAt', connection.edges[at - 1]!.node) ?? '') > createdAt) at--;
        const edges = [...connection.edges.slice(0, at), edge, ...connection.edges.slice(at)];
        return { ...connection, edges } as never;
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
