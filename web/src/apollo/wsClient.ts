import { CloseCode, createClient, type Client } from 'graphql-ws';
import { authorizationHeader, tokenStore } from '../auth/tokenStore';
import { backoff } from '../shared/backoff';
import { connectionStatus } from './connectionStatus';

// WebSocket close codes graphql-ws has no name for.
/** Standard normal closure: a lazy client closing once nothing is subscribed. */
const NORMAL_CLOSURE = 1000;
/** Our own, non-fatal to graphql-ws (it reconnects at once): see restart(). */
const CLIENT_RESTART = 4205;
const OPEN = 1; // WebSocket.OPEN, without depending on a global WebSocket

function defaultWsUrl(path = '/graphql'): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}${path}`;
}

function closeCode(event: unknown): number | undefined {
  return typeof event === 'object' && event !== null && 'code' in event
    ? (event as { code: number }).code
    : undefined;
}

/**
 * graphql-ws client for subscriptions. connectionParams is a function, so every
 * (re)connect authenticates with the *current* token; `restart()` forces a new
 * socket after login/logout so the server sees the new identity.
 */
export function createWsClient(
  url = defaultWsUrl(),
  /** Tests pass a fake; the browser's WebSocket otherwise. */
  webSocketImpl?: unknown,
): Client & { restart(): void } {
  let socket: WebSocket | null = null;

  const client = createClient({
    url,
    webSocketImpl,
    lazy: true,
    connectionParams: () => {
      const authorization = authorizationHeader(tokenStore.get());
      return authorization ? { authorization } : {};
    },
    retryAttempts: Infinity,
    // The server closes with Forbidden (4403) for a bad or expired token; it
    // will not succeed on retry with the same token: stop and log out.
    shouldRetry: (event) => closeCode(event) !== CloseCode.Forbidden,
    // 0.5s, 1s, 2s, 4s … capped at 10s, with jitter
    retryWait: (retries) => new Promise<void>((r) => setTimeout(r, backoff(retries, { first: 500, max: 10_000 }))),
    keepAlive: 15_000,
    on: {
      connecting: () => connectionStatus.set('connecting'),
      opened: (s) => {
        socket = s as WebSocket;
      },
      connected: () => connectionStatus.set('connected'),
      closed: (event) => {
        socket = null;
        if (closeCode(event) === CloseCode.Forbidden) {
          tokenStore.clear('expired');
          connectionStatus.reset();
          return;
        }
        // A lazy client with no subscriptions closes normally: that's idle.
        connectionStatus.set(closeCode(event) === NORMAL_CLOSURE ? 'idle' : 'connecting');
      },
    },
  });

  return Object.assign(client, {
    restart() {
      // Closing with a non-fatal app code makes graphql-ws reconnect
      // immediately if subscriptions are active, re-reading connectionParams.
      if (socket && socket.readyState === OPEN) socket.close(CLIENT_RESTART, 'Client restart');
    },
  });
}
