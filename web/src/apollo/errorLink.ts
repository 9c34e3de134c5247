import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { ErrorLink } from '@apollo/client/link/error';
import { logoutReasonOf, tokenStore } from '../auth/tokenStore';

// Operations whose UNAUTHENTICATED error means "wrong credentials", not "session gone".
// (settings/refusal.ts tells a wrong password from a session gone for the settings' own.)
const CREDENTIAL_OPERATIONS = new Set(['LogIn', 'SignUp', 'ChangePassword', 'DeleteAccount']);

/**
 * An UNAUTHENTICATED error on any other operation means the stored token is
 * invalid, expired or its session was ended: drop it, which sends the app back to the login screen.
 */
export function createErrorLink() {
  return new ErrorLink(({ error, operation }) => {
    if (!CombinedGraphQLErrors.is(error)) return;
    if (CREDENTIAL_OPERATIONS.has(operation.operationName ?? '')) return;
    const unauthenticated = error.errors.find((e) => e.extensions?.code === 'UNAUTHENTICATED');
    // Expired, or ended elsewhere ("log out everywhere"): the server's message says which.
    if (unauthenticated && tokenStore.get()) tokenStore.clear(logoutReasonOf(unauthenticated.message));
  });
}
