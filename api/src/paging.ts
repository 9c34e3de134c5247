// Relay connections (https://relay.dev/graphql/connections.htm): one envelope and one page-size rule for every list
// the API pages (history, the user directory, and the lists to come). Cursors are each list's own business.
import { badInput } from './errors.ts';

export const MAX_PAGE = 100;

export type PageInfo = {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
};

export type Connection<T> = { edges: { cursor: string; node: T }[]; pageInfo: PageInfo };

/** A page size argument (first/last): 1..100. */
export function parsePageSize(value: number | null | undefined, argument: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE) {
    throw badInput(`${argument} must be between 1 and ${MAX_PAGE}.`, argument);
  }
  return value;
}

/** The connection for a page of nodes, already in list order. */
export function connection<T>(
  nodes: T[],
  cursorOf: (node: T) => string,
  flags: { hasNextPage: boolean; hasPreviousPage: boolean },
): Connection<T> {
  const edges = nodes.map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    pageInfo: { ...flags, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
