// GraphQL over SSE in graphql-sse's single-connection mode, at /graphql/stream (@graphql-yoga/plugin-graphql-sse):
// a client reserves a stream (PUT), opens it (GET, text/event-stream) and sends operations to it (POST, DELETE to
// stop one), each request carrying the stream's token in X-GraphQL-Event-Stream-Token. Distinct connections (one
// POST with Accept: text/event-stream per operation) are served there too, and at /graphql by Yoga itself.
//
// What the plugin leaves open is closed here: stream tokens are random UUIDs from crypto (graphql-sse's own come
// from Math.random, which can be predicted), a reservation needs a signed-in user and belongs to that user (every
// request to the stream must be signed in as them), a user holds at most MAX_STREAMS_PER_USER of them, and one not
// opened within RESERVATION_MS is dropped. A reservation lives as long as the session that made it: when that session
// ends or expires (auth/session-watch.ts), the stream is dropped, or ended if it was opened. Operations run through
// Yoga's envelop with the POST's Authorization, like any other request (their own session ends them:
// stream-sessions.ts).
import { randomUUID } from 'node:crypto';
import { useGraphQLSSE } from '@graphql-yoga/plugin-graphql-sse';
import type { Plugin } from 'graphql-yoga';
import type { Watched } from '../auth/session-watch.ts';
import { authenticate, type Authentication, type Services } from '../context.ts';

export const SSE_STREAM_PATH = '/graphql/stream';
/** graphql-sse's header (and `token` its query parameter) naming a reserved stream. */
const TOKEN_HEADER = 'x-graphql-event-stream-token';
const MAX_STREAMS_PER_USER = 10;
/** A reservation not opened by then is dropped (graphql-sse's client opens it right after reserving). */
const RESERVATION_MS = 30_000;
const STREAM_END_DELAY_MS = 100;

type Reservation = {
  userId: string;
  opened: boolean;
  expiry?: NodeJS.Timeout;
  /** The watch on the session that made it. */
  watched?: Watched;
  /** Ends the opened stream (its response). */
  end?: () => void;
};
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

  /** The GET requests that open a reservation, and its token. */
  const opening = new WeakMap<Request, string>();

  const release = (token: string) => {
    const reservation = reservations.get(token);
    clearTimeout(reservation?.expiry);
    reservation?.watched?.stop();
    reservations.delete(token);
  };

  /** The session that made a reservation ended: drop it, or end its stream if it was opened. */
  const sessionEnded = (token: string) => {
    const reservation = reservations.get(token);
    if (!reservation?.opened) return void drop(token).catch(() => release(token));
    release(token);
    // A moment later, so the last results of its operations (UNAUTHENTICATED, stream-sessions.ts) are sent first.
    setTimeout(() => reservation.end?.(), STREAM_END_DELAY_MS).unref();
  };

  /** The signed-in user of a request, or the refusal to answer with. */
  const signedIn = async (request: Request): Promise<Required<Authentication> | Refusal> => {
    try {
      const auth = await authenticate(services, request.headers.get('authorization') ?? undefined);
      if (auth.viewer && auth.session) return auth as Required<Authentication>;
      return refusal(401, 'UNAUTHENTICATED', auth.authError ?? 'A stream needs Authorization: Bearer <token>.');
    } catch {
      return refusal(503, 'SERVICE_UNAVAILABLE', 'The token cannot be checked right now: try again shortly.');
    }
  };
  const userOf = async (request: Request): Promise<string | Refusal> => {
    const auth = await signedIn(request);
    return 'viewer' in auth ? auth.viewer!.id : auth;
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
        const auth = await signedIn(request);
        if (!('viewer' in auth)) return auth;
        const userId = auth.viewer!.id;
        const held = [...reservations.values()].filter((r) => r.userId === userId).length;
        if (held >= maxStreamsPerUser) {
          return refusal(429, 'TOO_MANY_STREAMS', `At most ${maxStreamsPerUser} streams per user: close one first.`);
        }
        const token = randomUUID();
        const reservation: Reservation = { userId, opened: false };
        reservation.expiry = setTimeout(() => void drop(token).catch(() => release(token)), reservationMs);
        reservation.expiry.unref();
        reservation.watched = services.sessions.watch(auth.session!, () => sessionEnded(token));
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
        opening.set(request, token);
      }
      return token;
    },
  });

  // The opened stream's response, made endable from here (graphql-sse ends a stream only when its client leaves).
  const onRequest = sse.onRequest!;
  sse.onRequest = (payload) =>
    onRequest({
      ...payload,
      endResponse: (response) => {
        const token = opening.get(payload.request);
        const reservation = token === undefined ? undefined : reservations.get(token);
        if (!reservation || !response.body) return payload.endResponse(response);
        const { body, end } = endable(response.body, payload.fetchAPI.ReadableStream);
        reservation.end = end;
        payload.endResponse(new payload.fetchAPI.Response(body, response));
      },
    });

  return sse;
}

/** `source` as a stream that `end()` closes (cancelling `source`, which stops what feeds it). */
function endable(source: ReadableStream<Uint8Array>, Stream: typeof ReadableStream) {
  const reader = source.getReader();
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  const body = new Stream<Uint8Array>({
    start: (c) => void (controller = c),
    pull: async (c) => {
      const { done, value } = await reader.read();
      if (done) closeQuietly(c);
      else c.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  const end = () => {
    void reader.cancel().catch(() => {});
    if (controller) closeQuietly(controller);
  };
  return { body, end };
}

function closeQuietly(controller: ReadableStreamDefaultController<Uint8Array>) {
  try {
    controller.close();
  } catch {
    // already closed
  }
}
