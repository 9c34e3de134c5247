// Wires the HTTP server: /graphql (HTTP, SSE and graphql-ws on the same path), /health, /ready, and the web app.
import { createServer, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer, type AddressInfo } from 'node:net';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { execute, GraphQLError, subscribe } from 'graphql';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, maskError as defaultMaskError } from 'graphql-yoga';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { authenticate, authorizationParam, type Authentication, type Context, type Services } from './context.ts';
import type { OutageReporter } from './db/outage.ts';
import { isDatabaseUnavailable, serviceUnavailable, unauthenticated } from './errors.ts';
import { errorCodesPlugin, withCode } from './http/error-codes.ts';
import { health, ready, type ReadinessProbe } from './http/health.ts';
import { operationLogPlugin } from './http/operation-log.ts';
import { createStaticHandler } from './http/static.ts';
import { schema } from './schema/index.ts';

export type ServerOptions = {
  services: Services;
  /** Logs database outages once per episode. */
  outage: OutageReporter;
  webDist: string;
  readiness: Omit<ReadinessProbe, 'shuttingDown'>;
};
export type RunningServer = { server: Server; url: string; close(): Promise<void> };

const GRAPHIQL_WELCOME = `# Welcome to parley. Every field is documented: open the docs (book icon, top left).
#
# 1. Run SignUp (or LogIn) and copy the token.
# 2. In Headers below, put: { "authorization": "Bearer <token>" }
#    (queries, mutations and subscriptions all use it).
# 3. Try the other operations. Run Live in a second tab and send a message.

mutation SignUp {
  signUp(username: "ada", password: "correct horse", displayName: "Ada") { token user { id } }
}

query People {
  users(search: "") { edges { node { id username displayName } } }
}

query History($with: ID!) {
  chatHistory(withUserId: $with, last: 20) {
    edges { cursor node { id content createdAt readAt sender { displayName } } }
    pageInfo { hasPreviousPage startCursor }
  }
}

mutation Send($to: ID!) {
  sendMessage(recipientId: $to, content: "Hello!", clientMessageId: "my-first-message") { id createdAt }
}

subscription Live {
  messageAdded { id content sender { displayName } recipient { displayName } }
}
`;

/** The WebSocket close code sent on shutdown: graphql-ws clients treat it as "reconnect" (1012 Service Restart). */
export const SHUTDOWN_CLOSE_CODE = 1012;
const DRAIN_TIMEOUT_MS = 10_000;
/** How long a stopping server still reads requests that clients had already sent when it stopped listening
 * (a busy event loop can take a while to get to them). */
const DRAIN_GRACE_MS = 1000;

/** `extensions.headers` of a graphql-ws subscribe message, when it is an object. */
function headersOf(extensions: unknown): Record<string, unknown> | undefined {
  const headers = (extensions as { headers?: unknown } | null | undefined)?.headers;
  return headers && typeof headers === 'object' ? (headers as Record<string, unknown>) : undefined;
}

/** Resolves after the event loop has polled for I/O at least once more (setImmediate runs right after a poll). */
const afterNextPoll = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

