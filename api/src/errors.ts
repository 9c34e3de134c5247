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
