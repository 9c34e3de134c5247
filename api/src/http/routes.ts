// Who answers which path: /graphql (HTTP and SSE; its WebSocket upgrades are graphql-ws.ts'), /health, /ready, and
// the web app for everything else.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { health, ready, type ReadinessProbe } from './health.ts';
import { createStaticHandler } from './static.ts';
import type { ParleyYoga } from './yoga.ts';

export type Routes = {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Ends the open SSE subscription streams, so their clients reconnect (to another instance). */
  endStreams(): void;
};

export function createRoutes(opts: { yoga: ParleyYoga; readiness: ReadinessProbe; webDist: string }): Routes {
  const { yoga, readiness } = opts;
  const staticHandler = createStaticHandler(opts.webDist);
  const streams = new Set<ServerResponse>();
  return {
    handle(req, res) {
      // While draining, no connection is kept alive for another request.
      if (readiness.shuttingDown()) res.setHeader('connection', 'close');
      const pathname = (req.url ?? '/').split('?')[0];
      if (pathname === '/graphql' || pathname.startsWith('/graphql/')) {
        if (req.headers.accept?.includes('text/event-stream')) {
          streams.add(res);
          res.once('close', () => streams.delete(res));
        }
        return void yoga.handle(req, res);
      }
      if (pathname === '/health') return health(req, res);
      if (pathname === '/ready') return void ready(readiness, res);
      staticHandler(req, res);
    },
    endStreams() {
      for (const res of streams) res.end();
    },
  };
}
