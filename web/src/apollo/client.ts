import { ApolloClient, ApolloLink } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { HttpLink } from '@apollo/client/link/http';
import { isSubscriptionOperation } from '@apollo/client/utilities';
import { authorizationHeader, tokenStore } from '../auth/tokenStore';
import { createCache } from './cache';
import { createErrorLink } from './errorLink';
import { createQueryHttpFallbackLink, createSocketOperationLink } from './socketOperations';
import { createTrustedDocumentLink, TrustedDocumentWsLink } from './trustedDocuments';
import { createWsClient } from './wsClient';

interface ParleyClient {
  client: ApolloClient;
  /** Force the subscription socket to reconnect with the current token. */
  restartSocket(): void;
  dispose(): void;
}

interface ParleyClientOptions {
  httpUri?: string;
  wsUrl?: string;
  /** Tests: a fake WebSocket and fetch; the browser's otherwise. */
  webSocketImpl?: unknown;
  fetch?: typeof fetch;
}

/**
 * The one Apollo client of the app:
 *   errorLink → trusted documents → split ─┬─ subscription ─────────────────→ ws link (graphql-ws, see wsClient.ts)
 *                                          ├─ query/mutation, socket ready ─→ socketOperations ─┘
 *                                          │     (a query cut off by the socket closing: asked again over HTTP)
 *                                          └─ query/mutation otherwise ─→ auth header → HttpLink (POST, same origin)
 * Generated documents go by id, not text, on both transports (trustedDocuments.ts).
 * While the subscription socket is open and authenticated as the current user,
 * queries and mutations go over it as well: about twice as fast as a POST
 * (bench/transport.ts) — no HTTP request to parse and authenticate each time.
 * When it is not (connecting, down, restarting after a login/logout), HTTP.
 * Authentication for both transports comes from auth/tokenStore: the socket's
 * connectionParams, or the Authorization header read at send time.
 */
export function createParleyClient(options: ParleyClientOptions = {}): ParleyClient {
  const wsClient = createWsClient(options.wsUrl, options.webSocketImpl);
  const authHeader = new SetContextLink((prevContext) => {
    const authorization = authorizationHeader(tokenStore.get());
    if (!authorization) return {};
    return { headers: { ...prevContext.headers, authorization } };
  });
  const http = ApolloLink.from([
    authHeader,
    new HttpLink({ uri: options.httpUri ?? '/graphql', ...(options.fetch ? { fetch: options.fetch } : {}) }),
  ]);
  const ws = new TrustedDocumentWsLink(wsClient);
  const overSocket = ApolloLink.from([createQueryHttpFallbackLink(http), createSocketOperationLink(wsClient), ws]);
  const link = ApolloLink.from([
    createErrorLink(),
    createTrustedDocumentLink(),
    ApolloLink.split(
      ({ query }) => isSubscriptionOperation(query),
      ws,
      ApolloLink.split(() => wsClient.ready(), overSocket, http),
    ),
  ]);

  const client = new ApolloClient({
    link,
    cache: createCache(),
  });

  return {
    client,
    restartSocket: () => wsClient.restart(),
    dispose: () => {
      // Disposed during a retry wait, graphql-ws's dispose() awaits the pending connection, which the lazy client
      // gives up once nothing is subscribed: it rejects with { code: 1000, reason: 'All Subscriptions Gone' }.
      // There is no socket to close then, and nothing to report.
      void Promise.resolve(wsClient.dispose()).catch(() => {});
      client.stop();
    },
  };
}
