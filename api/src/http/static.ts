// Serves the built web app (web/dist) at `/`, with index.html for client-side routes, under the app's
// Content-Security-Policy. Vite's hashed files under /assets/ never change: cached for a year; everything else
// (index.html, the favicon) is revalidated on every use. Source maps are not served.
// Compression is done once, at build time (web/vite.config.ts writes x.br and x.gz next to each text file x): a
// client that accepts br gets the .br, else one that accepts gzip the .gz, else the file itself; every answer
// says `Vary: Accept-Encoding` so a shared cache never hands one client's encoding to another.
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import sirv from 'sirv';
import { APP_CSP } from './security-headers.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A file under /assets/ (a path with an extension is never answered with index.html). */
const HASHED_ASSET = /^\/assets\/[^/]+\.\w+$/;

/** A source map, however the path is spelled (sirv decodes it and ignores a trailing slash). */
function isSourceMap(url = '/'): boolean {
  let pathname = url.split('?')[0];
  try {
    pathname = decodeURI(pathname);
  } catch {
    // sirv keeps a malformed path as it is
  }
  return /\.map\/*$/i.test(pathname);
}

/** `csp`: the app's Content-Security-Policy (appCsp). */
export function createStaticHandler(webDist: string, csp = APP_CSP): Handler {
  if (!existsSync(path.join(webDist, 'index.html'))) {
    return (_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        '<!doctype html><title>parley</title><h1>parley API</h1>' +
          '<p>The web app is not built: run <code>npm run build</code> (or <code>npm start</code>, which builds it).</p>' +
          '<p>GraphiQL: <a href="/graphql">/graphql</a></p>',
      );
    };
  }
  const serve = sirv(webDist, {
    single: true,
    etag: true,
    gzip: true,
    brotli: true,
    dev: false,
    setHeaders: (res, pathname) =>
      res.setHeader('cache-control', HASHED_ASSET.test(pathname) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  const notFound = (res: ServerResponse) => void res.writeHead(404).end();
  return (req, res) => {
    res.setHeader('content-security-policy', csp);
    // sirv sets it on a 200 only; a 304 (and a 404) must vary the same way.
    res.setHeader('vary', 'Accept-Encoding');
    if (isSourceMap(req.url)) return notFound(res);
    serve(req, res, () => notFound(res));
  };
}
