import { useApolloClient } from '@apollo/client/react';
import { useCallback, useEffect, useRef } from 'react';
import { usePagedLoad } from '../shared/usePagedLoad';
import { ChatAroundQuery, fetchHistoryPage, type HistoryPage, type PageArgs } from './historyPages';

/** Messages loaded on each side of the one opened at, and per newer page. */
const HALF = 20;
const PAGE = 30;

/**
 * A conversation opened at a message (a search hit): once its newest page is in (`ready`: useChatHistory's own
 * refresh would replace the window), the pages before and from the message are written into the cached history as
 * its window (apollo/connectionMerge.ts: a page without a cursor replaces a list it does not overlap), so the list
 * shows them. Older pages then load as usual; newer ones with `loadNewer`; `toLatest` goes back to the newest page.
 */
export function useMessageAround(peerId: string, at: { id: string; cursor: string } | undefined, ready: boolean) {
  const client = useApolloClient();
  // A later window (the newest page, another hit) makes the newer pages still in flight stale.
  const generation = useRef(0);
  const toLatestPending = useRef(false);
  const fetchPage = useCallback((args: PageArgs) => fetchHistoryPage(client, peerId, args), [client, peerId]);
  const write = useCallback(
    (chatHistory: HistoryPage, variables: PageArgs = {}) =>
      client.writeQuery({
        query: ChatAroundQuery,
        variables: { withUserId: peerId, ...variables },
        data: { chatHistory },
      }),
    [client, peerId],
  );

  const window = usePagedLoad();
  const { run: runWindow } = window;
  const atId = at?.id;
  const atCursor = at?.cursor;
  useEffect(() => {
    if (!ready || !atCursor) return;
    const mine = ++generation.current;
    runWindow(async () => {
      const before = await fetchPage({ before: atCursor, last: HALF });
      const last = before.edges.at(-1)?.cursor;
      // From the message on: after the one before it (or from the first message).
      const from = await fetchPage(last ? { after: last, first: HALF + 1 } : { first: HALF + 1 });
      if (mine !== generation.current) return;
      const edges = [...before.edges, ...from.edges];
      write({
        ...from,
        edges,
        pageInfo: {
          ...from.pageInfo,
          hasPreviousPage: !!last && before.pageInfo.hasPreviousPage,
          startCursor: edges[0]?.cursor ?? null,
        },
      });
    });
  }, [ready, atId, atCursor, runWindow, fetchPage, write]);

  const newer = usePagedLoad();
  const { run } = newer;
  const loadNewer = useCallback(
    (endCursor: string) => {
      const mine = generation.current;
      if (toLatestPending.current) return;
      run(async () => {
        const page = await fetchPage({ after: endCursor, first: PAGE });
        // `after`: appended below what is held.
        if (mine === generation.current) write(page, { after: endCursor, first: PAGE });
      });
    },
    [run, fetchPage, write],
  );
  const toLatest = useCallback(async () => {
    const mine = ++generation.current;
    toLatestPending.current = true;
    try {
      const page = await fetchPage({ last: PAGE });
      if (mine === generation.current) write(page);
    } finally {
      toLatestPending.current = false;
    }
  }, [fetchPage, write]);

  return { windowError: window.error, newerBusy: newer.busy, newerError: newer.error, loadNewer, toLatest };
}
