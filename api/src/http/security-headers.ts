// What browsers may do with parley's responses. Every response says: no MIME sniffing, no Referer sent from our
// pages, never framed. Each kind of response has its Content-Security-Policy:
// - the web app (`/`, static.ts): scripts and styles from its own files only, network to its own origin (and its
//   WebSocket), images from itself, data: URIs (the CSS icons) and blob: URLs (a picked image's preview before it is
//   uploaded); with S3 attachments, also the bucket's origins (uploads are POSTed there, images shown from there);
// - GraphiQL (GET /graphql from a browser): Yoga renders it as one page with an inline script, allowed by its
//   SHA-256 hash; Monaco starts its workers from blob: URLs and inserts style elements as it runs, so styles are
//   'unsafe-inline' there, on that page only;
// - everything else (GraphQL results, /health, /ready): nothing to render, nothing allowed.
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { shouldRenderGraphiQL, type GraphiQLOptions, type GraphiQLRenderer, type Plugin } from 'graphql-yoga';

/** Directives every policy ends with: no plugins, no <base>, forms only to us, no framing (clickjacking). */
const LOCKDOWN = "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/** Fetches to this origin, and its WebSocket (graphql-ws): browsers before CSP 3 do not count ws: as 'self'. */
const CONNECT = "connect-src 'self' ws: wss:";

export const API_CSP = "default-src 'none'; " + LOCKDOWN;

/** The web app's policy; `storageOrigins`: where attachments are uploaded to and shown from besides this origin. */
export function appCsp(storageOrigins: readonly string[] = []): string {
  const extra = storageOrigins.map((o) => ` ${o}`).join('');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: blob:${extra}`,
    "font-src 'self'",
    CONNECT + extra,
    LOCKDOWN,
  ].join('; ');
}

export const APP_CSP = appCsp();

/** GraphiQL's policy, allowing exactly the inline scripts whose hashes are given ('none' without any). */
export function graphiqlCsp(scriptHashes: string[]): string {
  return [
    "default-src 'self'",
    `script-src ${scriptHashes.length ? scriptHashes.map((h) => `'${h}'`).join(' ') : "'none'"}`,
    'worker-src blob:',
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    CONNECT,
    LOCKDOWN,
  ].join('; ');
}

const COMMON_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/** The headers every response carries, with `csp` (API_CSP unless said otherwise; a handler may replace it). */
export function setSecurityHeaders(res: ServerResponse, csp = API_CSP): void {
  for (const [name, value] of Object.entries(COMMON_HEADERS)) res.setHeader(name, value);
  res.setHeader('content-security-policy', csp);
}

/** `sha256-…` of each inline (src-less) script of an HTML page, as CSP hash-sources. */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const [, body] of html.matchAll(/<script>([\s\S]*?)<\/script>/g)) {
    hashes.push(`sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}`);
  }
  return hashes;
}

/**
 * GraphiQL under its own CSP: `render` renders Yoga's page once (its options do not change) and hashes its inline
 * script; `plugin` puts the matching policy on GraphiQL's response (Yoga's other HTML pages get it too: no script
 * runs there but GraphiQL's).
 */
export function graphiqlUnderCsp(renderGraphiQL: GraphiQLRenderer): { render: GraphiQLRenderer; plugin: Plugin } {
  let rendered: { key: string; page: Promise<{ html: string; csp: string }> } | undefined;
  let csp = graphiqlCsp([]);
  return {
    render(options: GraphiQLOptions) {
      const key = JSON.stringify(options);
      if (rendered?.key !== key) {
        const page = Promise.resolve(renderGraphiQL(options)).then((body) => {
          const html = String(body);
          return { html, csp: graphiqlCsp(inlineScriptHashes(html)) };
        });
        rendered = { key, page };
        page.catch(() => {
          if (rendered?.page === page) rendered = undefined;
        });
      }
      return rendered.page.then((page) => {
        csp = page.csp;
        return page.html;
      });
    },
    plugin: {
      onResponse({ request, response }) {
        if (shouldRenderGraphiQL(request) && response.headers.get('content-type')?.startsWith('text/html')) {
          response.headers.set('content-security-policy', csp);
        }
      },
    },
  };
}
