import { useApolloClient, useQuery } from '@apollo/client/react';
import { useCallback, useEffect, useState } from 'react';
import { useRefetchOnReconnect } from '../apollo/useRefetchOnReconnect';
import { useViewer } from '../auth/session';
import { getFragmentData, graphql } from '../gql';
import { describeError, isNotFoundError, isUnavailableError } from '../shared/errors';
import { ConversationHeader, usePeerName } from './ConversationHeader';
import { MessageComposer } from './MessageComposer';
import { MessageList } from './MessageList';
import { useResumeCursor } from './resumeCursor';
import { useMarkRead } from './useMarkRead';
import { useMessageAddedSubscription } from './useMessageAddedSubscription';
import { usePeerTyping } from './usePeerTyping';
import { useReadReceipts } from './useReadReceipts';
import { useSendMessage } from './useSendMessage';
import { useTypingSender } from './useTypingSender';

/** Everything the open conversation needs from a message; also selected by
 *  sendMessage and messageAdded so their results complete the cached page. */
export const ConversationView_message = graphql(`
  fragment ConversationView_message on Message {
    id
    # Where a resumed subscription continues after this message (same as its history edge cursor).
    cursor
    readAt
    sender {
      id
      # Lets the header name the peer after a cold reload (User:<id> in cache).
      ...ConversationHeader_user
    }
    ...MessageList_message
  }
`);

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
/** The largest page chatHistory serves (`last` is 1..100): "jump to the beginning" pages back with it. */
const LARGEST_PAGE = 100;

