import { useRef } from 'react';
import { connectionStatus, useConnectionStatus } from '../apollo/connectionStatus';

/**
 * The resume-cursor protocol: how the open conversation's subscription,
 * `messageAdded(withUserId, after:)`, picks up exactly where the messages held
 * in the cache end — after a reconnect too — with nothing missed and nothing
 * replayed twice.
 *
 * 1. The subscription resumes *after* a cursor of a chatHistory edge, so an
 *    edge may only carry a server cursor when every message before it is held
 *    too: true for chatHistory pages and for what the conversation's own
 *    subscription delivers (it replays from the cursor it resumed after) —
 *    see `deliveredResumeCursor`.
 * 2. A message that arrived another way (the sendMessage answer, the
 *    all-conversations stream) may be ahead of a gap: its edge gets a
 *    placeholder cursor (`edgeCursor`) until the conversation's subscription
 *    delivers it too or a page brings it (the page's edge wins in the merge,
 *    apollo/connectionMerge.ts). Placeholders are never sent to the server.
 * 3. `after` is the newest server cursor held (`newestServerCursor`), frozen
 *    while the socket is up and following the messages while it is down
 *    (`useResumeCursor`).
 */
const PLACEHOLDER_PREFIX = 'live:';

function isServerCursor(cursor: string): boolean {
  return !cursor.startsWith(PLACEHOLDER_PREFIX);
}

/** The newest cursor we can resume from: nothing before it is missing. */
export function newestServerCursor(edges: ReadonlyArray<{ cursor: string }>): string | undefined {
  for (let i = edges.length - 1; i >= 0; i--) {
    if (isServerCursor(edges[i]!.cursor)) return edges[i]!.cursor;
  }
  return undefined;
}

/**
 * The cursor of a message's edge in its conversation. `held`: the cursor of
 * the edge already there, if any; `resume`: the message's cursor when nothing
 * before it can be missing. A resume cursor only ever replaces a placeholder.
 */
export function edgeCursor(messageId: string, held: string | undefined, resume: string | undefined): string {
  if (held !== undefined && (isServerCursor(held) || !resume)) return held;
  return resume ?? `${PLACEHOLDER_PREFIX}${messageId}`;
}

/** Per conversation: the socket connection during which it was last known to be held without a gap. */
const currentDuring = new Map<string, number>();

/**
 * Conversations held up to the server's newest message during this socket connection (their newest page came in,
 * or their catch-up met the all-conversations stream): that stream, which misses nothing while the socket is up,
 * keeps them so. A reconnect ends it for all of them (what came meanwhile reached no stream).
 */
export const currentConversations = {
  /** The conversation with `peerId` holds the server's newest messages now. */
  mark(peerId: string) {
    if (connectionStatus.get() === 'connected') currentDuring.set(peerId, connectionStatus.connectionCount());
  },
  has: (peerId: string) =>
    connectionStatus.get() === 'connected' && currentDuring.get(peerId) === connectionStatus.connectionCount(),
};

/**
 * What a messageAdded delivery can be resumed from. The conversation's own
 * stream (`withUserId`) catches up from `after`, so what it delivers leaves no
 * gap; the all-conversations stream's do not either in a conversation that is
 * current (`currentConversations`), and give no resume cursor elsewhere.
 */
export function deliveredResumeCursor(
  message: { cursor: string },
  stream: { withUserId?: string },
  peerId: string,
): string | undefined {
  return stream.withUserId || currentConversations.has(peerId) ? message.cursor : undefined;
}

/**
 * The `after` of the conversation's subscription: the newest message held when
 * it (re)subscribes (it follows the messages while `subscribed` is false). While the socket is up it stays put, since a new value
 * means a new subscription (and messages arriving live move the newest one).
 * While the socket is down it follows the newest message, so the subscription
 * that goes out on reconnect replays only what was missed — instead of
 * graphql-ws repeating the old one, which would replay what we already hold.
 */
export function useResumeCursor(edges: ReadonlyArray<{ cursor: string }>, subscribed = true): string | undefined {
  const newest = newestServerCursor(edges);
  const status = useConnectionStatus();
  const resume = useRef(newest);
  // Derived from props and the socket state only, so rendering twice is harmless.
  /* eslint-disable react-hooks/refs -- a latch on purpose: as state, every message arriving while the socket
     is down would cost the conversation a second render; the ref gives the same value without it. */
  if (!subscribed || status !== 'connected' || resume.current === undefined) resume.current = newest;
  return resume.current;
  /* eslint-enable react-hooks/refs */
}
