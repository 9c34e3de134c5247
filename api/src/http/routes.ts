// Who answers which path: /graphql (HTTP and SSE; its WebSocket upgrades are graphql-ws.ts'), /health, /ready,
// /metrics (metrics.ts), /export (export.ts: "Download my data"), /uploads (attachments: the embedded store, uploads.ts, or redirects to the bucket, download-redirects.ts), and the web app for everything else.
// Every response carries the security headers (security-headers.ts); a request body over MAX_BODY_BYTES is refused
// with 413 before anything parses it (an upload is limited by its own policy).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { openStreams } from '../metrics/registry.ts';
import { EXPORT_PATH } from './export.ts';
import { health, ready, type ReadinessProbe } from './health.ts';
import { metricsRoute } from './metrics.ts';
import { requestIdOf } from './request-id.ts';
import { setSecurityHeaders } from './security-headers.ts';
import { createStaticHandler } from './static.ts';
import type { UploadRoutes } from './uploads.ts';
import type { ParleyYoga } from './yoga.ts';

/** How long the rest of a refused body is read and dropped before the connection closes. */
const LINGER_MS = 2_000;

export type Routes = {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Ends the open SSE subscription streams, so their clients reconnect (to another instance). */
  endStreams(): void;
};

/** The body, or null once it is over `maxBytes` (counted as it arrives: a chunked body declares no length). */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.off('data', onData);
        req.off('end', onEnd);
        resolve(null);
      } else chunks.push(chunk);
    };
    const onEnd = () => resolve(Buffer.concat(chunks, size));
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', reject);
    req.once('close', () => reject(new Error('request closed before its body was read'))); // no-op after 'end'
  });
}

/**
 * A body already read, as @whatwg-node/server (under Yoga) takes it from `req.body`: an async iterable, not the
 * Buffer itself, whose every byte it would enumerate as a key (milliseconds for 100 KB).
 */
const asBody = (buffer: Buffer) => ({
  byteLength: buffer.length,
  async *[Symbol.asyncIterator]() {
    yield buffer;
  },
});

export function createRoutes(opts: {
  yoga: ParleyYoga;
  readiness: ReadinessProbe;
  webDist: string;
  maxBodyBytes: number;
  /** The embedded store's upload and download routes (none with S3). */
  uploads?: UploadRoutes;
  /** GET /export (export.ts). */
  exportData?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** METRICS_TOKEN: /metrics answers this bearer token only; unset, /metrics is off on this port. */
  metricsToken?: string;
  /** The web app's Content-Security-Policy (security-headers.ts appCsp; APP_CSP by default). */
  appCsp?: string;
}): Routes {
  const { yoga, readiness, maxBodyBytes } = opts;
  const staticHandler = createStaticHandler(opts.webDist, opts.appCsp);
  const metrics = metricsRoute(opts.metricsToken);
  const streams = new Set<ServerResponse>();

  /**
   * 413, then the connection closes. What the client is still sending is read and dropped for a moment first
   * (a "lingering close", as nginx does): closing on unread data resets the connection, and the client could lose
   * the answer.
   */
  const tooLarge = (req: IncomingMessage, res: ServerResponse) => {
    const body = JSON.stringify({
      errors: [{ message: `The request body is over ${maxBodyBytes} bytes.`, extensions: { code: 'BAD_REQUEST' } }],
    });
    res.writeHead(413, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    });
    res.write(body);
    const close = () => {
      clearTimeout(linger);
      if (!res.writableEnded) res.end();
    };
    const linger = setTimeout(close, LINGER_MS);
    if (req.readableEnded) return close();
    req.once('end', close);
    req.once('close', close);
    req.resume();
  };

  /** 400 for a GET whose `variables` or `extensions` is not JSON (Yoga's GET parser would throw: a 500). */
  const badQueryParameter = (res: ServerResponse, name: string) => {
    const body = JSON.stringify({
      errors: [{ message: `The ${name} parameter is not JSON.`, extensions: { code: 'BAD_REQUEST' } }],
    });
    res.writeHead(400, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  };

  return {
    handle(req, res) {
      setSecurityHeaders(res);
      // The balancer's id, or a new one: the client and the log lines see the same (request-id.ts, yoga.ts).
      const requestId = requestIdOf(req.headers['x-request-id']);
      req.headers['x-request-id'] = requestId;
      res.setHeader('x-request-id', requestId);
      // While draining, no connection is kept alive for another request.
      if (readiness.shuttingDown()) res.setHeader('connection', 'close');
      const pathname = (req.url ?? '/').split('?')[0];
      // Before the body limit: an upload is limited by its policy.
      if (opts.uploads?.matches(pathname)) return opts.uploads.handle(req, res, pathname);
      if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) return tooLarge(req, res);
      if (pathname === '/graphql' || pathname.startsWith('/graphql/')) {
        if (req.headers.accept?.includes('text/event-stream')) {
          streams.add(res);
          openStreams.inc();
          res.once('close', () => {
            streams.delete(res);
            openStreams.dec();
          });
        }
        if (req.method === 'GET') {
          const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
          for (const name of ['variables', 'extensions']) {
            const value = params.get(name);
            if (value !== null && !isJson(value)) return badQueryParameter(res, name);
          }
        }
        const hasBody =
          req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
        if (!hasBody) return void yoga.handle(req, res);
        // Read here, counted, and handed to Yoga as `req.body` (which it takes instead of reading the stream).
        return void readBody(req, maxBodyBytes).then(
          (body) => (body ? void yoga.handle(Object.assign(req, { body: asBody(body) }), res) : tooLarge(req, res)),
          () => res.destroy(),
        );
      }
      if (pathname === '/health') return health(req, res);
      if (pathname === '/ready') return void ready(readiness, res);
      if (pathname === '/metrics') return metrics(req, res);
      if (pathname === EXPORT_PATH && opts.exportData) return void opts.exportData(req, res);
      staticHandler(req, res);
    },
    endStreams() {
      for (const res of streams) res.end();
    },
  };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
