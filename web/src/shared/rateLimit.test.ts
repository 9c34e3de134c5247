import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { describeError, errorArgument, GraphQLResponseError, HttpStatusError, isUnavailableError } from './errors';
import { rateLimitOf } from './rateLimit';

const http429 = (bodyText: string, headers: Record<string, string> = {}) =>
  new ServerError('Response not successful: Received status code 429', {
    response: { status: 429, headers: new Headers(headers) } as Response,
    bodyText,
  });

describe('rateLimitOf', () => {
  it('reads RATE_LIMITED and its retryAfter from a GraphQL error (socket, or 429 as graphql-response+json)', () => {
    const error = new CombinedGraphQLErrors({
      errors: [
        { message: 'Too many requests: try again in 7 s.', extensions: { code: 'RATE_LIMITED', retryAfter: 7 } },
      ],
    });
    expect(rateLimitOf(error)).toEqual({ retryAfter: 7, message: 'Too many requests: try again in 7 s.' });
  });

  it('reads a bare HTTP 429: the GraphQL body when there is one, else the Retry-After header', () => {
    const body = JSON.stringify({
      errors: [
        { message: 'Too many requests: try again in 4 s.', extensions: { code: 'RATE_LIMITED', retryAfter: 4 } },
      ],
    });
    expect(rateLimitOf(http429(body))).toEqual({ retryAfter: 4, message: 'Too many requests: try again in 4 s.' });
    expect(rateLimitOf(http429('Slow down', { 'retry-after': '30' }))).toEqual({
      retryAfter: 30,
      message: 'Too many requests: try again in 30 s.',
    });
    expect(rateLimitOf(http429(''))).toEqual({ retryAfter: 1, message: 'Too many requests: try again in 1 s.' });
  });

  it('is undefined for anything else', () => {
    const other = new CombinedGraphQLErrors({
      errors: [{ message: 'No such user.', extensions: { code: 'NOT_FOUND' } }],
    });
    expect(rateLimitOf(other)).toBeUndefined();
    expect(rateLimitOf(new TypeError('Failed to fetch'))).toBeUndefined();
    const unavailable = new ServerError('Bad gateway', {
      response: { status: 502, headers: new Headers() } as Response,
      bodyText: '',
    });
    expect(rateLimitOf(unavailable)).toBeUndefined();
  });
  it('reads the errors of requests made without Apollo (auth/authRequest.ts) the same way', () => {
    const refused = new GraphQLResponseError([
      { message: 'Too many requests: try again in 7 s.', extensions: { code: 'RATE_LIMITED', retryAfter: 7 } },
    ]);
    expect(rateLimitOf(refused)).toEqual({ retryAfter: 7, message: 'Too many requests: try again in 7 s.' });
    expect(rateLimitOf(new HttpStatusError(429, 'Slow down', new Headers({ 'retry-after': '30' })))).toEqual({
      retryAfter: 30,
      message: 'Too many requests: try again in 30 s.',
    });
    const taken = new GraphQLResponseError([
      { message: 'That username is taken.', extensions: { code: 'BAD_USER_INPUT', argument: 'username' } },
    ]);
    expect([describeError(taken), errorArgument(taken), isUnavailableError(taken)]).toEqual([
      'That username is taken.',
      'username',
      false,
    ]);
    const gateway = new HttpStatusError(502, '<h1>Bad gateway</h1>', new Headers());
    expect([describeError(gateway), isUnavailableError(gateway), rateLimitOf(gateway)]).toEqual([
      'The server is not available right now.',
      true,
      undefined,
    ]);
  });
});
