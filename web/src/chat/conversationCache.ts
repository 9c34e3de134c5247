import type { ApolloCache } from '@apollo/client/cache';
import { chatHistoryStoreFieldName } from '../apollo/cache';
import type { CachedConnection, CachedEdge } from '../apollo/connectionMerge';

/**
 * An edge's cursor is also where the conversation's subscription resumes, so
 * it must only be a server cursor when every message before it is held too:
 * true for chatHistory pages and for what the conversation's own subscription
 * delivers (it replays from the last cursor held). A message that arrived
 * another way (the sendMessage answer, the all-conversations stream) may be
 * ahead of a gap, so its edge gets this placeholder until the conversation's
 * subscription delivers it too. Placeholders are never sent to the server.
 */
const LIVE_CURSOR_PREFIX = 'live:';

export function isServerCursor(cursor: string): boolean {
  return !cursor.startsWith(LIVE_CURSOR_PREFIX);
}

/** The newest cursor we can resume from (see LIVE_CURSOR_PREFIX). */
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
 * conversation was never loaded or already holds the message — except that
 * `resumeCursor` (the message's cursor, given only when every earlier message
 * is held) replaces a placeholder.
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
          if (!resumeCursor || isServerCursor(connection.edges[held]!.cursor)) return existing;
          const edges = connection.edges.map((e, i) => (i === held ? { ...e, cursor: resumeCursor } : e));
          return { ...connection, edges } as never;
        }
        const node = toReference(id);
        if (!node) return existing;
        const cursor = resumeCursor ?? `${LIVE_CURSOR_PREFIX}${message.id}`;
        const edge: CachedEdge = { __typename: 'MessageEdge', cursor, node };
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
