import { useSyncExternalStore } from 'react';

/**
 * Live state of the graphql-ws socket, fed by the ws link's event handlers and
 * read by the UI (ConnectionBadge) and by the conversation, which refetches the
 * newest page after a reconnect to pick up anything missed while offline.
 */
export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting';

type Listener = () => void;
const listeners = new Set<Listener>();
let status: ConnectionStatus = 'idle';
/** Increments on every successful (re)connection after the first. */
let reconnects = 0;
let everConnected = false;

export const connectionStatus = {
  get: () => status,
  reconnectCount: () => reconnects,
  set(next: ConnectionStatus) {
    if (next === 'connected') {
      if (everConnected) reconnects += 1;
      everConnected = true;
    }
    if (next === 'connecting' && everConnected) next = 'reconnecting';
    if (next === status) return;
    status = next;
    listeners.forEach((l) => l());
  },
  /** Forget history, e.g. after logout: the next connection is a first one. */
  reset() {
    everConnected = false;
    status = 'idle';
    listeners.forEach((l) => l());
  },
  subscribe(listener: Listener) {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
};

export function useConnectionStatus(): ConnectionStatus {
  return useSyncExternalStore(connectionStatus.subscribe, connectionStatus.get, connectionStatus.get);
}

/** Number of reconnections so far; changes trigger a catch-up refetch. */
export function useReconnectCount(): number {
  return useSyncExternalStore(
    connectionStatus.subscribe,
    connectionStatus.reconnectCount,
    connectionStatus.reconnectCount,
  );
}
