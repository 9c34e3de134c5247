// CORS by allow-list (CORS_ORIGINS). Pages of a listed origin may call the API from the browser; tokens travel in
// Authorization, so credentials (cookies) are never allowed. Any other origin gets no Access-Control-Allow-Origin
// at all (not even "null", which sandboxed frames of any site send), so its pages cannot read answers; same-origin
// pages need none. Answers differ by Origin, so they say `Vary: Origin` to caches.
import type { Plugin, YogaServerOptions } from 'graphql-yoga';

type CorsOption = NonNullable<YogaServerOptions<object, object>['cors']>;

export function corsByAllowList(origins: string[]): { cors: CorsOption; plugin: Plugin } {
  const allowed = new Set(origins);
  return {
    cors: (request) => {
      const origin = request.headers.get('origin');
      return origin && allowed.has(origin)
        ? { origin: [origin], credentials: false, methods: ['GET', 'POST'], maxAge: 600 }
        : false;
    },
    plugin: {
      onResponse({ response }) {
        if (allowed.size && !/\borigin\b/i.test(response.headers.get('vary') ?? ''))
          response.headers.append('vary', 'Origin');
      },
    },
  };
}
