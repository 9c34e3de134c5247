import { useSubscription } from '@apollo/client/react';
import { useEffect } from 'react';
import { useConnectionStatus } from '../apollo/connectionStatus';
import { graphql } from '../gql';
import { useExpiringFlag } from '../shared/useExpiringFlag';

const ConversationTypingSubscription = graphql(`
  subscription ConversationTyping($withUserId: ID!) {
    typing(withUserId: $withUserId) {
      typing
    }
  }
`);

/**
 * Longest "typing…" shown without a refresh. The peer refreshes every ~3 s and
 * the server itself ends a lapsed one (`typing: false` about 6 s after the last
 * refresh, or when the peer's message is sent); this only covers an end that
 * never arrives.
 */
const SHOWN_FOR_MS = 8_000;

/** Whether the peer of the open conversation is typing to the viewer; off while the socket is down. */
export function usePeerTyping(peerId: string): boolean {
  const [typing, setTypingFor] = useExpiringFlag();
  const connected = useConnectionStatus() === 'connected';
  useSubscription(ConversationTypingSubscription, {
    variables: { withUserId: peerId },
    fetchPolicy: 'no-cache',
    onData({ data }) {
      const event = data.data?.typing;
      if (event) setTypingFor(event.typing ? SHOWN_FOR_MS : null);
    },
  });
  // Whatever was shown before an outage is stale once it is over.
  useEffect(() => {
    if (!connected) setTypingFor(null);
  }, [connected, setTypingFor]);
  return typing && connected;
}
