// GraphQL over WebSocket (graphql-ws) at /graphql, on the HTTP server's upgrades. A socket authenticates once, with
// connectionParams.authorization or connectionParams.headers.authorization (context.ts, authorizationParam); an
// operation may carry its own in extensions.headers (GraphiQL's Headers editor), which then authenticates that
// operation only. Operations run through the same envelop as HTTP (yoga.ts); one sent by id (a trusted document) is
// resolved to its text first (trusted-documents.ts).
// A socket keeps its identity only while its session does: it is closed (4403) when its token expires, when the
// session is ended on any instance, and when a periodic re-check finds the session or its user gone. Limits: frame
// size, operations per socket, sockets per user.
import type { IncomingMessage, Server } from 'node:http';
import { GraphQLError, type execute, type subscribe } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocket, WebSocketServer } from 'ws';
import type { HttpLimits } from '../config.ts';
import {
  authenticate,
  authorizationParam,
  clientIpOf,
  CredentialsShapeError,
  type Authentication,
  type Context,
  type Services,
} from '../context.ts';
import { clientError, isDatabaseUnavailable, serviceUnavailable, unauthenticated } from '../errors.ts';
import { withoutMessage } from '../logger.ts';
import { withCode } from './error-codes.ts';
import { resolveOverWs, type TrustedDocuments } from './trusted-documents.ts';
import type { ParleyYoga } from './yoga.ts';

/** WebSocket close code 1012 "Service Restart" (graphql-ws has no name for it): its clients reconnect. */
export const SERVICE_RESTART = 1012;
/** WebSocket close code 1013 "Try Again Later": the token could not be checked (database unavailable). graphql-ws
 * clients retry it by default (4500, Internal Server Error, is fatal to them: they would give up for good). */
export const TRY_AGAIN_LATER = 1013;

export type GraphqlWs = {
  /** Shutdown: take no more sockets and ask every client to reconnect (to another instance, behind a balancer). */
  restartClients(): void;
  /** Drops the sockets still open (their close handshake did not finish). */
  terminate(): void;
};

/** A WebSocket close reason is at most 123 bytes (UTF-8). */
function closeReason(text: string): string {
  if (Buffer.byteLength(text) <= 123) return text;
  let reason = text;
  while (Buffer.byteLength(reason) > 120) reason = reason.slice(0, -1);
  return reason + '…';
}

/** The database could not be reached (authenticate turns that into SERVICE_UNAVAILABLE). */
const isUnavailable = (err: unknown) =>
  isDatabaseUnavailable(err) || (err instanceof GraphQLError && err.extensions.code === 'SERVICE_UNAVAILABLE');

/** `extensions.headers` of a graphql-ws subscribe message, when it is an object. */
function headersOf(extensions: unknown): Record<string, unknown> | undefined {
  const headers = (extensions as { headers?: unknown } | null | undefined)?.headers;
  return headers && typeof headers === 'object' ? (headers as Record<string, unknown>) : undefined;
}

/** Close code for a user over MAX_SOCKETS_PER_USER (4xxx: the application's own; clients should not retry). */
export const TOO_MANY_SOCKETS = 4429;
/** How often open sockets' sessions are re-checked against the database (one statement per instance). */
const SESSION_RECHECK_MS = 5_000;
const LOGOUT_CLOSE_DELAY_MS = 100;
/** Every socket is pinged this often; one that has left MAX_UNANSWERED_PINGS pings in a row unanswered is dropped. */
const KEEP_ALIVE_MS = 12_000;
/**
 * A busy browser tab answers pings late: while its page's script runs (thousands of messages arriving at once), the
 * browser stops reading the socket, pings included. Three in a row (~36 s) tell a dead peer from a busy one.
 */
const MAX_UNANSWERED_PINGS = 3;
/** setTimeout's limit: a later expiry is re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Sockets whose tokens expire within this of each other are closed together. */
const EXPIRY_SWEEP_MS = 250;

type SocketState = { auth?: Authentication; clientIp: string };

