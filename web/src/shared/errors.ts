/**
 * What went wrong with a request, in words for the user and in codes for the app — for both ways the app asks the
 * server: Apollo Client (the signed-in app) and auth/authRequest.ts (signing in, without Apollo, which the login
 * page does not download). This module does not import Apollo: it reads Apollo's errors by their public shape
 * (CombinedGraphQLErrors: `errors`; ServerError: `statusCode`, `bodyText`, `response`), and authRequest throws the
 * two classes below, of the same shapes.
 */

/** One entry of a GraphQL response's `errors`. */
export interface GraphQLErrorLike {
  message: string;
  extensions?: Record<string, unknown>;
}

/** A GraphQL response with errors (authRequest's counterpart of Apollo's CombinedGraphQLErrors). */
export class GraphQLResponseError extends Error {
  readonly errors: readonly GraphQLErrorLike[];
  constructor(errors: readonly GraphQLErrorLike[]) {
    super(errors.map((e) => e.message).join(' ') || 'The server rejected the request.');
    this.name = 'GraphQLResponseError';
    this.errors = errors;
  }
}

/** An HTTP answer that is not a GraphQL response, e.g. a proxy's 502 (authRequest's counterpart of ServerError). */
export class HttpStatusError extends Error {
  readonly statusCode: number;
  readonly bodyText: string;
  readonly response: { headers: Headers };
  constructor(statusCode: number, bodyText: string, headers: Headers) {
    super(`Response not successful: Received status code ${statusCode}`);
    this.name = 'HttpStatusError';
    this.statusCode = statusCode;
    this.bodyText = bodyText;
    this.response = { headers };
  }
}

const named = (error: unknown, ...names: string[]): error is Record<string, unknown> =>
  error instanceof Error && names.includes(error.name);

/** The GraphQL errors the server answered with; undefined for any other failure (network, HTTP status). */
export function graphQLErrorsOf(error: unknown): readonly GraphQLErrorLike[] | undefined {
  if (!named(error, 'CombinedGraphQLErrors', 'GraphQLResponseError')) return undefined;
  return Array.isArray(error.errors) ? (error.errors as GraphQLErrorLike[]) : undefined;
}

/** An HTTP status the server (or a proxy) answered with instead of a GraphQL response. */
export function httpFailureOf(
  error: unknown,
): { statusCode: number; bodyText: string; header(name: string): string | null } | undefined {
  if (!named(error, 'ServerError', 'HttpStatusError') || typeof error.statusCode !== 'number') return undefined;
  const headers = (error.response as { headers?: Headers } | undefined)?.headers;
  return {
    statusCode: error.statusCode,
    bodyText: typeof error.bodyText === 'string' ? error.bodyText : '',
    header: (name) => headers?.get?.(name) ?? null,
  };
}

/** A human sentence for a failed request (GraphQL message or a network failure). */
export function describeError(error: unknown): string {
  const errors = graphQLErrorsOf(error);
  if (errors) return errors.map((e) => e.message).join(' ') || 'The server rejected the request.';
  if (error instanceof Error && /fetch|network/i.test(error.message)) {
    return 'Cannot reach the server. Check your connection and try again.';
  }
  // A gateway or proxy answering for a server that is down or restarting.
  const status = httpFailureOf(error)?.statusCode;
  if (status !== undefined && status >= 502 && status <= 504) return 'The server is not available right now.';
  return error instanceof Error ? error.message : 'Something went wrong.';
}

/** The first GraphQL error's `extensions.code`, if any. */
export function errorCode(error: unknown): string | undefined {
  const code = graphQLErrorsOf(error)?.[0]?.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The server could not be reached or could not serve the request right now (worth retrying later). */
export function isUnavailableError(error: unknown): boolean {
  return !graphQLErrorsOf(error) || errorCode(error) === 'SERVICE_UNAVAILABLE';
}

/** The server answered that what was asked for does not exist (e.g. a conversation with an unknown user). */
export function isNotFoundError(error: unknown): boolean {
  return errorCode(error) === 'NOT_FOUND';
}

/** The argument a BAD_USER_INPUT error names (`extensions.argument`), if any: which field to fix. */
export function errorArgument(error: unknown): string | undefined {
  const argument = graphQLErrorsOf(error)?.[0]?.extensions?.argument;
  return typeof argument === 'string' ? argument : undefined;
}

/** Refused because of too many attempts: nothing in the form is wrong. */
export function isRateLimitedError(error: unknown): boolean {
  return errorCode(error) === 'RATE_LIMITED';
}
