import type { ApolloCache } from '@apollo/client/cache';
import { chatHistoryStoreFieldName } from '../apollo/cache';
import type { CachedConnection, CachedEdge } from '../apollo/connectionMerge';
import { edgeCursor } from './resumeCursor';

/**
 * Add one message (already written to the cache as `Message:<id>` by the
 * mutation or subscription result) to the cached conversation with `peerId`,
 * in createdAt order — normally at the bottom, but a catch-up replay can
 * arrive after a newer live message from another subscription. No-op if that
 * conversation was never loaded or already holds the message — except that
 * `resumeCursor` (the message's cursor, given only when every earlier message
 * is held) replaces a placeholder (see resumeCursor.ts).
 */
export function appendMessageToConversation(
  cache: ApolloCache,
  peerId: string,
  message: { __typename?: 'Message'; id: string },
  resumeCursor?: string,
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
        const held = connection.edges.findIndex((e) => e.node?.__ref === id);
        if (held >= 0) {
          const heldCursor = connection.edges[held]!.cursor;
          const cursor = edgeCursor(message.id, heldCursor, resumeCursor);
          if (cursor === heldCursor) return existing;
          const edges = connection.edges.map((e, i) => (i === held ? { ...e, cursor } : e));
          return { ...connection, edges } as never;
        }
        const node = toReference(id);
        if (!node) return existing;
        const edge: CachedEdge = {
          __typename: 'MessageEdge',
          cursor: edgeCursor(message.id, undefined, resumeCursor),
          node,
        };
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