export function serveGraphqlWs(
  server: Server,
  yoga: ParleyYoga,
  services: Services,
  limits: HttpLimits & { trustProxy: boolean; trustedDocuments: TrustedDocuments },
): GraphqlWs {
  const wsServer = new WebSocketServer({
    server,
    path: '/graphql',
    maxPayload: limits.wsMaxPayload,
    WebSocket: ServerSocket,
  });
  /** Signed-in sockets and their session. */
  const signedIn = new Map<WebSocket, Authentication>();
  const socketsOf = (userId: string) => [...signedIn.values()].filter((a) => a.viewer?.id === userId).length;
  const endSocket = (socket: WebSocket, reason: string) => socket.close(CloseCode.Forbidden, reason);

  // Token expiry: one timer for all sockets, armed for the earliest expiry; when it fires, every socket whose token
  // has expired is closed and it is re-armed for the next (at most one sweep every EXPIRY_SWEEP_MS).
  let expiryTimer: NodeJS.Timeout | undefined;
  let expiryAt = Infinity;
  let lastSweep = 0;
  const armExpiry = (at: number) => {
    if (at >= expiryAt) return;
    clearTimeout(expiryTimer);
    expiryAt = at;
    const ms = Math.max(at - Date.now(), lastSweep + EXPIRY_SWEEP_MS - Date.now(), 0);
    expiryTimer = setTimeout(sweepExpired, Math.min(ms, MAX_TIMER_MS)).unref();
  };
  const sweepExpired = () => {
    expiryTimer = undefined;
    expiryAt = Infinity;
    const now = (lastSweep = Date.now());
    let next = Infinity;
    for (const [socket, auth] of signedIn) {
      const at = auth.session!.expiresAt.getTime();
      if (at <= now) endSocket(socket, 'Token expired: log in again');
      else next = Math.min(next, at);
    }
    if (next < Infinity) armExpiry(next);
  };
  const offEnded = services.sessions.onEnded(({ sessionIds }) => {
    // A moment later, so a logOut sent over this very socket gets its answer before the close.
    const ended = [...signedIn].filter(([, auth]) => auth.session && sessionIds.includes(auth.session.id));
    if (ended.length)
      setTimeout(() => ended.forEach(([socket]) => endSocket(socket, 'Logged out')), LOGOUT_CLOSE_DELAY_MS);
  });
  const recheck = setInterval(async () => {
    const held = new Set([...signedIn.values()].map((a) => a.session!.id));
    if (!held.size) return;
    try {
      const open = await services.sessions.stillOpen([...held]);
      // Only the sessions asked about: a socket signed in while the statement ran was checked as it connected.
      for (const [socket, { session }] of signedIn)
        if (held.has(session!.id) && !open.has(session!.id)) endSocket(socket, 'Session ended: log in again');
    } catch {
      // Database unavailable (reported by db/outage.ts): sockets stay; the next re-check decides.
    }
  }, SESSION_RECHECK_MS).unref();
  // Keep-alive for all sockets on one timer (graphql-ws's own would be two timers and a closure per socket).
  const heartbeat = setInterval(() => {
    for (const socket of wsServer.clients as Set<ServerSocket>) {
      if (socket.readyState !== socket.OPEN) continue;
      if (socket.unansweredPings >= MAX_UNANSWERED_PINGS) {
        socket.terminate();
        continue;
      }
      socket.unansweredPings++;
      socket.ping();
    }
  }, KEEP_ALIVE_MS).unref();

  const ipOf = (request: IncomingMessage) =>
    clientIpOf(
      request.socket.remoteAddress,
      request.headers['x-forwarded-for'] as string | undefined,
      limits.trustProxy,
    );

  useServer<Record<string, unknown>, { state?: SocketState }>(
    {
      // Credentials in a shape parley does not read close the socket with 4400 (BadRequest; graphql-ws clients do
      // not retry it), naming what to send. A token that is presented but refused closes it with 4403 (Forbidden),
      // with the reason, so clients know to sign in again. A token that cannot be checked (database unavailable)
      // closes it with 1013, which clients retry.
      // Errors graphql-ws produces itself (e.g. "Unable to identify operation") get a code like every other.
      onError: (_ctx, _id, _payload, errors) => errors.map(withCode),
      onConnect: async (ctx) => {
        const state: SocketState = { clientIp: ipOf(ctx.extra.request) };
        ctx.extra.state = state;
        // The upgrade request is not kept for the socket's life (graphql-ws would): its address is all that is read.
        (ctx.extra as { request?: IncomingMessage }).request = undefined;
        const authorization = authorizationParam(ctx.connectionParams);
        if (authorization instanceof CredentialsShapeError) {
          ctx.extra.socket.close(CloseCode.BadRequest, authorization.message);
          return false;
        }
        try {
          const auth = await authenticate(services, authorization);
          if (auth.authError) {
            ctx.extra.socket.close(CloseCode.Forbidden, closeReason(auth.authError));
            return false;
          }
          if (auth.viewer && auth.session) {
            if (socketsOf(auth.viewer.id) >= limits.maxSocketsPerUser) {
              ctx.extra.socket.close(TOO_MANY_SOCKETS, `At most ${limits.maxSocketsPerUser} sockets per user`);
              return false;
            }
            signedIn.set(ctx.extra.socket, auth);
            armExpiry(auth.session.expiresAt.getTime());
          }
          state.auth = auth;
          return true;
        } catch (err) {
          // Cannot check the token (database down): let the client retry instead of telling it to sign in again, or
          // closing with a code graphql-ws clients treat as fatal. Anything else unexpected is retried as well: the
          // token was not found wanting.
          if (isUnavailable(err)) {
            services.log.warn(
              { err: (err as Error).message },
              'graphql-ws connection refused: authentication unavailable',
            );
          } else {
            services.log.error({ err: withoutMessage(err) }, 'graphql-ws connection refused: authentication failed');
          }
          ctx.extra.socket.close(TRY_AGAIN_LATER, 'The token cannot be checked right now: try again later');
          return false;
        }
      },
      onClose: (ctx) => {
        signedIn.delete(ctx.extra.socket);
      },
      execute: (args) => (args.rootValue as { execute: typeof execute }).execute(args),
      subscribe: (args) => (args.rootValue as { subscribe: typeof subscribe }).subscribe(args),
      onSubscribe: async (ctx, _id, sent) => {
        const state = ctx.extra.state!;
        const query = resolveOverWs(limits.trustedDocuments, sent);
        if (typeof query !== 'string') return [query];
        const params = query === sent.query ? sent : { ...sent, query };
        // graphql-ws lists the socket's operations in progress, this one included, in ctx.subscriptions.
        if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerSocket) {
          return [
            clientError(
              'TOO_MANY_OPERATIONS',
              `At most ${limits.maxSubscriptionsPerSocket} operations at once on one socket: complete one first.`,
              {
                limit: limits.maxSubscriptionsPerSocket,
              },
            ),
          ];
        }
        // GraphiQL (Yoga's) sends its Headers editor with each operation, in extensions.headers, over a socket it
        // opened without any: those headers authenticate that operation, and a refused token fails only it.
        let auth = state.auth;
        const operationAuthorization = authorizationParam(headersOf(params.extensions));
        if (operationAuthorization !== undefined) {
          try {
            auth = await authenticate(services, operationAuthorization);
          } catch (err) {
            if (!isDatabaseUnavailable(err)) throw err;
            return [serviceUnavailable()];
          }
          if (auth.authError) return [unauthenticated(auth.authError)];
        }
        // Only what the context is built from: the operation's context lives as long as its subscription (a copy of
        // graphql-ws's context, the upgrade request and the message would too).
        const enveloped = yoga.getEnveloped({ preAuth: auth, clientIp: state.clientIp });
        let document;
        try {
          document = enveloped.parse(params.query);
        } catch (err) {
          if (err instanceof GraphQLError) return [withCode(err)];
          throw err;
        }
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length) return errors;
        return {
          schema: enveloped.schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: (await enveloped.contextFactory()) as Context,
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
        };
      },
    },
    wsServer,
    0, // keep-alive: the heartbeat above
  );

  return {
    restartClients() {
      for (const socket of wsServer.clients) socket.close(SERVICE_RESTART, 'Server restarting: reconnect');
      wsServer.close();
    },
    terminate() {
      offEnded();
      clearInterval(recheck);
      clearTimeout(expiryTimer);
      clearInterval(heartbeat);
      for (const socket of wsServer.clients) socket.terminate();
    },
  };
}

