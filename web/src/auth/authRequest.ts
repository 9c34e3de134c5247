import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { GraphQLResponseError, HttpStatusError, type GraphQLErrorLike } from '../shared/errors';
import { PERSISTED_QUERY_NOT_FOUND, trustedDocumentId } from '../shared/trustedDocumentId';
import { authorizationHeader, tokenStore } from './tokenStore';

/**
 * GraphQL over HTTP for what happens before the signed-in app is loaded: logging in or signing up, restoring a
 * session whose viewer is not saved, logging out from the "could not reach parley" screen. A POST to /graphql, as
 * Apollo's HttpLink sends it, so that the login page does not download Apollo Client, graphql-ws nor rxjs
 * (issue #12; the signed-in app, app/SignedIn.tsx, brings them).
 *
 * Invariants:
 * - Trusted documents as apollo/trustedDocuments.ts sends them: a generated document goes by its id alone
 *   (`extensions.persistedQuery`); when the server does not know the id (PERSISTED_QUERY_NOT_FOUND) it is sent
 *   once more with its text, printed then (graphql's printer is loaded only for that). A server with
 *   TRUSTED_DOCUMENTS=only never needs the text.
 * - Errors are the shapes shared/errors.ts reads (describeError, errorArgument, rateLimitOf), as for Apollo's:
 *   GraphQLResponseError for a GraphQL response with errors (whatever its HTTP status), HttpStatusError for any
 *   other unsuccessful answer, and fetch's own TypeError when the server cannot be reached.
 * - The token, if any, goes in Authorization, read at send time (tokenStore).
 */

export interface AuthRequestOptions<Variables> {
  variables?: Variables;
  signal?: AbortSignal;
  /** Where to send it; '/graphql' (same origin) unless told. */
  uri?: string;
}

interface Body {
  data?: unknown;
  errors?: GraphQLErrorLike[];
}

const operationName = (document: TypedDocumentNode<unknown, never>) => {
  const operation = document.definitions.find((d) => d.kind === 'OperationDefinition');
  return operation && 'name' in operation ? operation.name?.value : undefined;
};

const notFound = (body: Body) =>
  body.errors?.some(
    (e) => e.extensions?.code === PERSISTED_QUERY_NOT_FOUND || e.message === 'PersistedQueryNotFound',
  ) ?? false;

/** The operation's data; throws what shared/errors.ts describes. */
export async function authRequest<Data, Variables>(
  document: TypedDocumentNode<Data, Variables>,
  { variables, signal, uri = '/graphql' }: AuthRequestOptions<Variables> = {},
): Promise<Data> {
  const id = trustedDocumentId(document);
  const send = async (query: string | undefined): Promise<Body> => {
    const authorization = authorizationHeader(tokenStore.get());
    const response = await fetch(uri, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json,application/json;q=0.9',
        ...(authorization ? { authorization } : {}),
      },
      body: JSON.stringify({
        operationName: operationName(document as TypedDocumentNode<unknown, never>),
        variables: variables ?? {},
        ...(query === undefined ? {} : { query }),
        ...(id ? { extensions: { persistedQuery: { version: 1, sha256Hash: id } } } : {}),
      }),
      signal,
    });
    const text = await response.text();
    let body: Body | undefined;
    try {
      body = JSON.parse(text) as Body;
    } catch {
      // Not a GraphQL response (a proxy's error page, a bare 429): said by its status below.
    }
    if (body && (Array.isArray(body.errors) || (response.ok && body.data !== undefined))) return body;
    throw new HttpStatusError(response.status, text, response.headers);
  };
  const textOf = async () => (await import('graphql')).print(document);

  let body = await send(id ? undefined : await textOf());
  if (id && notFound(body)) body = await send(await textOf());
  if (body.errors?.length) throw new GraphQLResponseError(body.errors);
  if (body.data === undefined || body.data === null) throw new GraphQLResponseError([]);
  return body.data as Data;
}
