import type { FieldPolicy, Reference } from '@apollo/client/cache';

/**
 * Relay-style pagination for a conversation (`chatHistory`), which is read
 * newest-at-the-bottom and paged *backwards* (`last` + `before`).
 *
 * - `before: X` pages are prepended (older messages).
 * - `after: X` pages are appended.
 * - A page without a cursor (first load, refetch after reconnect) is the
 *   newest window: if it overlaps what we have it is unioned onto the end,
 *   otherwise (a gap we cannot bridge) it replaces the list.
 *
 * Edges are deduplicated by node reference (then cursor), so a message that
 * arrives via the subscription *and* in a page is stored once. Where an older
 * page or the newest window holds a message we already have, the page's edge
 * is the one kept: its cursor is the server's, which also replaces a
 * placeholder cursor the client gave that message (chat/resumeCursor.ts).
 */

export interface CachedEdge {
  __typename?: string;
  cursor: string;
  node: Reference;
}
interface CachedPageInfo {
  __typename?: string;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}
export interface CachedConnection {
  __typename?: string;
  edges: CachedEdge[];
  pageInfo: CachedPageInfo;
}

interface PageArgs {
  before?: string | null;
  after?: string | null;
}

function edgeKey(edge: CachedEdge): string {
  return edge.node?.__ref ?? `cursor:${edge.cursor}`;
}

/** Concatenate edge lists keeping the first occurrence of each node. */
function dedupeEdges(...lists: CachedEdge[][]): CachedEdge[] {
  const seen = new Set<string>();
  const out: CachedEdge[] = [];
  for (const list of lists) {
    for (const edge of list) {
      const key = edgeKey(edge);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(edge);
    }
  }
  return out;
}

function mergeConnection(
  existing: CachedConnection | undefined,
  incoming: CachedConnection,
  args: PageArgs | null,
): CachedConnection {
  if (!existing || existing.edges.length === 0) return incoming;
  const incomingPageInfo = incoming.pageInfo ?? existing.pageInfo;

  if (args?.before) {
    // Older page: goes on top. Keep our newest-end information.
    return {
      ...existing,
      edges: dedupeEdges(incoming.edges, existing.edges),
      pageInfo: {
        ...existing.pageInfo,
        hasPreviousPage: incomingPageInfo.hasPreviousPage,
        startCursor: incomingPageInfo.startCursor ?? existing.pageInfo.startCursor,
      },
    };
  }

  if (args?.after) {
    return {
      ...existing,
      edges: dedupeEdges(existing.edges, incoming.edges),
      pageInfo: {
        ...existing.pageInfo,
        hasNextPage: incomingPageInfo.hasNextPage,
        endCursor: incomingPageInfo.endCursor ?? existing.pageInfo.endCursor,
      },
    };
  }

  // Newest window (no cursor). Does it overlap with what we already hold?
  if (incoming.edges.length === 0) return existing;
  const existingKeys = new Set(existing.edges.map(edgeKey));
  const overlaps = incoming.edges.some((e) => existingKeys.has(edgeKey(e)));
  if (!overlaps) {
    // Either everything is newer than our list with a possible gap, or the
    // conversation changed under us: trust the server's window.
    return incoming;
  }
  // Keep older edges we hold that precede the window, then the window itself,
  // then anything we hold that the window does not (e.g. a message that came
  // in over the subscription after the server answered).
  const firstKey = edgeKey(incoming.edges[0]);
  const firstIndex = existing.edges.findIndex((e) => edgeKey(e) === firstKey);
  const older = firstIndex > 0 ? existing.edges.slice(0, firstIndex) : [];
  return {
    ...existing,
    edges: dedupeEdges(older, incoming.edges, existing.edges.slice(Math.max(firstIndex, 0))),
    pageInfo: {
      ...incomingPageInfo,
      hasPreviousPage: firstIndex > 0 ? existing.pageInfo.hasPreviousPage : incomingPageInfo.hasPreviousPage,
      startCursor: firstIndex > 0 ? existing.pageInfo.startCursor : incomingPageInfo.startCursor,
    },
  };
}

/** Field policy: one cache entry per `keyArgs` combination, pages merged. */
export function relayConnectionPolicy(keyArgs: string[]): FieldPolicy<CachedConnection> {
  return {
    keyArgs,
    merge(existing, incoming, { args }) {
      return mergeConnection(existing, incoming, args as PageArgs | null);
    },
  };
}

/**
 * Forward paging (`first`/`after`) of a list that is state, not a log (the
 * inbox): a page without `after` (first load, refetch after a reconnect) is the
 * list as it is now and replaces what is held; an `after` page is appended, an
 * item already held keeping its place. One cache entry whatever the arguments.
 */
export function forwardConnectionPolicy(): FieldPolicy<CachedConnection> {
  return {
    keyArgs: false,
    merge(existing, incoming, { args }) {
      if (!existing || !(args as PageArgs | null)?.after) return incoming;
      const pageInfo = incoming.pageInfo ?? existing.pageInfo;
      return {
        ...existing,
        edges: dedupeEdges(existing.edges, incoming.edges),
        pageInfo: {
          ...existing.pageInfo,
          hasNextPage: pageInfo.hasNextPage,
          endCursor: pageInfo.endCursor ?? existing.pageInfo.endCursor,
        },
      };
    },
  };
}
