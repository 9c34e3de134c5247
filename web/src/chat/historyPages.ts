// Pages of a conversation fetched past the cache (the caller writes them in as one window or one older page):
// what "jump to the beginning" (useChatHistory), a window around a message (useMessageAround) and the search for
// the first unread message (useFirstUnread) share.
import type { ApolloClient } from '@apollo/client';
import { graphql } from '../gql';
import type { ChatAroundQuery as ChatAround, ChatAroundQueryVariables } from '../gql/graphql';

/** Pages of a conversation in either direction (chatHistory's `before`/`last` and `after`/`first`). */
export const ChatAroundQuery = graphql(`
  query ChatAround($withUserId: ID!, $first: Int, $after: String, $last: Int, $before: String) {
    chatHistory(withUserId: $withUserId, first: $first, after: $after, last: $last, before: $before) {
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

export type HistoryPage = ChatAround['chatHistory'];
export type PageArgs = Omit<ChatAroundQueryVariables, 'withUserId'>;

/** The largest page chatHistory serves (`last`/`first` are 1..100). */
export const LARGEST_PAGE = 100;

/** One page from the server, not through the cache. */
export async function fetchHistoryPage(client: ApolloClient, peerId: string, args: PageArgs): Promise<HistoryPage> {
  const { data } = await client.query({
    query: ChatAroundQuery,
    variables: { withUserId: peerId, ...args },
    fetchPolicy: 'no-cache',
  });
  return data!.chatHistory;
}

/** Every page before `before`, oldest first, as one page. */
export async function fetchAllBefore(client: ApolloClient, peerId: string, before: string): Promise<HistoryPage> {
  let edges: HistoryPage['edges'] = [];
  for (let cursor = before; ;) {
    const page = await fetchHistoryPage(client, peerId, { before: cursor, last: LARGEST_PAGE });
    edges = [...page.edges, ...edges];
    const { hasPreviousPage, startCursor } = page.pageInfo;
    if (!hasPreviousPage || !startCursor) return { ...page, edges };
    cursor = startCursor;
  }
}
