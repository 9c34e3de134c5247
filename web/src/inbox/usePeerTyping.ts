import { useSubscription } from '@apollo/client/react';
import { useEffect } from 'react';
import { useConnectionStatus } from '../apollo/connectionStatus';
import { graphql } from '../gql';
import { useExpiringFlag } from '../shared/useExpiringFlag';

const InboxTypingSubscription = graphql(`
  subscription InboxTyping($withUserId: ID!) {
    typing(withUserId: $withUserId) {
      typing
    }
  }
`);

/**
 * Longest "typing…" shown without a refresh. The peer refreshes every ~3 s and
 * the server itself ends a lapsed one (`typing: false` about 6 s after the last
 * refresh); this only covers an end that never arrives.
 */
const SHOWN_FOR_MS = 8_000;

/** Whether `peerId` is typing to the viewer (for an inbox row); off while the socket is down. */
export function usePeerTyping(peerId: string, skip = false): boolean {
  const [typing, setTypingFor] = useExpiringFlag();
  const connected = useConnectionStatus() === 'connected';
  useSubscription(InboxTypingSubscription, {
    variables: { withUserId: peerId },
    skip,
    fetchPolicy: 'no-cache',
    onData({ data }) {
      const event = data.data?.typing;
      if (event) setTypingFor(event.typing ? SHOWN_FOR_MS : null);
    },
  });
  // Whatever was shown before an outage is stale once it is over.
  useEffect(() => {
    if (!connected || skip) setTypingFor(null);
  }, [connected, skip, setTypingFor]);
  return typing && connected && !skip;
}
