import { useSyncExternalStore } from 'react';

/**
 * Sends that the server did not acknowledge, per conversation, kept (with their
 * clientMessageId) so "Retry" re-sends the very same message and the server can
 * deduplicate. In-memory for now; issue 4 replaces this with a persistent outbox.
 */
export interface FailedSend {
  clientMessageId: string;
  peerId: string;
  content: string;
  createdAt: string;
  error: string;
}

type Listener = () => void;
const listeners = new Set<Listener>();
let byPeer: Record<string, FailedSend[]> = {};
const EMPTY: FailedSend[] = [];

function emit() {
  listeners.forEach((l) => l());
}

export const failedSends = {
  list(peerId: string): FailedSend[] {
    return byPeer[peerId] ?? EMPTY;
  },
  get(peerId: string, clientMessageId: string): FailedSend | undefined {
    return byPeer[peerId]?.find((f) => f.clientMessageId === clientMessageId);
  },
  add(entry: FailedSend) {
    const rest = (byPeer[entry.peerId] ?? []).filter((f) => f.clientMessageId !== entry.clientMessageId);
    byPeer = { ...byPeer, [entry.peerId]: [...rest, entry] };
    emit();
  },
  remove(peerId: string, clientMessageId: string | null | undefined) {
    if (!clientMessageId || !byPeer[peerId]?.some((f) => f.clientMessageId === clientMessageId)) return;
    byPeer = { ...byPeer, [peerId]: byPeer[peerId]!.filter((f) => f.clientMessageId !== clientMessageId) };
    emit();
  },
  clear() {
    byPeer = {};
    emit();
  },
  subscribe(listener: Listener) {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
};

export function useFailedSends(peerId: string): FailedSend[] {
  return useSyncExternalStore(
    failedSends.subscribe,
    () => failedSends.list(peerId),
    () => failedSends.list(peerId),
  );
}
