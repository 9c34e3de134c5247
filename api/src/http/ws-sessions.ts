// A graphql-ws socket's session (graphql-ws's onConnect and onClose): the socket authenticates once, with
// connectionParams.authorization or connectionParams.headers.authorization (context.ts, authorizationParam), and
// keeps its identity only while its session does: sessions.watch (auth/session-watch.ts) closes it with 4403 when its
// token expires, when the session is ended on any instance, and when a re-check finds the session or its user gone.
// A user holds at most MAX_SOCKETS_PER_USER signed-in sockets.
import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import { CloseCode } from 'graphql-ws';
import type { WebSocket } from 'ws';
import { SESSION_END_MESSAGES, type Watched } from '../auth/session-watch.ts';
import {
  authenticate,
  authorizationParam,
  clientIpOf,
  CredentialsShapeError,
  type Authentication,
  type Services,
} from '../context.ts';
import { isDatabaseUnavailable } from '../errors.ts';
import { withoutMessage } from '../logger.ts';
import { requestIdOf } from './request-id.ts';

/** WebSocket close code 1013 "Try Again Later": the token could not be checked (database unavailable). graphql-ws
 * clients retry it by default (4500, Internal Server Error, is fatal to them: they would give up for good). */
export const TRY_AGAIN_LATER = 1013;
/** Close code for a user over MAX_SOCKETS_PER_USER (4xxx: the application's own; clients should not retry). */
export const TOO_MANY_SOCKETS = 4429;

/** What parley keeps for a socket (graphql-ws's ctx.extra.state). */
export type SocketState = {
  auth?: Authentication;
  clientIp: string;
  /** The upgrade request's User-Agent (kept for log-ins over the socket: the sessions list shows it). */
  userAgent: string | null;
  /** X-Request-Id of the upgrade */ requestId: string;
};

/** graphql-ws's connection context, as far as it is read here. */
type ConnectionContext = {
  connectionParams?: Readonly<Record<string, unknown>>;
  extra: { socket: WebSocket; request?: IncomingMessage; state?: SocketState };
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

export function socketSessions(services: Services, limits: { maxSocketsPerUser: number; trustProxy: boolean }) {
  /** Signed-in sockets: their user and their watch. */
  const signedIn = new Map<WebSocket, { userId: string; watched: Watched }>();
  /** Signed-in sockets per user (counted, not found by walking every socket: an instance taking over thousands). */
  const perUser = new Map<string, number>();
  const socketsOf = (userId: string) => perUser.get(userId) ?? 0;

  return {
    /**
     * graphql-ws's onConnect. Credentials in a shape parley does not read close the socket with 4400 (BadRequest;
     * graphql-ws clients do not retry it), naming what to send. A token that is presented but refused closes it with
     * 4403 (Forbidden), with the reason, so clients know to sign in again. A token that cannot be checked (database
     * unavailable) closes it with 1013, which clients retry.
     */
    async connect(ctx: ConnectionContext): Promise<boolean> {
      const { socket, request } = ctx.extra;
      const state: SocketState = {
        clientIp: clientIpOf(
          request?.socket.remoteAddress,
          request?.headers['x-forwarded-for'] as string | undefined,
          limits.trustProxy,
        ),
        requestId: requestIdOf(request?.headers['x-request-id']),
        userAgent: request?.headers['user-agent'] ?? null,
      };
      ctx.extra.state = state;
      // The upgrade request is not kept for the socket's life (graphql-ws would): its address is all that is read.
      ctx.extra.request = undefined;
      const authorization = authorizationParam(ctx.connectionParams);
      if (authorization instanceof CredentialsShapeError) {
        socket.close(CloseCode.BadRequest, authorization.message);
        return false;
      }
      try {
        const auth = await authenticate(services, authorization);
        if (auth.authError) {
          socket.close(CloseCode.Forbidden, closeReason(auth.authError));
          return false;
        }
        // Closed while the token was checked: graphql-ws has called onClose already.
        if (socket.readyState !== socket.OPEN) return false;
        if (auth.viewer && auth.session) {
          if (socketsOf(auth.viewer.id) >= limits.maxSocketsPerUser) {
            socket.close(TOO_MANY_SOCKETS, `At most ${limits.maxSocketsPerUser} sockets per user`);
            return false;
          }
          const watched = services.sessions.watch(auth.session, (why) =>
            socket.close(CloseCode.Forbidden, SESSION_END_MESSAGES[why]),
          );
          signedIn.set(socket, { userId: auth.viewer.id, watched });
          perUser.set(auth.viewer.id, socketsOf(auth.viewer.id) + 1);
        }
        state.auth = auth;
        return true;
      } catch (err) {
        // Cannot check the token (database down): let the client retry instead of telling it to sign in again, or
        // closing with a code graphql-ws clients treat as fatal. Anything else unexpected is retried as well: the
        // token was not found wanting.
        if (isUnavailable(err)) {
          services.log.warn(
            { err: (err as Error).message, requestId: state.requestId },
            'graphql-ws connection refused: authentication unavailable',
          );
        } else {
          services.log.error(
            { err: withoutMessage(err), requestId: state.requestId },
            'graphql-ws connection refused: authentication failed',
          );
        }
        socket.close(TRY_AGAIN_LATER, 'The token cannot be checked right now: try again later');
        return false;
      }
    },
    /** graphql-ws's onClose. */
    closed(socket: WebSocket) {
      const held = signedIn.get(socket);
      if (!held) return;
      held.watched.stop();
      signedIn.delete(socket);
      const left = socketsOf(held.userId) - 1;
      if (left > 0) perUser.set(held.userId, left);
      else perUser.delete(held.userId);
    },
  };
}
