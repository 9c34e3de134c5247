import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createClient, type Client } from 'graphql-ws';
import { authorizationHeader, tokenStore } from '../auth/tokenStore';
import { connectionStatus } from './connectionStatus';

/** Close code the server uses when connectionParams carry a bad/expired token. */
export const WS_FORBIDDEN = 4403;
const OPEN = 1; // WebSocket.OPEN, without depending on a global WebSocket

export function defaultWsUrl(path = '/graphql'): string {
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
    // A 4403 will not succeed on retry with the same token: stop and log out.
    shouldRetry: (event) => closeCode(event) !== WS_FORBIDDEN,
    retryWait: async (retries) => {
      // 0.5s, 1s, 2s, 4s … capped at 10s, with jitter
      const base = Math.min(10_000, 500 * 2 ** retries);
      await new Promise((r) => setTimeout(r, base / 2 + Math.random() * (base / 2)));
    },
    keepAlive: 15_000,
    on: {
      connecting: () => connectionStatus.set('connecting'),
      opened: (s) => {
        socket = s as WebSocket;
      },
      connected: () => connectionStatus.set('connected'),
      closed: (event) => {
        socket = null;
        if (closeCode(event) === WS_FORBIDDEN) {
          tokenStore.clear('expired');
          connectionStatus.reset();
          return;
        }
        // lazy client with no subscriptions closes normally (1000): that's idle.
        connectionStatus.set(closeCode(event) === 1000 ? 'idle' : 'connecting');
      },
    },
  });

  return Object.assign(client, {
    restart() {
      // Closing with 4205 (a non-fatal app code) makes graphql-ws reconnect
      // immediately if subscriptions are active, re-reading connectionParams.
      if (socket && socket.readyState === OPEN) socket.close(4205, 'Client restart');
    },
  });
}

export function createWsLink(client: Client) {
  return new GraphQLWsLink(client);
}
