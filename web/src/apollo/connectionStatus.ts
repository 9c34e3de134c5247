import { useSyncExternalStore } from 'react';

/**
 * Live state of the graphql-ws socket, fed by the ws link's event handlers and
 * read by the UI (ConnectionBadge), the outbox (resend on reconnect) and the
 * conversation (load the page it could not load while offline).
 */
export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting';

type Listener = () => void;
const listeners = new Set<Listener>();
let status: ConnectionStatus = 'idle';
/** Increments on every successful connection, the first one included. */
let connections = 0;
let everConnected = false;

export const connectionStatus = {
  get: () => status,
  connectionCount: () => connections,
  set(next: ConnectionStatus) {
    if (next === 'connected' && status !== 'connected') {
      connections += 1;
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

/** Number of successful connections so far (a change means: the server is reachable again). */
export function useConnectionCount(): number {
  return useSyncExternalStore(
    connectionStatus.subscribe,
    connectionStatus.connectionCount,
    connectionStatus.connectionCount,
  );
}