export function ConversationView(props: { peerId: string; onBack(): void }) {
  const { peerId } = props;
  const viewer = useViewer();
  const peerName = usePeerName(peerId);
  const { send, retry, discard, settle, outbox } = useSendMessage(viewer.id, peerId);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<string | null>(null);

  const { data, error, loading, fetchMore, refetch } = useQuery(ChatHistoryQuery, {
    variables: { withUserId: peerId, last: PAGE_SIZE },
    // Show what we have at once, then refresh (read receipts, missed messages).
    fetchPolicy: 'cache-and-network',
    nextFetchPolicy: 'cache-first',
  });

  const edges = data?.chatHistory.edges ?? [];
  const nodes = edges.map((e) => e.node);
  const messages = getFragmentData(ConversationView_message, nodes);
  const pageInfo = data?.chatHistory.pageInfo;

  useMarkRead(peerId, messages);
  // ✓✓ on the viewer's messages up to the peer's read position, live.
  const peerLastRead = useReadReceipts(peerId);
  const peerTyping = usePeerTyping(peerId);
  const reportTyping = useTypingSender(peerId);

  // Live messages of this conversation, resuming after the newest message we
  // hold with nothing missing before it: the server replays everything after
  // it (whatever arrived while the socket was down), then goes live.
  // Messages shown from the cache (the kept cache after a reload, or this session's) may end long before now: the
  // subscription waits for the server's newest page, so it resumes after that page rather than replaying, one
  // message at a time, everything since the cache was written. (useQuery's networkStatus cannot say when that page
  // is in: a cache write meanwhile — the inbox's answer — reports the cached data as ready.) Without an answer
  // (offline) it resumes from what the cache holds.
  const client = useApolloClient();
  const [newestPageIn, setNewestPageIn] = useState(false);
  useEffect(() => {
    let current = true;
    const settle = () => current && setNewestPageIn(true);
    client
      .query({
        query: ChatHistoryQuery,
        variables: { withUserId: peerId, last: PAGE_SIZE },
        fetchPolicy: 'network-only',
      })
      .then(settle, settle);
    return () => {
      current = false;
    };
  }, [client, peerId]);
  const live = !!data && newestPageIn;
  const after = useResumeCursor(edges, live);
  useMessageAddedSubscription(viewer.id, { withUserId: peerId, after, skip: !live });

  // Without a cursor (the page could not be loaded, e.g. after an offline
  // reload, or the conversation was empty) there is nothing to resume from:
  // once the socket is up again, fetch the newest page instead.
  useRefetchOnReconnect(!after, refetch);

  const hasOlder = pageInfo?.hasPreviousPage ?? false;
  const olderCursor = pageInfo?.startCursor;
  const loadOlder = useCallback(() => {
    if (!hasOlder || !olderCursor || loadingOlder) return;
    setLoadingOlder(true);
    setOlderError(null);
    fetchMore({ variables: { before: olderCursor, last: PAGE_SIZE } })
      .catch((e: unknown) => setOlderError(describeError(e)))
      .finally(() => setLoadingOlder(false));
  }, [fetchMore, hasOlder, olderCursor, loadingOlder]);

  // "Jump to the beginning": one action that pages back to the first message. The pages are fetched past the cache
  // and written into it at the end as one older page: one merge and one render for the whole history, not one per
  // page (each of which grows with what is held, and would keep the tab too busy to answer its socket).
  const loadAll = useCallback(() => {
    if (!hasOlder || !olderCursor || loadingOlder) return;
    setLoadingOlder(true);
    setOlderError(null);
    type History = NonNullable<typeof data>['chatHistory'];
    const pageBack = async (before: string, held: History['edges']): Promise<History> => {
      const { data: page } = await client.query({
        query: ChatHistoryQuery,
        variables: { withUserId: peerId, before, last: LARGEST_PAGE },
        fetchPolicy: 'no-cache',
      });
      const history = page!.chatHistory;
      const edges = [...history.edges, ...held];
      const { hasPreviousPage, startCursor } = history.pageInfo;
      return hasPreviousPage && startCursor ? pageBack(startCursor, edges) : { ...history, edges };
    };
    pageBack(olderCursor, [])
      .then((all) =>
        client.writeQuery({
          query: ChatHistoryQuery,
          // `before` makes it an older page for the merge (apollo/connectionMerge.ts): it goes on top.
          variables: { withUserId: peerId, before: olderCursor, last: LARGEST_PAGE },
          data: {
            chatHistory: {
              ...all,
              pageInfo: { ...all.pageInfo, startCursor: all.edges[0]?.cursor ?? all.pageInfo.startCursor },
            },
          },
        }),
      )
      .catch((e: unknown) => setOlderError(describeError(e)))
      .finally(() => setLoadingOlder(false));
  }, [client, peerId, hasOlder, olderCursor, loadingOlder]);

  // The link names someone who does not exist (a mistyped or stale address): nothing can be sent to them.
  const unknownPeer = !data && isNotFoundError(error);

  let body;
  if (!data && loading) {
    body = (
      <div className="state state--center" role="status">
        <span className="spinner" aria-hidden="true" /> Loading conversation…
      </div>
    );
  } else if (unknownPeer && outbox.length === 0) {
    body = (
      <div className="state state--center state--error" role="alert">
        <p className="empty-title">No such person</p>
        <p>This conversation link names someone who is not on parley. {describeError(error)}</p>
      </div>
    );
  } else if (!data && error && outbox.length === 0) {
    body = (
      <div className="state state--center state--error" role="alert">
        <p>Could not load this conversation. {describeError(error)}</p>
        <button type="button" className="button" onClick={() => void refetch()}>
          Try again
        </button>
      </div>
    );
  } else if (edges.length === 0 && outbox.length === 0) {
    body = (
      <div className="state state--center">
        <p className="empty-title">No messages yet</p>
        <p className="muted">Say hello to {peerName}.</p>
      </div>
    );
  } else {
    body = (
      <MessageList
        viewerId={viewer.id}
        peerName={peerName}
        messages={messages}
        outbox={outbox}
        peerLastRead={peerLastRead}
        onRetry={retry}
        onDiscard={discard}
        onSettled={settle}
        hasOlder={hasOlder}
        loadingOlder={loadingOlder}
        olderError={olderError}
        onLoadOlder={loadOlder}
        onLoadAll={loadAll}
      />
    );
  }

  // Offline (saved messages shown or not), what is waiting in the outbox is not lost.
  const willSend =
    error && isUnavailableError(error) && outbox.some((e) => e.status === 'pending')
      ? ' Unsent messages will be sent once the server is reachable.'
      : '';

  return (
    <section className="conversation" aria-label={`Conversation with ${peerName}`}>
      <ConversationHeader peerId={peerId} onBack={props.onBack} typing={peerTyping} />
      {error && (data || outbox.length > 0) && (
        <p className="banner banner--error" role="alert">
          {unknownPeer
            ? `This person does not exist: messages to them cannot be sent. ${describeError(error)}`
            : data
              ? `Showing saved messages — could not refresh: ${describeError(error)}${willSend}`
              : `Could not load this conversation: ${describeError(error)}${willSend}`}
        </p>
      )}
      <div className="conversation__body">{body}</div>
      <MessageComposer
        onSend={send}
        peerName={peerName}
        onTyping={reportTyping}
        autoFocus
        disabledReason={unknownPeer ? 'You cannot send messages here: this person does not exist.' : undefined}
      />
    </section>
  );
}
