// GraphQL over SSE in graphql-sse's single-connection mode, at /graphql/stream (@graphql-yoga/plugin-graphql-sse):
// a client reserves a stream (PUT), opens it (GET, text/event-stream) and sends operations to it (POST, DELETE to
// stop one), each request carrying the stream's token in X-GraphQL-Event-Stream-Token. Distinct connections (one
// POST with Accept: text/event-stream per operation) are served there too, and at /graphql by Yoga itself.
//
// What the plugin leaves open is closed here: stream tokens are random UUIDs from crypto (graphql-sse's own come
// from Math.random, which can be predicted), a reservation needs a signed-in user and belongs to that user (every
// request to the stream must be signed in as them), a user holds at most MAX_STREAMS_PER_USER of them, and one not
// opened within RESERVATION_MS is dropped. Operations run through Yoga's envelop with the POST's Authorization, like
// any other request.
import { randomUUID } from 'node:crypto';
import { useGraphQLSSE } from '@graphql-yoga/plugin-graphql-sse';
import type { Plugin } from 'graphql-yoga';
import { authenticate, type Services } from '../context.ts';

export const SSE_STREAM_PATH = '/graphql/stream';
/** graphql-sse's header (and `token` its query parameter) naming a reserved stream. */
const TOKEN_HEADER = 'x-graphql-event-stream-token';
const MAX_STREAMS_PER_USER = 10;
/** A reservation not opened by then is dropped (graphql-sse's client opens it right after reserving). */
const RESERVATION_MS = 30_000;

type Reservation = { userId: string; opened: boolean; expiry?: NodeJS.Timeout };
/** The handler's refusal: [body, init]. */
type Refusal = readonly [string, { status: number; statusText: string; headers: Record<string, string> }];

const STATUS_TEXT: Record<number, string> = {
  401: 'Unauthorized',
  404: 'Not Found',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};
const refusal = (status: number, code: string, message: string): Refusal => [
  JSON.stringify({ errors: [{ message, extensions: { code } }] }),
  { status, statusText: STATUS_TEXT[status] ?? '', headers: { 'content-type': 'application/json; charset=utf-8' } },
];

export function graphqlSsePlugin(
  services: Services,
  { maxStreamsPerUser = MAX_STREAMS_PER_USER, reservationMs = RESERVATION_MS } = {},
): Plugin {
  const reservations = new Map<string, Reservation>();
  /** The requests drop() makes itself. */
  const dropping = new WeakSet<Request>();

  const release = (token: string) => {
    clearTimeout(reservations.get(token)?.expiry);
    reservations.delete(token);
  };

  /** The signed-in user of a request, or the refusal to answer with. */
  const userOf = async (request: Request): Promise<string | Refusal> => {
    try {
      const auth = await authenticate(services, request.headers.get('authorization') ?? undefined);
      if (auth.viewer) return auth.viewer.id;
      return refusal(401, 'UNAUTHENTICATED', auth.authError ?? 'A stream needs Authorization: Bearer <token>.');
    } catch {
      return refusal(503, 'SERVICE_UNAVAILABLE', 'The token cannot be checked right now: try again shortly.');
    }
  };

  /**
   * Drops a reservation nobody opened. graphql-sse forgets a stream (and stops the operations sent to it) only once
   * it was opened and closed, so it is opened here, through the plugin, and closed at once.
   */
  const drop = async (token: string) => {
    const reservation = reservations.get(token);
    if (!reservation || reservation.opened) return release(token);
    try {
      const headers = { accept: 'text/event-stream', [TOKEN_HEADER]: token };
      const request = new Request(`http://localhost${SSE_STREAM_PATH}`, { headers });
      dropping.add(request);
      const response = await new Promise<Response>((resolve, reject) => {
        const onRequest = sse.onRequest as unknown as (payload: object) => unknown;
        Promise.resolve(onRequest({ request, serverContext: {}, endResponse: resolve })).catch(reject);
      });
      await response.body?.cancel();
    } finally {
      release(token);
    }
  };

  const sse: Plugin = useGraphQLSSE({
    endpoint: SSE_STREAM_PATH,
    authenticate: async ({ raw: request, method, url }) => {
      if (method === 'PUT') {
        // A reservation: always a token of ours, never one the client names.
        const userId = await userOf(request);
        if (typeof userId !== 'string') return userId;
        const held = [...reservations.values()].filter((r) => r.userId === userId).length;
        if (held >= maxStreamsPerUser) {
          return refusal(429, 'TOO_MANY_STREAMS', `At most ${maxStreamsPerUser} streams per user: close one first.`);
        }
        const token = randomUUID();
        const reservation: Reservation = { userId, opened: false };
        reservation.expiry = setTimeout(() => void drop(token).catch(() => release(token)), reservationMs);
        reservation.expiry.unref();
        reservations.set(token, reservation);
        return token;
      }
      const token = request.headers.get(TOKEN_HEADER) ?? new URL(url, 'http://localhost').searchParams.get('token');
      if (!token) {
        // A GET without a token and without an operation names no stream (graphql-sse would answer without a code).
        if (method === 'GET' && !new URL(url, 'http://localhost').searchParams.has('query')) {
          return refusal(404, 'NOT_FOUND', 'No such stream: reserve one with PUT first, or pass an operation.');
        }
        // Distinct connections: a token no stream has.
        return randomUUID();
      }
      const reservation = reservations.get(token);
      if (!reservation) return refusal(404, 'NOT_FOUND', 'No such stream: reserve one with PUT first.');
      if (dropping.has(request)) return token;
      const userId = await userOf(request);
      if (typeof userId !== 'string') return userId;
      if (userId !== reservation.userId)
        return refusal(404, 'NOT_FOUND', 'No such stream: reserve one with PUT first.');
      if (method === 'GET' && request.headers.get('accept') === 'text/event-stream' && !reservation.opened) {
        reservation.opened = true;
        clearTimeout(reservation.expiry);
        request.signal.addEventListener('abort', () => release(token), { once: true });
      }
      return token;
    },
  });

  return sse;
}
