import { graphQLErrorsOf, httpFailureOf, type GraphQLErrorLike } from './errors';

/** The server refused a request for now: too many of them. */
export interface RateLimit {
  /** Seconds to wait before asking again (at least 1). */
  retryAfter: number;
  /** The server's sentence ("Too many requests: try again in 5 s."). */
  message: string;
}

const seconds = (value: unknown): number | undefined => {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.max(1, Math.ceil(n)) : undefined;
};

const sentence = (retryAfter: number) => `Too many requests: try again in ${retryAfter} s.`;

function fromErrors(errors: readonly { message?: string; extensions?: Record<string, unknown> }[]) {
  const refused = errors.find((e) => e.extensions?.code === 'RATE_LIMITED');
  if (!refused) return undefined;
  const retryAfter = seconds(refused.extensions?.retryAfter) ?? 1;
  return { retryAfter, message: refused.message || sentence(retryAfter) };
}

/**
 * RATE_LIMITED, with the seconds the server asks to wait (`extensions.retryAfter`),
 * whichever way it arrives: a GraphQL error (over the socket, or HTTP 429 with
 * application/graphql-response+json), or a bare HTTP 429 (a response Apollo
 * does not parse, e.g. plain application/json from a proxy: its body, else
 * its Retry-After header) — from Apollo or from auth/authRequest.ts alike.
 * Undefined for any other error.
 */
export function rateLimitOf(error: unknown): RateLimit | undefined {
  const errors = graphQLErrorsOf(error);
  if (errors) return fromErrors(errors);
  const failure = httpFailureOf(error);
  if (failure?.statusCode !== 429) return undefined;
  try {
    const body = JSON.parse(failure.bodyText) as { errors?: unknown };
    if (Array.isArray(body.errors)) {
      const found = fromErrors(body.errors as GraphQLErrorLike[]);
      if (found) return found;
    }
  } catch {
    // Not JSON: the header says how long.
  }
  const retryAfter = seconds(failure.header('retry-after')) ?? 1;
  return { retryAfter, message: sentence(retryAfter) };
}
