// The HTTP server: /graphql (HTTP, SSE and graphql-ws on the same path), /health, /ready and the web app, with a
// graceful stop. The pieces are in http/: yoga.ts (GraphQL over HTTP/SSE), routes.ts, graphql-ws.ts, drain.ts.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpLimits } from './config.ts';
import type { Services } from './context.ts';
import type { OutageReporter } from './db/outage.ts';
import { drainHttpServer } from './http/drain.ts';
import { serveGraphqlWs } from './http/graphql-ws.ts';
import type { ReadinessProbe } from './http/health.ts';
import { createExportRoute } from './http/export.ts';
import { createRoutes } from './http/routes.ts';
import { appCsp } from './http/security-headers.ts';
import type { UploadRoutes } from './http/uploads.ts';
import { createParleyYoga, type ApiExposure } from './http/yoga.ts';

export type ServerOptions = {
  services: Services;
  /** Take the client's address from X-Forwarded-For (TRUST_PROXY). */
  trustProxy: boolean;
  limits: HttpLimits;
  /** Logs database outages once per episode. */
  outage: OutageReporter;
  webDist: string;
  readiness: Omit<ReadinessProbe, 'shuttingDown'>;
  /** The embedded attachment store's routes (none with S3). */
  uploadRoutes?: UploadRoutes;
  /** METRICS_TOKEN: the bearer token /metrics answers on this port (unset: /metrics is off here). */
  metricsToken?: string;
  /** Where the web app uploads attachments to and shows them from besides this origin (the S3 bucket's). */
  storageOrigins?: readonly string[];
} & ApiExposure;

export type RunningServer = {
  url: string;
  /** Graceful stop (SIGTERM): see http/drain.ts. */
  close(): Promise<void>;
};

/** Whatever has not finished this long after a stop began is cut off. */
const DRAIN_TIMEOUT_MS = 10_000;
/** How long a connection accepted before the stop may take to deliver its request. */
const DRAIN_GRACE_MS = 1000;
/** How often connections are checked against HEADERS_TIMEOUT_MS and REQUEST_TIMEOUT_MS. */
const CONNECTIONS_CHECK_MS = 1000;

export function createParleyServer(opts: ServerOptions) {
  let shuttingDown = false;
  const yoga = createParleyYoga(opts.services, opts.outage, opts.trustProxy, opts);
  const routes = createRoutes({
    yoga,
    readiness: { ...opts.readiness, shuttingDown: () => shuttingDown },
    webDist: opts.webDist,
    maxBodyBytes: opts.limits.maxBodyBytes,
    uploads: opts.uploadRoutes,
    exportData: createExportRoute(opts.services),
    metricsToken: opts.metricsToken,
    appCsp: appCsp(opts.storageOrigins),
  });
  const server = createServer(
    {
      // Node's default (a whole request in 300 s, headers in 60 s) lets slow clients hold connections open.
      headersTimeout: Math.min(opts.limits.headersTimeoutMs, opts.limits.requestTimeoutMs),
      requestTimeout: opts.limits.requestTimeoutMs,
      // How often those timeouts are checked (default 30 s, which would let them run that much late).
      connectionsCheckingInterval: CONNECTIONS_CHECK_MS,
    },
    routes.handle,
  );
  server.maxConnections = opts.limits.maxConnections;
  const ws = serveGraphqlWs(server, yoga, opts.services, {
    ...opts.limits,
    trustProxy: opts.trustProxy,
    trustedDocuments: opts.trustedDocuments,
  });

  /** Refuse new work (/ready answers 503), answer every request already sent, ask WebSocket and SSE clients to
   * reconnect elsewhere. */
  async function close() {
    shuttingDown = true;
    await drainHttpServer(server, {
      onStopListening: ws.restartClients,
      onRequestsRead: routes.endStreams,
      onDeadline: ws.terminate,
      graceMs: DRAIN_GRACE_MS,
      timeoutMs: DRAIN_TIMEOUT_MS,
    });
    ws.terminate();
  }

  return {
    listen(port: number, host: string): Promise<RunningServer> {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const { port: actual } = server.address() as AddressInfo;
          const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
          resolve({ url: `http://${shownHost}:${actual}`, close });
        });
      });
    },
  };
}
