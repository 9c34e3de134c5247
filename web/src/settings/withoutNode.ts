import type { ApolloCache, Reference } from '@apollo/client/cache';
import type { CachedConnection } from '../apollo/connectionMerge';

type Details = { readField(field: string, from: Reference): unknown };

/**
 * Drops the node with `id` from every page of a connection field of the root query (`sessions`, `blockedUsers`):
 * what the server has just ended or removed leaves the list at once, without asking for it again.
 */
export function withoutNode(cache: ApolloCache, field: 'sessions' | 'blockedUsers', id: string): void {
  const drop = (existing: unknown, { readField }: Details) => {
    if (!existing) return existing;
    const connection = existing as CachedConnection;
    return { ...connection, edges: connection.edges.filter((edge) => readField('id', edge.node) !== id) };
  };
  cache.modify({ id: 'ROOT_QUERY', fields: { [field]: drop } as never });
}
