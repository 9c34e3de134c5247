import { CloseCode, createClient, type Client } from 'graphql-ws';
import { authorizationHeader, logoutReasonOf, tokenStore } from '../auth/tokenStore';
import { backoff } from '../shared/backoff';
import { connectionStatus } from './connectionStatus';

// WebSocket close codes graphql-ws has no name for.
/** Standard normal closure: a lazy client closing once nothing is subscribed. */
const NORMAL_CLOSURE = 1000;
/** Our own, non-fatal to graphql-ws (it reconnects at once): see restart(). */
const CLIENT_RESTART = 4205;
/** Ours, non-fatal: the network went (the browser's `offline`, or a ping unanswered); reconnect when it is back. */
const NETWORK_LOST = 4408;
const OPEN = 1; // WebSocket.OPEN, without depending on a global WebSocket
/** A ping every KEEP_ALIVE_MS; no pong within PONG_TIMEOUT_MS means the network is gone (a dead Wi-Fi says nothing). */
const KEEP_ALIVE_MS = 10_000;
const PONG_TIMEOUT_MS = 4_000;

function defaultWsUrl(path = '/graphql'): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}${path}`;
}

function closeCode(event: unknown): number | undefined {
  return typeof event === 'object' && event !== null && 'code' in event ? (event as { code: number }).code : undefined;
}

function closeReason(event: unknown): string | undefined {
  return typeof event === 'object' && event !== null && 'reason' in event
    ? String((event as { reason: unknown }).reason)
    : undefined;
}

const browserOffline = () => typeof navigator !== 'undefined' && navigator.onLine === false;

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
  /** Armed when a ping goes out, disarmed by its pong. */
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  /** Retry waits in progress: the network coming back ends them at once. */
  const waits = new Set<() => void>();

  const closeForNetwork = (reason: string) => {
    clearTimeout(pongTimer);
    if (socket && socket.readyState === OPEN) socket.close(NETWORK_LOST, reason);
  };
  if (typeof window !== 'undefined') {
    // The browser knows first: say so (connectionStatus) and drop the socket, which may hang for minutes otherwise.
    window.addEventListener('offline', () => closeForNetwork('Offline'));
    window.addEventListener('online', () => {
      waits.forEach((wake) => wake());
      waits.clear();
    });
  }

  /** Backoff between attempts; none is made while the browser is offline (its `online` event ends the wait). */
  const retryWait = (retries: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        waits.delete(wake);
        resolve();
      };
      // 0.5s, 1s, 2s, 4s … capped at 10s, with jitter
      const timer = setTimeout(
        () => (browserOffline() ? undefined : wake()),
        backoff(retries, { first: 500, max: 10_000 }),
      );
      waits.add(wake);
    });

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
    retryWait,
    keepAlive: KEEP_ALIVE_MS,
    on: {
      ping: (received) => {
        if (received) return; // the server's; ours are the ones that need an answer
        clearTimeout(pongTimer);
        pongTimer = setTimeout(() => {
          connectionStatus.pongMissed();
          closeForNetwork('No pong');
        }, PONG_TIMEOUT_MS);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
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
        clearTimeout(pongTimer);
        if (closeCode(event) === CloseCode.Forbidden) {
          // Expired, or ended from another device ("log out everywhere"): the close reason says which.
          tokenStore.clear(logoutReasonOf(closeReason(event)));
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
