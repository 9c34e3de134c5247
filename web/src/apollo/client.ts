import { ApolloClient, ApolloLink } from '@apollo/client';
import { createAuthLink } from './authLink';
import { createCache } from './cache';
import { createErrorLink } from './errorLink';
import { createHttpLink } from './httpLink';
import { createSplitLink } from './splitLink';
import { createWsClient, createWsLink } from './wsLink';

export interface ParleyClient {
  client: ApolloClient;
  /** Force the subscription socket to reconnect with the current token. */
  restartSocket(): void;
  dispose(): void;
}

/**
 * The one Apollo client of the app:
 *   errorLink → split ─┬─ subscription → GraphQLWsLink (graphql-ws)
 *                      └─ otherwise    → authLink → HttpLink
 * Authentication for both transports comes from auth/tokenStore.
 */
export function createParleyClient(options: { httpUri?: string; wsUrl?: string } = {}): ParleyClient {
  const wsClient = createWsClient(options.wsUrl);
  const http = ApolloLink.from([createAuthLink(), createHttpLink(options.httpUri)]);
  const link = ApolloLink.from([createErrorLink(), createSplitLink(createWsLink(wsClient), http)]);

  const client = new ApolloClient({
    link,
    cache: createCache(),
  });

  return {
    client,
    restartSocket: () => wsClient.restart(),
    dispose: () => {
      void wsClient.dispose();
      client.stop();
    },
  };
}
