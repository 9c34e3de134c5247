// The error codes of the public contract. Anything thrown that is not one of these is masked by Yoga
// ("Unexpected error.") so stack traces and SQL never reach clients.
import { GraphQLError } from 'graphql';

export type ErrorCode = 'UNAUTHENTICATED' | 'BAD_USER_INPUT' | 'NOT_FOUND' | 'FORBIDDEN' | 'SERVICE_UNAVAILABLE';

export function clientError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

export const unauthenticated = (message = 'Sign in first: send Authorization: Bearer <token>.') =>
  clientError('UNAUTHENTICATED', message);
export const badInput = (message: string, argument?: string) =>
  clientError('BAD_USER_INPUT', message, argument ? { argument } : {});
export const notFound = (message: string) => clientError('NOT_FOUND', message);
export const forbidden = (message: string) => clientError('FORBIDDEN', message);

/** Prisma's "unique constraint failed" error code. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'P2002';
}

const UNAVAILABLE_CODES = new Set([
  'P1001', 'P1002', 'P1008', 'P1017', 'P2024', // Prisma: unreachable, timed out, closed, pool timeout
  'P2028', // Prisma: a transaction could not start or finish in time (overloaded); it was rolled back
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN',
  '57P01', '57P02', '57P03', // PostgreSQL: admin shutdown, crash shutdown, cannot connect now
]);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connection (is )?closed|Can't reach database|terminating connection|the database system is (starting up|shutting down)|Client has encountered a connection error|DatabaseNotReachable|ConnectionClosed/i;

/** True for errors that mean "the database cannot be reached right now" (walks the cause chain). */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 6) return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; kind?: unknown; originalError?: unknown };
  if (typeof e.code === 'string' && (UNAVAILABLE_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  if (typeof e.kind === 'string' && /DatabaseNotReachable|ConnectionClosed|SocketTimeout/.test(e.kind)) return true;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)) return true;
  return isDatabaseUnavailable(e.cause, depth + 1) || isDatabaseUnavailable(e.originalError, depth + 1);
}

export const serviceUnavailable = () =>
  clientError('SERVICE_UNAVAILABLE', 'The database is unavailable right now: try again shortly (retry a send with the same clientMessageId).');
