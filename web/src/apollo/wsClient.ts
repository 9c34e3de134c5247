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
  return typeof event === 'object' && event !== null && 'code' in event ? (event as { code: number }).code : undefined;
}

export interface ParleyWsClient extends Client {
  /** Close the socket so that it reconnects, authenticating with the current token. */
  restart(): void;
  /**
   * True while a socket is open, acknowledged by the server and authenticated
   * as the current token's user (not yet restarted after a login or logout):
   * then queries and mutations may go over it too (see client.ts).
   */
  ready(): boolean;
}

/**
 * graphql-ws client for subscriptions (and, while it is up, queries and
 * mutations). connectionParams is a function, so every (re)connect
 * authenticates with the *current* token; `restart()` forces a new socket
 * after login/logout so the server sees the new identity.
 */
export function createWsClient(
  url = defaultWsUrl(),
  /** Tests pass a fake; the browser's WebSocket otherwise. */
  webSocketImpl?: unknown,
): ParleyWsClient {
  let socket: WebSocket | null = null;
  /** The socket the server acknowledged, and the token it authenticated with. */
  let acknowledged: { socket: unknown; token: string | null } | null = null;
  /** The token the socket being opened presents in its connectionParams. */
  let presentedToken: string | null = null;

  const client = createClient({
    url,
    webSocketImpl,
    lazy: true,
    connectionParams: () => {
      presentedToken = tokenStore.get();
      const authorization = authorizationHeader(presentedToken);
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
        acknowledged = null;
      },
      // Before the status listeners run: they may send at once (outbox, refetches).
      connected: (s) => {
        acknowledged = { socket: s, token: presentedToken };
        connectionStatus.set('connected');
      },
      closed: (event) => {
        socket = null;
        acknowledged = null;
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
    ready() {
      return (
        socket !== null &&
        socket.readyState === OPEN && // not closing (a restart's close handshake)
        acknowledged?.socket === socket &&
        acknowledged.token === tokenStore.get()
      );
    },
  });
}
