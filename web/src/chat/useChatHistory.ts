import { useApolloClient, useQuery } from '@apollo/client/react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { graphql } from '../gql';
import { usePagedLoad } from '../shared/usePagedLoad';
import { fetchAllBefore, LARGEST_PAGE } from './historyPages';
import { currentConversations } from './resumeCursor';

export const ChatHistoryQuery = graphql(`
  query ChatHistory($withUserId: ID!, $last: Int, $before: String) {
    chatHistory(withUserId: $withUserId, last: $last, before: $before) {
      edges {
        cursor
        node {
          id
          ...ConversationView_message
        }
      }
      pageInfo {
        hasPreviousPage
        hasNextPage
        startCursor
        endCursor
      }
    }
  }
`);

export const PAGE_SIZE = 30;

/**
 * A conversation's history: what the cache holds at once, then the server's newest page (one request: read
 * receipts, missed messages; `newestPageIn` once it answered or failed), older pages on demand, and every older page
 * at once ("jump to the beginning").
 */
export function useChatHistory(peerId: string) {
  const client = useApolloClient();
  const variables = { withUserId: peerId, last: PAGE_SIZE };
  // Held in the cache when the conversation opens (this session's, or the kept cache after a reload)?
  const [cached] = useState(() => client.readQuery({ query: ChatHistoryQuery, variables }) !== null);
  const { data, error, loading, fetchMore, refetch } = useQuery(ChatHistoryQuery, {
    variables,
    // From the network when nothing is held; otherwise what is held at once, then refreshed below.
    fetchPolicy: 'cache-first',
    // The refresh is the newest page: merged with the older pages held (apollo/connectionMerge.ts), not written
    // over them (Apollo's default for a refetch), or a conversation reopened would hold its newest page only.
    refetchWritePolicy: 'merge',
  });
  // useQuery's networkStatus cannot say when the newest page is in (a cache write meanwhile — the inbox's answer —
  // reports the cached data as ready): the refresh's own promise does.
  const [newestPageIn, setNewestPageIn] = useState(!cached);
  useEffect(() => {
    if (!cached) return;
    let current = true;
    refetch().then(
      () => current && (currentConversations.mark(peerId), setNewestPageIn(true)),
      () => current && setNewestPageIn(true), // offline: resume from what is held
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per open: refetch changes identity as data comes
  }, [cached, peerId]);
  const loaded = !!data && !cached;
  useEffect(() => {
    if (loaded) currentConversations.mark(peerId);
  }, [loaded, peerId]);

  const held = data?.chatHistory.edges;
  const edges = useMemo(() => held ?? [], [held]);
  // The same array while the page is (what the transcript computes from it is then not computed again).
  const nodes = useMemo(() => edges.map((e) => e.node), [edges]);
  const pageInfo = data?.chatHistory.pageInfo;
  const hasOlder = pageInfo?.hasPreviousPage ?? false;
  const olderCursor = pageInfo?.startCursor;
  const older = usePagedLoad();
  const { run } = older;

  const loadOlder = useCallback(() => {
    if (hasOlder && olderCursor) run(() => fetchMore({ variables: { before: olderCursor, last: PAGE_SIZE } }));
  }, [run, fetchMore, hasOlder, olderCursor]);

  // "Jump to the beginning": one action that pages back to the first message. The pages are fetched past the cache
  // and written into it at the end as one older page: one merge and one render for the whole history, not one per
  // page (each of which grows with what is held, and would keep the tab too busy to answer its socket).
  const loadAll = useCallback(() => {
    if (!hasOlder || !olderCursor) return;
    run(async () => {
      const all = await fetchAllBefore(client, peerId, olderCursor);
      const startCursor = all.edges[0]?.cursor ?? all.pageInfo.startCursor;
      client.writeQuery({
        query: ChatHistoryQuery,
        // `before` makes it an older page for the merge (apollo/connectionMerge.ts): it goes on top.
        variables: { withUserId: peerId, before: olderCursor, last: LARGEST_PAGE },
        data: { chatHistory: { ...all, pageInfo: { ...all.pageInfo, startCursor } } },
      });
    });
  }, [client, run, peerId, hasOlder, olderCursor]);

  return {
    data,
    error,
    loading,
    refetch,
    edges,
    nodes,
    cached,
    newestPageIn: newestPageIn && !!data,
    older: { hasOlder, loading: older.busy, error: older.error, loadOlder, loadAll },
  };
}
