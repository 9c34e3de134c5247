import { HttpLink } from '@apollo/client/link/http';

/** Queries and mutations go over plain HTTP POST to the same origin. */
export function createHttpLink(uri = '/graphql') {
  return new HttpLink({ uri });
}
