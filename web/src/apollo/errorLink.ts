import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { ErrorLink } from '@apollo/client/link/error';
import { tokenStore } from '../auth/tokenStore';

// Operations whose UNAUTHENTICATED error means "wrong credentials", not "session gone".
const CREDENTIAL_OPERATIONS = new Set(['LogIn', 'SignUp']);

/**
 * An UNAUTHENTICATED error on any other operation means the stored token is
 * invalid or expired: drop it, which sends the app back to the login screen.
 */
export function createErrorLink() {
  return new ErrorLink(({ error, operation }) => {
    if (!CombinedGraphQLErrors.is(error)) return;
    if (CREDENTIAL_OPERATIONS.has(operation.operationName ?? '')) return;
    const unauthenticated = error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
    if (unauthenticated && tokenStore.get()) tokenStore.clear('expired');
  });
}
