import { ApolloLink } from '@apollo/client/link';
import { isSubscriptionOperation } from '@apollo/client/utilities';

/** Subscriptions over graphql-ws, everything else over HTTP. */
export function createSplitLink(wsLink: ApolloLink, httpLink: ApolloLink) {
  return ApolloLink.split(({ query }) => isSubscriptionOperation(query), wsLink, httpLink);
}
