import { useApolloClient, useQuery } from '@apollo/client/react';
import { useCallback, useEffect, useRef } from 'react';
import { graphql } from '../gql';

export const UnreadCountQuery = graphql(`
  query UnreadCount {
    unreadCount
  }
`);

const APP_TITLE = 'parley';

/** "(3) parley" while anything is unread, "parley" otherwise. */
export function unreadTitle(total: number | undefined): string {
  return total ? `(${total}) ${APP_TITLE}` : APP_TITLE;
}

/**
 * The unread total over all conversations, in the tab's title. Read from the
 * cache only: the inbox query brings it, and `useRefreshUnreadTotal` asks the
 * server again as conversations change.
 */
export function useUnreadTitle(): number | undefined {
  const { data } = useQuery(UnreadCountQuery, { fetchPolicy: 'cache-only' });
  const total = data?.unreadCount;
  useEffect(() => {
    document.title = unreadTitle(total);
  }, [total]);
  useEffect(
    () => () => {
      document.title = APP_TITLE; // logged out
    },
    [],
  );
  return total;
}

/**
 * Asks the server for the unread total again (the sum over every conversation,
 * including those not loaded in the inbox). Coalesced: one request at a time,
 * and one more after it if asked meanwhile, so a burst of events costs two.
 */
export function useRefreshUnreadTotal(): () => void {
  const client = useApolloClient();
  const state = useRef({ running: false, again: false });
  return useCallback(() => {
    const s = state.current;
    if (s.running) {
      s.again = true;
      return;
    }
    s.running = true;
    const run = (): Promise<void> =>
      client
        .query({ query: UnreadCountQuery, fetchPolicy: 'network-only' })
        .then(
          () => undefined,
          () => undefined, // the next event or reconnect refreshes it
        )
        .then(() => {
          if (!s.again) {
            s.running = false;
            return;
          }
          s.again = false;
          return run();
        });
    void run();
  }, [client]);
}
