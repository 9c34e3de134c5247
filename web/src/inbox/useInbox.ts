import { useQuery } from '@apollo/client/react';
import { useCallback } from 'react';
import { useRefetchOnReconnect } from '../apollo/useRefetchOnReconnect';
import { graphql } from '../gql';
import { usePagedLoad } from '../shared/usePagedLoad';

export const InboxQuery = graphql(`
  query Inbox($first: Int, $after: String) {
    conversations(first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          ...InboxRow_conversation
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    unreadCount
  }
`);

export const INBOX_PAGE_SIZE = 20;

/**
 * The viewer's conversations, most recent activity first (the cache's read
 * policy keeps that order as conversationUpdated events come in; see
 * useConversationUpdates), and the unread total. It is state, not a log: when
 * the subscription socket (re)connects — after an outage, and the first time,
 * which closes the gap between this answer and the subscription's start — the
 * first page is fetched again, once.
 */
export function useInbox() {
  const { data, error, loading, fetchMore, refetch } = useQuery(InboxQuery, {
    variables: { first: INBOX_PAGE_SIZE },
    fetchPolicy: 'cache-and-network',
    nextFetchPolicy: 'cache-first',
  });
  const more = usePagedLoad();

  useRefetchOnReconnect(true, refetch);

  const pageInfo = data?.conversations.pageInfo;
  const hasMore = pageInfo?.hasNextPage ?? false;
  const endCursor = pageInfo?.endCursor ?? null;
  const { run } = more;
  const loadMore = useCallback(() => {
    if (hasMore && endCursor) run(() => fetchMore({ variables: { first: INBOX_PAGE_SIZE, after: endCursor } }));
  }, [run, fetchMore, hasMore, endCursor]);

  return {
    conversations: data ? data.conversations.edges.map((e) => e.node) : undefined,
    loading,
    error,
    refetch,
    hasMore,
    loadMore,
    loadingMore: more.busy,
    moreError: more.error,
  };
}
