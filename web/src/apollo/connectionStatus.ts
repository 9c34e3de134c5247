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
/** The browser says it has no network (its `offline` event, navigator.onLine). */
let browserOffline = typeof navigator !== 'undefined' && navigator.onLine === false;
/** The server did not answer a ping in time (wsClient): the network is gone as far as we can tell. */
let pongMissed = false;

const notify = () => listeners.forEach((l) => l());

export const connectionStatus = {
  get: () => status,
  connectionCount: () => connections,
  set(next: ConnectionStatus) {
    if (next === 'connected' && status !== 'connected') {
      connections += 1;
      everConnected = true;
      pongMissed = false;
    }
    if (next === 'connecting' && everConnected) next = 'reconnecting';
    if (next === status) return;
    status = next;
    notify();
  },
  /**
   * No network, as far as the page can tell: the browser is offline, or the socket's last ping went unanswered
   * (until a socket connects again). Shown as "Offline", and on the messages waiting to go ("Waiting for network").
   */
  networkLost: () => browserOffline || pongMissed,
  setBrowserOffline(offline: boolean) {
    if (offline === browserOffline) return;
    browserOffline = offline;
    notify();
  },
  pongMissed() {
    if (pongMissed) return;
    pongMissed = true;
    notify();
  },
  /** Forget history, e.g. after logout: the next connection is a first one. */
  reset() {
    everConnected = false;
    pongMissed = false;
    status = 'idle';
    notify();
  },
  subscribe(listener: Listener) {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
};

// The browser's own word on the network, at once (not only when a socket notices).
if (typeof window !== 'undefined') {
  window.addEventListener('offline', () => connectionStatus.setBrowserOffline(true));
  window.addEventListener('online', () => connectionStatus.setBrowserOffline(false));
}

export function useNetworkLost(): boolean {
  return useSyncExternalStore(connectionStatus.subscribe, connectionStatus.networkLost, connectionStatus.networkLost);
}

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
