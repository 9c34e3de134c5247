// Cross-site request forgery: a page on any site can make a browser POST to parley without asking first (no CORS
// preflight) when the body is "simple" — a form (application/x-www-form-urlencoded, multipart/form-data),
// text/plain, or no declared type. Yoga would parse the first two as GraphQL and run them, e.g. signUp from every
// visitor's address. parley's clients POST JSON, which a browser sends cross-site only after a preflight that
// CORS_ORIGINS answers; so a POST of a simple type is refused (415) before its body is parsed. GET runs queries only
// (Yoga refuses mutations over GET) and carries no credentials (tokens are in Authorization, never in cookies).
import type { Plugin } from 'graphql-yoga';

const SIMPLE_TYPES = new Set(['', 'application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

export function csrfPlugin(): Plugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      if (request.method !== 'POST') return;
      const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
      if (!SIMPLE_TYPES.has(type)) return;
      const message = `POST /graphql takes Content-Type: application/json${type ? `, not ${type}` : ''}.`;
      endResponse(
        new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] }), {
          status: 415,
          headers: { 'content-type': 'application/json; charset=utf-8' },
        }),
      );
    },
  };
}
