// Wires the HTTP server: /graphql (HTTP, SSE and graphql-ws on the same path), /health, and the web app at /.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { execute, subscribe } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { authenticate, type Authentication, type Context, type Services } from './context.ts';
import { createStaticHandler } from './http/static.ts';
import { operationLogPlugin } from './http/operation-log.ts';
import { schema } from './schema/index.ts';

export type ServerOptions = Services & { webDist: string };
export type RunningServer = { server: Server; url: string; close(): Promise<void> };

export function createParleyServer(opts: ServerOptions) {
  const services: Services = { prisma: opts.prisma, pubsub: opts.pubsub, tokens: opts.tokens, log: opts.log };
  const yoga = createYoga<{ connectionParams?: Record<string, unknown>; preAuth?: Authentication }, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: { title: 'parley GraphiQL', subscriptionsProtocol: 'WS' },
    // Errors that are not GraphQLErrors (bugs, database failures) reach clients as "Unexpected error." only.
    maskedErrors: { isDev: false },
    logging: {
      debug: (...a) => opts.log.debug(a.map(String).join(' ')),
      info: (...a) => opts.log.info(a.map(String).join(' ')),
      warn: (...a) => opts.log.warn(a.map(String).join(' ')),
      error: (...a) => opts.log.error({ err: a.find((x) => x instanceof Error) }, a.map(String).join(' ')),
    },
    context: async ({ request, connectionParams, preAuth }) => {
      // graphql-ws authenticates once per socket (onConnect) and passes the result as preAuth.
      if (preAuth) return { ...services, ...preAuth };
      const authorization = connectionParams ? connectionParams.authorization : request.headers.get('authorization');
      return { ...services, ...(await authenticate(services, authorization ?? undefined)) };
    },
    plugins: [
      EnvelopArmorPlugin({ maxDepth: { n: 8 }, costLimit: { maxCost: 5000 }, maxAliases: { n: 15 }, blockFieldSuggestion: { enabled: false } }),
      operationLogPlugin(opts.log),
    ],
  });

  const staticHandler = createStaticHandler(opts.webDist);
  const server = createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname === '/graphql' || pathname.startsWith('/graphql/')) return void yoga.handle(req, res);
    if (pathname === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ status: 'ok' }));
    }
    staticHandler(req, res);
  });

  const wsServer = new WebSocketServer({ server, path: '/graphql' });
  const wsDisposer = useServer<Record<string, unknown>, { auth?: Authentication }>(
    {
      // A token that is presented but refused closes the socket (4403), so clients know to sign in again.
      onConnect: async (ctx) => {
        const auth = await authenticate(services, ctx.connectionParams?.authorization);
        if (auth.authError) return false;
        ctx.extra.auth = auth;
        return true;
      },
      execute: (args) => (args.rootValue as { execute: typeof execute }).execute(args),
      subscribe: (args) => (args.rootValue as { subscribe: typeof subscribe }).subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
        const enveloped = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
          preAuth: ctx.extra.auth,
        });
        const document = enveloped.parse(params.query);
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length) return errors;
        const contextValue = (await enveloped.contextFactory()) as Context;
        return {
          schema: enveloped.schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue,
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
        };
      },
    },
    wsServer,
  );

  return {
    yoga,
    server,
    listen(port: number, host: string): Promise<RunningServer> {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const { port: actual } = server.address() as AddressInfo;
          const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
          resolve({
            server,
            url: `http://${shownHost}:${actual}`,
            close: async () => {
              await wsDisposer.dispose();
              wsServer.close();
              await new Promise<void>((r) => server.close(() => r()));
            },
          });
        });
      });
    },
  };
}
