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
