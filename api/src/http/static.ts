// Serves the built web app (web/dist) at `/`, with index.html for client-side routes.
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import sirv from 'sirv';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export function createStaticHandler(webDist: string): Handler {
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
  const serve = sirv(webDist, { single: true, etag: true, gzip: false, dev: false });
  return (req, res) => serve(req, res, () => {
    res.writeHead(404).end();
  });
}
