import type { DocumentNode } from 'graphql';

/**
 * Trusted documents, the part both transports share without a GraphQL client:
 * the id codegen embeds in every document it generates (`__meta__.hash`,
 * "sha256:<hex>"; codegen.ts), sent as the hex APQ clients send in
 * `extensions.persistedQuery` ({ version: 1, sha256Hash }). The Apollo side is
 * apollo/trustedDocuments.ts; the sign-in requests (auth/authRequest.ts) send
 * the same ids without Apollo.
 */
export function trustedDocumentId(document: DocumentNode): string | undefined {
  const hash = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  return typeof hash === 'string' ? hash.replace(/^sha256:/, '') : undefined;
}

/** What a server that does not know an id answers (extensions.code); the operation is then sent with its text. */
export const PERSISTED_QUERY_NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND';