/**
 * The server's sockets (ws's, with what parley adds on the class rather than per socket). A client sending a
 * message type only servers send (connection_ack, next) is a bad client, not a server failure: it is closed with
 * 4400 before graphql-ws sees the message (it would answer 4500 and print a stack to stderr). Frames reach
 * graphql-ws as text, which it keeps for as long as a subscription they start runs (not the frame's Buffer as
 * well). A pong is noted for the keep-alive.
 */
class ServerSocket extends WebSocket {
  unansweredPings = 0;

  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'pong') this.unansweredPings = 0;
    if (event !== 'message') return super.emit(event, ...args);
    const text = textOf(args[0]);
    if (isServerOnlyMessage(text)) {
      this.close(CloseCode.BadRequest, 'Invalid message received');
      return true;
    }
    return super.emit(event, withQueryForId(text), args[1]);
  }
}

const SERVER_ONLY = /"type"\s*:\s*"(connection_ack|next)"/;

/** A frame's text (ws gives a Buffer, or an array of Buffers for a fragmented message). */
function textOf(data: unknown): string {
  if (typeof data === 'string') return data;
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

/**
 * A subscribe message that names a trusted document by id and has no `query` at all (Apollo Kotlin and Apollo iOS
 * leave it out) gets an empty one: graphql-ws would otherwise refuse the message and close the socket (4400) before
 * onSubscribe could resolve the id (trusted-documents.ts).
 */
function withQueryForId(text: string): string {
  if (!text.includes('"persistedQuery"')) return text;
  try {
    const message = JSON.parse(text) as { type?: unknown; payload?: Record<string, unknown> };
    if (message.type !== 'subscribe' || !message.payload || 'query' in message.payload) return text;
    if (typeof message.payload.extensions !== 'object' || message.payload.extensions === null) return text;
    return JSON.stringify({ ...message, payload: { ...message.payload, query: '' } });
  } catch {
    return text; // graphql-ws answers malformed JSON itself
  }
}

function isServerOnlyMessage(text: string): boolean {
  if (!SERVER_ONLY.test(text)) return false;
  try {
    const type = (JSON.parse(text) as { type?: unknown }).type;
    return type === 'connection_ack' || type === 'next';
  } catch {
    return false;
  }
}