export function createParleyServer(opts: ServerOptions) {
  const { services } = opts;
  const log = services.log;
  let shuttingDown = false;

  const yoga = createYoga<{ connectionParams?: Record<string, unknown>; preAuth?: Authentication }, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: {
      title: 'parley GraphiQL',
      subscriptionsProtocol: 'WS',
      defaultQuery: GRAPHIQL_WELCOME,
    },
    // GraphiQL bundled with the server, so it works offline and behind firewalls (the default loads it from a CDN).
    renderGraphiQL,
    // Errors that are not GraphQLErrors (bugs, SQL errors) reach clients as "Unexpected error." only; a database
    // that cannot be reached is SERVICE_UNAVAILABLE, so clients know to retry.
    maskedErrors: {
      maskError: (error, message, isDev) => {
        const original = error instanceof GraphQLError ? error.originalError : error;
        if (opts.outage.report(original)) return serviceUnavailable();
        if (!(original instanceof GraphQLError) && original) log.error({ err: original }, 'unexpected error');
        return defaultMaskError(error, message, isDev);
      },
      isDev: false,
    },
    logging: {
      debug: (...a) => log.debug(a.map(String).join(' ')),
      info: (...a) => log.info(a.map(String).join(' ')),
      warn: (...a) => log.warn(a.map(String).join(' ')),
      error: (...a) => log.error(a.map(String).join(' ')),
    },
    context: async ({ request, connectionParams, preAuth }) => {
      // graphql-ws authenticates once per socket (onConnect) and passes the result as preAuth.
      if (preAuth) return { ...services, ...preAuth };
      const authorization = connectionParams ? authorizationParam(connectionParams) : request.headers.get('authorization');
      return { ...services, ...(await authenticate(services, authorization ?? undefined)) };
    },
    plugins: [
      EnvelopArmorPlugin({
        maxDepth: { n: 8, flattenFragments: true }, // depth of fields, however many fragments colocate them
        costLimit: { maxCost: 5000, flattenFragments: true },
        maxAliases: { n: 15 },
        blockFieldSuggestion: { enabled: false },
      }),
      operationLogPlugin(log),
      errorCodesPlugin(),
    ],
  });

  const probe: ReadinessProbe = { ...opts.readiness, shuttingDown: () => shuttingDown };
  const staticHandler = createStaticHandler(opts.webDist);
  /** Open SSE subscription streams, ended on shutdown so their clients reconnect (to another instance). */
  const streams = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    // While draining, no connection is kept alive for another request.
    if (shuttingDown) res.setHeader('connection', 'close');
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname === '/graphql' || pathname.startsWith('/graphql/')) {
      if (req.headers.accept?.includes('text/event-stream')) {
        streams.add(res);
        res.once('close', () => streams.delete(res));
      }
      return void yoga.handle(req, res);
    }
    if (pathname === '/health') return health(req, res);
    if (pathname === '/ready') return void ready(probe, res);
    staticHandler(req, res);
  });

  const wsServer = new WebSocketServer({ server, path: '/graphql' });
  useServer<Record<string, unknown>, { auth?: Authentication }>(
    {
      // A token that is presented but refused closes the socket (4403 Forbidden), so clients know to sign in again.
      onConnect: async (ctx) => {
        try {
          const auth = await authenticate(services, authorizationParam(ctx.connectionParams));
          if (auth.authError) return false;
          ctx.extra.auth = auth;
          return true;
        } catch (err) {
          // Cannot check the token (database down): let the client retry instead of telling it to sign in again.
          log.warn({ err: (err as Error).message }, 'graphql-ws connection refused: authentication unavailable');
          ctx.extra.socket.close(CloseCode.InternalServerError, 'Service unavailable');
          return false;
        }
      },
      execute: (args) => (args.rootValue as { execute: typeof execute }).execute(args),
      subscribe: (args) => (args.rootValue as { subscribe: typeof subscribe }).subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
        // GraphiQL (Yoga's) sends its Headers editor with each operation, in extensions.headers, over a
        // socket it opened without any: those headers authenticate that operation.
        let auth = ctx.extra.auth;
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
        const enveloped = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
          preAuth: auth,
        });
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
  );

  /**
   * Graceful stop: refuse new work, let in-flight requests finish, ask WebSocket and SSE clients to
   * reconnect elsewhere. http.Server#close would also drop every idle connection at once, including
   * ones whose request has arrived but not been read yet (a busy event loop reads it on its next
   * turn): the client sent it, so it is served. Listening stops first, those requests are read, and
   * only then are idle connections closed.
   */
  async function drain() {
    shuttingDown = true;
    await afterNextPoll(); // accept the connections already waiting in the backlog
    const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
    for (const socket of wsServer.clients) socket.close(SHUTDOWN_CLOSE_CODE, 'Server restarting: reconnect');
    wsServer.close();
    const timer = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS);
    await new Promise((resolve) => setTimeout(resolve, DRAIN_GRACE_MS));
    await afterNextPoll();
    for (const res of streams) res.end();
    // Connections finishing a request close after the answer (connection: close); idle ones now.
    server.closeIdleConnections();
    const sweeper = setInterval(() => server.closeIdleConnections(), 50);
    await closed;
    clearTimeout(timer);
    clearInterval(sweeper);
    for (const socket of wsServer.clients) socket.terminate();
  }

  return {
    yoga,
    server,
    listen(port: number, host: string): Promise<RunningServer> {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const { port: actual } = server.address() as AddressInfo;
          const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
          resolve({ server, url: `http://${shownHost}:${actual}`, close: drain });
        });
      });
    },
  };
}
