import { useEffect, useRef, useState } from 'react';
import { connectionStatus, useConnectionCount } from '../apollo/connectionStatus';
import { currentConversations, useResumeCursor } from './resumeCursor';
import { streamsMeet, useMessageAddedSubscription } from './useMessageAddedSubscription';

/**
 * The open conversation's catch-up: `messageAdded(withUserId, after)` from the newest message held with nothing
 * missing before it (resumeCursor.ts). The all-conversations stream (ChatShell) feeds every conversation; this one
 * runs only while there may be a gap — after a reconnect, or on an open from a kept cache (then from the server's
 * newest page once it is in, `newestPageIn`: not one message at a time since the cache was written) — and stops
 * once it meets the other stream (both delivered the same message, `streamsMeet`): each message then reaches the
 * tab once.
 */
export function useCatchUp(
  viewerId: string,
  peerId: string,
  edges: ReadonlyArray<{ cursor: string }>,
  opened: { cached: boolean; newestPageIn: boolean },
): { after: string | undefined } {
  // The socket connection during which the conversation was last known to hold the server's newest messages: at
  // open unless held from an earlier visit (the kept cache, or before a reconnect), then when the catch-up meets the
  // other stream. Any other connection — a reconnect while open; the first one, when the page came in before it —
  // may have missed messages (what came meanwhile reached no stream).
  const connections = useConnectionCount();
  const [currentDuring, setCurrentDuring] = useState(() =>
    opened.cached && !currentConversations.has(peerId) ? -1 : connections,
  );
  const gap = currentDuring !== connections;

  const live = gap && opened.newestPageIn;
  const after = useResumeCursor(edges, live);
  const since = useRef(0);
  useEffect(() => {
    if (live) since.current = streamsMeet.mark();
  }, [live, after]);
  useMessageAddedSubscription(viewerId, {
    withUserId: peerId,
    after,
    skip: !live || !after,
    meet: {
      since: () => since.current,
      onMet() {
        currentConversations.mark(peerId);
        setCurrentDuring(connectionStatus.connectionCount());
      },
    },
  });
  return { after };
}
