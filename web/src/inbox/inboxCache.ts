import type { ApolloCache } from '@apollo/client/cache';
import type { CachedConnection, CachedEdge } from '../apollo/connectionMerge';

/**
 * Put a conversation that a conversationUpdated event wrote to the cache
 * (`Conversation:<id>`) into the cached inbox, if it is not there yet: a new
 * peer, or one from a page not loaded. Order is the list's read policy's job
 * (apollo/cache.ts: most recent activity first), so it is added at the top and
 * shown in its place. No-op while the inbox was never loaded (its first fetch
 * brings it), and for a conversation older than every one held while more
 * pages follow: it belongs to one of them, and paging will bring it.
 */
export function addToInbox(
  cache: ApolloCache,
  conversation: { __typename?: 'Conversation'; id: string; lastActivityAt: string },
): void {
  const id = cache.identify({ __typename: 'Conversation', id: conversation.id });
  if (!id) return;
  cache.modify<{ conversations: CachedConnection }>({
    id: 'ROOT_QUERY',
    fields: {
      conversations(existing, { toReference, readField }) {
        const inbox = existing as unknown as CachedConnection | undefined;
        if (!inbox || inbox.edges.some((e) => e.node?.__ref === id)) return existing;
        if (inbox.pageInfo?.hasNextPage) {
          const oldest = inbox.edges.reduce<string | undefined>((min, e) => {
            const at = readField<string>('lastActivityAt', e.node);
            return at !== undefined && (min === undefined || at < min) ? at : min;
          }, undefined);
          if (oldest !== undefined && conversation.lastActivityAt < oldest) return existing;
        }
        const node = toReference(id);
        if (!node) return existing;
        // Not from a page: no server cursor (paging goes on from pageInfo.endCursor).
        const edge: CachedEdge = { __typename: 'ConversationEdge', cursor: `live:${conversation.id}`, node };
        return { ...inbox, edges: [edge, ...inbox.edges] } as never;
      },
    },
  });
}
