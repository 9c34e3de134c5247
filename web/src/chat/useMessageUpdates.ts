import { useQuery, useSubscription } from '@apollo/client/react';
import { useEffect, useMemo, useState } from 'react';
import { useConnectionCount } from '../apollo/connectionStatus';
import { ConversationUpdateCursorQuery, MessageUpdatedSubscription } from './lifecycleOperations';

/**
 * Per conversation (keyed by the peer): the newest updateCursor held. messageUpdated delivers each conversation's
 * changes in commit order, so the last one delivered is the newest; before any, the conversation's own
 * updateCursor read when it was opened.
 */
const newest = new Map<string, string>();
export const heldUpdateCursors = {
  get: (peerId: string) => newest.get(peerId),
  delivered(peerId: string, cursor: string | null | undefined) {
    if (cursor) newest.set(peerId, cursor);
  },
  /** A baseline read from the server; only used when nothing newer was delivered. */
  baseline(peerId: string, cursor: string | null | undefined) {
    if (cursor && !newest.has(peerId)) newest.set(peerId, cursor);
  },
  clear: () => {
    newest.clear();
    currentOn.clear();
  },
};

/**
 * Per conversation (keyed by the peer): the connection during which its cached messages were last brought up to
 * date — while it is open, every reconnect catches it up; once closed, the all-conversations stream keeps it current
 * only until the socket drops. Opened again after a reconnect, it catches up from its held cursor.
 */
const currentOn = new Map<string, number>();

/**
 * Every edit, deletion and reaction of the viewer's conversations, live (one subscription, beside the
 * all-conversations messageAdded one in ChatShell). Apollo writes each message's new state over `Message:<id>`, so
 * every bubble showing it follows. What happens while the socket is down is caught up by the open conversation
 * (`useMessageUpdatesCatchUp`), and by every other conversation held in the cache when it is opened again.
 */
export function useMessageUpdatedSubscription(viewerId: string) {
  return useSubscription(MessageUpdatedSubscription, {
    variables: { withUserId: null, after: null },
    onData({ data }) {
      const message = data.data?.messageUpdated;
      if (!message) return;
      const peerId = message.sender.id === viewerId ? message.recipient.id : message.sender.id;
      heldUpdateCursors.delivered(peerId, message.updateCursor);
    },
  });
}

/**
 * The open conversation's catch-up of changes: after every reconnect, `messageUpdated(withUserId, after)` from the
 * newest updateCursor held, so the current state of every message changed meanwhile comes first (the server allows
 * `after` only with `withUserId`); and at once when it is opened after a reconnect that happened while it was
 * closed (its older pages in the cache missed what changed meanwhile). It stays live until the next reconnect; a
 * state delivered by both streams is written twice, the same.
 */
export function useMessageUpdatesCatchUp(peerId: string) {
  const connections = useConnectionCount();
  // Where the conversation's changes stand when it is opened (in case none is delivered before a reconnect).
  const { data } = useQuery(ConversationUpdateCursorQuery, {
    variables: { withUserId: peerId },
    fetchPolicy: 'network-only',
  });
  // The connection its cached messages were current on: an earlier visit's (caught up now if the socket dropped
  // since), or this one's for a first visit, whose history comes from the network (ConversationView is keyed by the
  // peer).
  const [upToDateOn] = useState(() => currentOn.get(peerId) ?? connections);
  useEffect(() => {
    currentOn.set(peerId, connections);
  }, [peerId, connections]);
  // The baseline: the conversation's updateCursor only if read while its cached messages were current (this
  // connection's first visit); otherwise — and when it has had no change yet (null: nothing to resume from, so a
  // change made while this client was offline would never come) — the position before its first change, which
  // never moves (read late, it is still right; the catch-up then replays every changed message once).
  const conversation = data?.conversation;
  const current = connections === upToDateOn;
  const baseline = conversation && ((current && conversation.updateCursor) || conversation.initialUpdateCursor);
  useEffect(() => heldUpdateCursors.baseline(peerId, baseline), [peerId, baseline]);
  // Frozen per connection (a new value resubscribes, which only a reconnect should do) — and read again once the
  // baseline is known, for a catch-up that had nothing to start from.
  const known = !!baseline;
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `connections` and `known` are triggers: read again then
  const after = useMemo(() => heldUpdateCursors.get(peerId) ?? baseline, [peerId, connections, known]);
  useSubscription(MessageUpdatedSubscription, {
    variables: { withUserId: peerId, after: after ?? null },
    skip: current || !after,
    onData({ data }) {
      const message = data.data?.messageUpdated;
      if (message) heldUpdateCursors.delivered(peerId, message.updateCursor);
    },
  });
}
