import { useSubscription } from '@apollo/client/react';
import { useEffect, useSyncExternalStore } from 'react';
import { graphql } from '../gql';
import { useConnectionStatus } from './connectionStatus';

/**
 * Who is typing to the viewer: one `typing` subscription for the whole app (without `withUserId`: anyone, each event
 * naming the typist), mounted once by the signed-in shell (`useTypingFeed`); every inbox row and the open
 * conversation read from it (`usePeerTyping`), however long the inbox. It lives here, below the features, because
 * both chat/ and inbox/ read it.
 */
const TypingSubscription = graphql(`
  subscription Typing {
    typing {
      user {
        id
      }
      typing
    }
  }
`);

/**
 * Longest "typing…" shown without a refresh. The peer refreshes every ~3 s and the server itself ends a lapsed one
 * (`typing: false` about 6 s after the last refresh, or when the peer's message is sent); this only covers an end
 * that never arrives.
 */
export const SHOWN_FOR_MS = 8_000;

type Listener = () => void;
const listeners = new Set<Listener>();
/** Who is shown as typing, with the timer that ends it. */
const typists = new Map<string, ReturnType<typeof setTimeout>>();
const notify = () => listeners.forEach((l) => l());

export const typingStore = {
  /** `userId` started (`true`, for at most SHOWN_FOR_MS) or stopped typing to the viewer. */
  set(userId: string, typing: boolean) {
    const shown = typists.has(userId);
    clearTimeout(typists.get(userId));
    typists.delete(userId);
    if (typing)
      typists.set(
        userId,
        setTimeout(() => typingStore.set(userId, false), SHOWN_FOR_MS),
      );
    if (shown !== typing) notify();
  },
  /** Nobody is typing (the socket dropped, the viewer left): whatever was shown is stale. */
  clear() {
    if (typists.size === 0) return;
    typists.forEach((timer) => clearTimeout(timer));
    typists.clear();
    notify();
  },
  isTyping: (userId: string) => typists.has(userId),
  subscribe(listener: Listener) {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
};

/** The app's one typing subscription, feeding `typingStore`; mount it once for the signed-in viewer. */
export function useTypingFeed(): void {
  const connected = useConnectionStatus() === 'connected';
  useSubscription(TypingSubscription, {
    fetchPolicy: 'no-cache',
    onData({ data }) {
      const event = data.data?.typing;
      if (event) typingStore.set(event.user.id, event.typing);
    },
  });
  // Whatever was shown before an outage is stale once it is over; nothing outlives the viewer's session.
  useEffect(() => {
    if (!connected) typingStore.clear();
  }, [connected]);
  useEffect(() => () => typingStore.clear(), []);
}

/** Whether `peerId` is typing to the viewer; off while the socket is down. */
export function usePeerTyping(peerId: string): boolean {
  const typing = useSyncExternalStore(
    typingStore.subscribe,
    () => typingStore.isTyping(peerId),
    () => false,
  );
  const connected = useConnectionStatus() === 'connected';
  return typing && connected;
}
