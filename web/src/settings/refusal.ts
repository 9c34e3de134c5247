import { logoutReasonOf, tokenStore } from '../auth/tokenStore';
import { describeError, errorArgument, errorCode, graphQLErrorsOf } from '../shared/errors';
import { rateLimitOf } from '../shared/rateLimit';

/** What a settings form does with a refusal: a problem under one of its fields, or a sentence under the form. */
export type Refusal = { field: string; message: string } | { field: null; message: string };

/**
 * Sorts out a refused changePassword, deleteAccount or updateProfile. These operations answer a wrong password
 * with UNAUTHENTICATED, so apollo/errorLink.ts lets them through (CREDENTIAL_OPERATIONS) and this tells the two
 * apart: the server's error names the password (its argument or its words), or the session itself is gone, and
 * then this device signs out as any other operation would have made it.
 *
 * `passwordField` is the form's field for the password the server checked.
 */
export function refusalOf(error: unknown, passwordField?: string): Refusal {
  const limited = rateLimitOf(error);
  if (limited) return { field: null, message: limited.message };
  const code = errorCode(error);
  const argument = errorArgument(error);
  const message = sentence(describeError(error));
  if (code === 'UNAUTHENTICATED') {
    const first = graphQLErrorsOf(error)?.[0]?.message ?? '';
    if (passwordField && (argument === passwordField || /password/i.test(first)))
      return { field: passwordField, message };
    if (tokenStore.get()) tokenStore.clear(logoutReasonOf(first));
    return { field: null, message };
  }
  if (argument) return { field: argument, message };
  return { field: null, message };
}

/** The API's rule text as a sentence under its field ("password must be …" → "Password must be …"). */
export const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
