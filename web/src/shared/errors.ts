import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';

/** A human sentence for an Apollo error (GraphQL message or a network failure). */
export function describeError(error: unknown): string {
  if (CombinedGraphQLErrors.is(error)) {
    return error.errors.map((e) => e.message).join(' ') || 'The server rejected the request.';
  }
  if (error instanceof Error && /fetch|network/i.test(error.message)) {
    return 'Cannot reach the server. Check your connection and try again.';
  }
  // A gateway or proxy answering for a server that is down or restarting.
  if (ServerError.is(error) && error.statusCode >= 502 && error.statusCode <= 504) {
    return 'The server is not available right now.';
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
}

function errorCode(error: unknown): string | undefined {
  if (!CombinedGraphQLErrors.is(error)) return undefined;
  const code = error.errors[0]?.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The server could not be reached or could not serve the request right now (worth retrying later). */
export function isUnavailableError(error: unknown): boolean {
  return !CombinedGraphQLErrors.is(error) || errorCode(error) === 'SERVICE_UNAVAILABLE';
}

/** The server answered that what was asked for does not exist (e.g. a conversation with an unknown user). */
export function isNotFoundError(error: unknown): boolean {
  return errorCode(error) === 'NOT_FOUND';
}

/** The argument a BAD_USER_INPUT error names (`extensions.argument`), if any: which field to fix. */
export function errorArgument(error: unknown): string | undefined {
  if (!CombinedGraphQLErrors.is(error)) return undefined;
  const argument = error.errors[0]?.extensions?.argument;
  return typeof argument === 'string' ? argument : undefined;
}

/** Refused because of too many attempts: nothing in the form is wrong. */
export function isRateLimitedError(error: unknown): boolean {
  return errorCode(error) === 'RATE_LIMITED';
}
