// The error codes of the public contract. Anything thrown that is not one of these is masked by Yoga
// ("Unexpected error.") so stack traces and SQL never reach clients.
import { GraphQLError } from 'graphql';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'SERVICE_UNAVAILABLE'
  | 'RATE_LIMITED'
  | 'TOO_MANY_OPERATIONS'
  | 'QUERY_TOO_COMPLEX';

export function clientError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

export const unauthenticated = (message = 'Sign in first: send Authorization: Bearer <token>.') =>
  clientError('UNAUTHENTICATED', message);
export const badInput = (message: string, argument?: string) =>
  clientError('BAD_USER_INPUT', message, argument ? { argument } : {});
export const notFound = (message: string) => clientError('NOT_FOUND', message);
export const forbidden = (message: string) => clientError('FORBIDDEN', message);

/**
 * How an error in the request itself (the document, or its variables) is answered over HTTP: 400, or 200 to a
 * client that accepts only `application/json`, as GraphQL over HTTP asks (`spec`, honoured by Yoga).
 */
export const REQUEST_ERROR_HTTP = { status: 400, spec: true } as const;

/** Which query limit a document is over (http/yoga.ts), its value there, and the limit. */
export type QueryLimit = {
  measure: 'cost' | 'depth' | 'aliases' | 'directives' | 'tokens' | 'introspectionDepth';
  limit: number;
  found?: number;
};

/** A document over a query limit: QUERY_TOO_COMPLEX, rejected before anything runs. */
export const queryTooComplex = (message: string, limit: QueryLimit) =>
  clientError('QUERY_TOO_COMPLEX', message, { ...limit, http: { ...REQUEST_ERROR_HTTP } });

const codeOf = (err: unknown) =>
  typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;

/** "Unique constraint failed": Prisma's P2002, or PostgreSQL's 23505 from a raw statement. */
export function isUniqueViolation(err: unknown): boolean {
  const code = codeOf(err);
  return code === 'P2002' || code === '23505';
}

/** PostgreSQL's "foreign key violation" (23505's sibling 23503), with the constraint that failed. */
export function isForeignKeyViolation(err: unknown, constraint?: string): boolean {
  return codeOf(err) === '23503' && (!constraint || (err as { constraint?: string }).constraint === constraint);
}

// Grouped by source, a comment per group.
// prettier-ignore
const UNAVAILABLE_CODES = new Set([
  'P1001', 'P1002', 'P1008', 'P1017', 'P2024', // Prisma: unreachable, timed out, closed, pool timeout
  'P2028', // Prisma: a transaction could not start or finish in time (overloaded); it was rolled back
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN',
]);

/**
 * PostgreSQL's SQLSTATEs for "not now, try again": class 08 (connection exception), 57P01..57P05 (shutting down,
 * crashed, recovering: "not yet accepting connections", "in recovery mode", idle timeouts), 53300 (too many
 * connections). Classified by code, never by message text, which varies by version and locale.
 */
const isUnavailableSqlState = (code: string) => /^(08[0-9A-Z]{3}|57P0[1-5]|53300)$/.test(code);

const UNAVAILABLE_MESSAGE =
  /Connection terminated|connection (is )?closed|Can't reach database|Client has encountered a connection error|DatabaseNotReachable|ConnectionClosed/i;

/**
 * True for errors that mean "the database cannot be reached right now". Walks the cause chain, including where
 * Prisma's driver adapters keep the driver's error (`meta.driverAdapterError.cause`, e.g. P2039 around a 57P03).
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 8) return false;
  const e = err as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    kind?: unknown;
    originalError?: unknown;
    meta?: { driverAdapterError?: unknown };
  };
  if (typeof e.code === 'string' && (UNAVAILABLE_CODES.has(e.code) || isUnavailableSqlState(e.code))) return true;
  if (
    typeof e.kind === 'string' &&
    /DatabaseNotReachable|ConnectionClosed|SocketTimeout|TooManyConnections/.test(e.kind)
  ) {
    return true;
  }
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)) return true;
  return [e.cause, e.originalError, e.meta?.driverAdapterError].some((next) => isDatabaseUnavailable(next, depth + 1));
}

export const serviceUnavailable = () =>
  clientError(
    'SERVICE_UNAVAILABLE',
    'The database is unavailable right now: try again shortly (retry a send with the same clientMessageId).',
  );

/** Too many requests: `retryAfter` is the seconds to wait; over HTTP also status 429 with Retry-After. */
export function rateLimited(msBeforeNext: number): GraphQLError {
  const retryAfter = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return clientError('RATE_LIMITED', `Too many requests: try again in ${retryAfter} s.`, {
    retryAfter,
    http: { status: 429, headers: { 'retry-after': String(retryAfter) } },
  });
}
