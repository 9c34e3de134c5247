import { ApolloLink } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { Kind, type DocumentNode } from 'graphql';
import { PERSISTED_QUERY_NOT_FOUND, trustedDocumentId } from '../shared/trustedDocumentId';

/**
 * Trusted documents (persisted operations): the app sends each operation's id
 * instead of its text, over HTTP and over the socket alike, in
 * `extensions.persistedQuery` ({ version: 1, sha256Hash }, Apollo's shape). The
 * ids are the SHA-256 codegen embeds in every document it generates
 * (codegen.ts); its manifest (web/src/gql/persisted-documents.json) is what the
 * server runs them from (api/src/http/trusted-documents.ts). A server that does
 * not know an id answers PERSISTED_QUERY_NOT_FOUND and the operation is sent
 * again with its text (a server that accepts only trusted documents then
 * refuses it: TRUSTED_DOCUMENTS=only). A document without an id (written by
 * hand, not generated) is sent as text.
 */

// The id codegen embedded in a document, as the hex APQ clients send (Apollo-free: the sign-in requests use it too).
export { trustedDocumentId };
const NOT_FOUND = PERSISTED_QUERY_NOT_FOUND;

/** Sends generated documents by id (to be placed before the transports). */
export function createTrustedDocumentLink(): ApolloLink {
  const byId = new PersistedQueryLink({
    generateHash: (document) => trustedDocumentId(document)!,
    // PersistedQueryLink finds PERSISTED_QUERY_NOT_FOUND in an HTTP response itself; over the socket graphql-ws
    // reports a refused operation as an error (CombinedGraphQLErrors), which it does not look into.
    retry: ({ meta, error }) =>
      meta.persistedQueryNotFound ||
      meta.persistedQueryNotSupported ||
      (CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === NOT_FOUND)),
  });
  return ApolloLink.split(({ query }) => trustedDocumentId(query) !== undefined, byId);
}

/** graphql-ws wants a string for `query`: an empty one when only the id goes. */
const NO_TEXT: DocumentNode = { kind: Kind.DOCUMENT, definitions: [] };

/**
 * GraphQLWsLink that leaves the text out when PersistedQueryLink asks to (`http.includeQuery: false` in the
 * context, which HttpLink honours): the socket then carries only the id, in the same extensions as HTTP.
 */
export class TrustedDocumentWsLink extends GraphQLWsLink {
  override request(operation: ApolloLink.Operation) {
    const http = operation.getContext().http as { includeQuery?: boolean } | undefined;
    if (http?.includeQuery !== false || !operation.extensions.persistedQuery) return super.request(operation);
    return super.request(Object.create(operation, { query: { value: NO_TEXT } }) as ApolloLink.Operation);
  }
}
