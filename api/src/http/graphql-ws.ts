// GraphQL over WebSocket (graphql-ws) at /graphql, on the HTTP server's upgrades, shaped like Yoga's graphql-ws
// example: the socket's session in ws-sessions.ts (onConnect, onClose), its operations in ws-operations.ts
// (onSubscribe), frames and keep-alive in ws-frames.ts. Limits: frame size, operations per socket, sockets per user.
import type { Server } from 'node:http';
import type { execute, subscribe } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { HttpLimits } from '../config.ts';
import { openSockets } from '../metrics/registry.ts';
import type { Services } from '../context.ts';
import { withCode } from './error-codes.ts';
import type { TrustedDocuments } from './trusted-documents.ts';
import { keepAlive, serverSocketClass } from './ws-frames.ts';
import { operationsOverWs } from './ws-operations.ts';
import { socketSessions, type SocketState } from './ws-sessions.ts';
import type { ParleyYoga } from './yoga.ts';
import { closeSpread } from './ws-restart.ts';

import { TRY_AGAIN_LATER } from './ws-sessions.ts';

export { TOO_MANY_SOCKETS, TRY_AGAIN_LATER } from './ws-sessions.ts';

/** WebSocket close code 1012 "Service Restart" (graphql-ws has no name for it): its clients reconnect. */
export const SERVICE_RESTART = 1012;

export type GraphqlWs = {
  /** Shutdown: take no more sockets and ask every client to reconnect (to another instance, behind a balancer),
   * spread over a few seconds (ws-restart.ts). */
  restartClients(): void;
  /** Drops the sockets still open (their close handshake did not finish). */
  terminate(): void;
};

type RootValue = { execute: typeof execute; subscribe: typeof subscribe };

export function serveGraphqlWs(
  server: Server,
  yoga: ParleyYoga,
  services: Services,
  limits: HttpLimits & { trustProxy: boolean; trustedDocuments: TrustedDocuments },
): GraphqlWs {
  const WebSocket = serverSocketClass(services.log);
  const wsServer = new WebSocketServer({ server, path: '/graphql', maxPayload: limits.wsMaxPayload, WebSocket });
  const sessions = socketSessions(services, limits);
  const onSubscribe = operationsOverWs(yoga, services, limits);
  const stopKeepAlive = keepAlive(wsServer);
  // Sockets beyond 95% of MAX_CONNECTIONS are shed with 1013 (clients retry, with backoff, through the balancer to
  // another instance); the rest is kept for HTTP requests, which would otherwise be refused at the TCP level.
  const shedAbove = Math.max(1, Math.floor(limits.maxConnections * 0.95));
  wsServer.on('connection', (socket) => {
    openSockets.inc();
    socket.once('close', () => openSockets.dec());
    if (wsServer.clients.size > shedAbove) socket.close(TRY_AGAIN_LATER, 'Server overloaded: try again later');
  });

  useServer<Record<string, unknown>, { state?: SocketState }>(
    {
      // Errors graphql-ws produces itself (e.g. "Unable to identify operation") get a code like every other.
      onError: (_ctx, _id, _payload, errors) => errors.map(withCode),
      onConnect: (ctx) => sessions.connect(ctx),
      onClose: (ctx) => sessions.closed(ctx.extra.socket),
      onSubscribe: (ctx, id, payload) => onSubscribe(ctx, id, payload),
      execute: (args) => (args.rootValue as RootValue).execute(args),
      subscribe: (args) => (args.rootValue as RootValue).subscribe(args),
    },
    wsServer,
    0, // keep-alive: ws-frames.ts
  );

  let stopRestarting = () => {};
  return {
    restartClients() {
      stopRestarting = closeSpread(wsServer.clients, SERVICE_RESTART, 'Server restarting: reconnect');
      wsServer.close();
    },
    terminate() {
      stopRestarting();
      stopKeepAlive();
      for (const socket of wsServer.clients) socket.terminate();
    },
  };
}
