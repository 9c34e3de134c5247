import { ApolloClient, ApolloLink } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { HttpLink } from '@apollo/client/link/http';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { isSubscriptionOperation } from '@apollo/client/utilities';
import { authorizationHeader, tokenStore } from '../auth/tokenStore';
import { createCache } from './cache';
import { createErrorLink } from './errorLink';
import { createWsClient } from './wsClient';

interface ParleyClient {
  client: ApolloClient;
  /** Force the subscription socket to reconnect with the current token. */
  restartSocket(): void;
  dispose(): void;
}

/**
 * The one Apollo client of the app:
 *   errorLink → split ─┬─ subscription → GraphQLWsLink (graphql-ws, see wsClient.ts)
 *                      └─ otherwise    → auth header → HttpLink (POST to the same origin)
 * Authentication for both transports comes from auth/tokenStore, read at send time.
 */
export function createParleyClient(options: { httpUri?: string; wsUrl?: string } = {}): ParleyClient {
  const wsClient = createWsClient(options.wsUrl);
  const authHeader = new SetContextLink((prevContext) => {
    const authorization = authorizationHeader(tokenStore.get());
    if (!authorization) return {};
    return { headers: { ...prevContext.headers, authorization } };
  });
  const http = ApolloLink.from([authHeader, new HttpLink({ uri: options.httpUri ?? '/graphql' })]);
  const link = ApolloLink.from([
    createErrorLink(),
    ApolloLink.split(({ query }) => isSubscriptionOperation(query), new GraphQLWsLink(wsClient), http),
  ]);

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
