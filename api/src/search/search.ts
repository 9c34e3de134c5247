// searchMessages: one statement per page (statements.ts), then the snippets and highlights of the page's messages.
import type { Sql } from '../db/index.ts';
import { badInput } from '../errors.ts';
import type { PageInfo } from '../paging.ts';
import { parseOtherUser, participantKey } from '../chat/conversation.ts';
import { toChatMessage } from '../chat/rows.ts';
import type { ChatMessage } from '../chat/types.ts';
import { parseQuery, wantedTerms } from './query.ts';
import { makeSnippet, type TextRange } from './snippet.ts';
import { searchStatement, type Way } from './statements.ts';
import { estimate, type Estimate } from './word-shares.ts';

export const DEFAULT_SEARCH_PAGE = 20;
export const MAX_SEARCH_PAGE = 50;

export type SearchArgs = { query: string; withUserId?: string | null; first?: number | null; after?: string | null };
export type SearchEdge = { cursor: string; node: ChatMessage; snippet: string; highlights: TextRange[] };
export type SearchConnection = { edges: SearchEdge[]; pageInfo: PageInfo };

/** Opaque search cursors: base64url("s:<createdAt in ms>:<message id>"). */
type Position = { createdAt: Date; id: string };

export const encodeSearchCursor = (m: Position) =>
  Buffer.from(`s:${m.createdAt.getTime()}:${m.id}`).toString('base64url');

export function decodeSearchCursor(cursor: string, argument: string): Position {
  const match = /^s:(\d{1,15}):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(
    Buffer.from(cursor, 'base64url').toString('utf8'),
  );
  const createdAt = match && new Date(Number(match[1]));
  if (!match || !createdAt || Number.isNaN(createdAt.getTime()))
    throw badInput(`${argument} is not a cursor returned by searchMessages.`, argument);
  return { createdAt, id: match[2] };
}

function parseFirst(value: number | null | undefined): number {
  if (value === null || value === undefined) return DEFAULT_SEARCH_PAGE;
  if (!Number.isInteger(value) || value < 1 || value > MAX_SEARCH_PAGE)
    throw badInput(`first must be between 1 and ${MAX_SEARCH_PAGE}.`, 'first');
  return value;
}

/** How many of the newest messages the window's way reads at least and at most. */
export const MIN_WINDOW = 1_000;
export const MAX_WINDOW = 5_000;
// Reading a message of the window (its searchable text matched) costs about as much as fetching a hit of the word
// index (its posting and heap page): ~1.6 against ~1.7 µs, EXPLAIN ANALYZE of both ways on the bench's 1M messages.
const WINDOW_ROW_COST = 1;

/**
 * The cheaper way to a page of `rows` hits: the window when the newest messages hold a page soon enough (their
 * share of hits) and reading them costs less than fetching every hit the word index has (the share of all
 * messages); the window then reads twice the messages expected to hold the page. Without an estimate, the window.
 */
export function wayOf(e: Estimate, rows: number): { way: Way; window: number } {
  if (!e) return { way: 'window', window: MIN_WINDOW };
  const needed = rows / e.share;
  if (needed > MAX_WINDOW || needed * WINDOW_ROW_COST > e.share * e.messages) return { way: 'index', window: 0 };
  return { way: 'window', window: Math.min(MAX_WINDOW, Math.max(MIN_WINDOW, Math.ceil(2 * needed))) };
}

/** How a search picks its way for the words every hit contains and the rows it wants; tests pass a fixed one. */
export type WayChoice = (required: readonly string[], rows: number) => { way: Way; window: number };

export async function searchMessages(
  sql: Sql,
  viewerId: string,
  args: SearchArgs,
  choose: WayChoice = (required, rows) => wayOf(estimate(sql, required), rows),
): Promise<SearchConnection> {
  const parsed = parseQuery(args.query, 'query');
  const first = parseFirst(args.first);
  const after = args.after ? decodeSearchCursor(args.after, 'after') : undefined;
  const params: unknown[] = [
    viewerId,
    after ? after.createdAt.toISOString() : 'infinity',
    after ? after.id : 'ffffffff-ffff-ffff-ffff-ffffffffffff',
    first + 1,
  ];
  const peer = args.withUserId ?? null;
  if (peer !== null) {
    const key = participantKey(viewerId, parseOtherUser(viewerId, peer, 'withUserId'));
    params.push(key.userLowId, key.userHighId);
  }
  const { way, window } = choose(parsed.required, first + 1);
  const { statement, matchParams } = searchStatement(peer === null ? 'all' : 'with', parsed, way, window);
  const rows = await sql.query(statement, [...params, ...matchParams]);

  const terms = wantedTerms(parsed);
  const edges = rows.slice(0, first).map((row) => {
    const node = toChatMessage(row);
    return { cursor: encodeSearchCursor(node), node, ...makeSnippet(node.content, terms) };
  });
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      // Forward-only paging: what precedes `after` is not looked up (Relay allows false here).
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
