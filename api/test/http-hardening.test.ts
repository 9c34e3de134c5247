// Safe on the open internet, at the HTTP layer: request size and time limits, security headers and caching of the
// web app and GraphiQL, CORS by allow-list, no cross-site "simple" requests, and the introspection switch — each
// against a real server, as a browser, an attacker or a careless client would meet it.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { loadConfig } from '../src/config.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { collect, gql, ok, signUp, startServer, wsClient, type TestServer } from './support/server.ts';
import { useTestServer } from './support/suite.ts';

const SEND = `mutation($to: ID!, $text: String!, $cid: String) {
  sendMessage(recipientId: $to, content: $text, clientMessageId: $cid) {
    id clientMessageId content createdAt readAt cursor
    sender { id username displayName }
    recipient { id username displayName }
  }
}`;
const SIGN_UP = (username: string) =>
  `mutation { signUp(username: "${username}", password: "correct horse") { token } }`;
const ALLOWED = 'https://app.example.com';
const ALSO_ALLOWED = 'https://admin.example.com';
const ASSET = 'index-Ab12Cd34.js';
const INDEX_HTML = `<!doctype html><title>parley</title><div id="root"></div><script type="module" src="/assets/${ASSET}"></script>`;
const ASSET_SOURCE = Array.from({ length: 50 }, (_, i) => `document.title = "parley ${i}";\n`).join('');

/**
 * A built web app as Vite lays it out: index.html, a hashed bundle under assets/ and its source map, and the .br and
 * .gz copies the build writes next to each text file (its source map's too, which must not be served either).
 */
async function fakeWebDist(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-web-'));
  await mkdir(path.join(dir, 'assets'));
  const withCompressed = async (file: string, text: string) => {
    await writeFile(path.join(dir, file), text);
    await writeFile(path.join(dir, `${file}.br`), brotliCompressSync(text));
    await writeFile(path.join(dir, `${file}.gz`), gzipSync(text));
  };
  await withCompressed('index.html', INDEX_HTML);
  await withCompressed(path.join('assets', ASSET), ASSET_SOURCE);
  await withCompressed(path.join('assets', `${ASSET}.map`), '{"version":3,"sources":["src/secret-source.tsx"]}');
  await writeFile(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  // The build's manifest (which chunks each route loads), for the bundle budget only.
  await mkdir(path.join(dir, '.vite'));
  await writeFile(path.join(dir, '.vite', 'manifest.json'), '{"index.html":{"file":"assets/secret-chunk.js"}}');
  return dir;
}

/** GET with exactly these request headers — fetch() would add its own Accept-Encoding and decode the body. */
function rawGet(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** The directives of a Content-Security-Policy: name → sources. */
function directives(csp: string | null): Record<string, string[]> {
  return Object.fromEntries(
    (csp ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name, sources]),
  );
}

function expectCommonHeaders(headers: Headers, what: string) {
  expect({
    what,
    nosniff: headers.get('x-content-type-options'),
    referrer: headers.get('referrer-policy'),
    frame: headers.get('x-frame-options'),
  }).toEqual({
    what,
    nosniff: 'nosniff',
    referrer: 'no-referrer',
    frame: 'DENY',
  });
}

/** POST /graphql with a given content type and raw body. */
const postRaw = (server: { url: string }, body: BodyInit, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/graphql`, { method: 'POST', headers, body });

/** A user named `username` exists (its password logs in). */
async function exists(server: { url: string }, username: string) {
  const r = await gql(server, `mutation($u: String!) { logIn(username: $u, password: "correct horse") { token } }`, {
    u: username,
  });
  return Boolean(r.data?.logIn?.token);
}

describe('a server on the open internet (defaults, HEADERS_TIMEOUT_MS=1500, CORS_ORIGINS set)', () => {
  let db: TestDatabase;
  let server: TestServer;
  let webDist: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    webDist = await fakeWebDist();
    server = await startServer(db, {
      WEB_DIST: webDist,
      HEADERS_TIMEOUT_MS: '1500',
      CORS_ORIGINS: `${ALLOWED}, ${ALSO_ALLOWED}`,
    });
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
    if (webDist) await rm(webDist, { recursive: true, force: true });
  });

  describe('HTTP limits', () => {
    test('a 2 MB body is refused with 413 before anything runs, whether its length is declared or it is chunked', async () => {
      const username = `big_${Date.now()}`;
      const body = JSON.stringify({ query: SIGN_UP(username), variables: { padding: 'x'.repeat(2_000_000) } });
      const declared = await postRaw(server, body, { 'content-type': 'application/json' });
      expect(declared.status).toBe(413);
      expectCommonHeaders(declared.headers, '413');
      expect((await declared.json()).errors[0].message).toMatch(/over 102400 bytes/);

      const bytes = new TextEncoder().encode(body);
      const chunked = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new ReadableStream({
          start(controller) {
            for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.subarray(i, i + 64 * 1024));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
      expect(chunked.status).toBe(413);
      await chunked.text();

      expect(await exists(server, username)).toBe(false);
      // The server goes on serving, and the same operation in a body of a normal size runs.
      await ok(server, SIGN_UP(username));
      expect(await exists(server, username)).toBe(true);
    });

    test('a legitimate send of about 50 KB — 4,000 characters, JSON-escaped, with every field — still works', async () => {
      const [alice, bob] = await Promise.all([signUp(server, 'alice'), signUp(server, 'bob')]);
      const text = '😀'.repeat(4000); // the longest content, in characters that take the most bytes
      // Escaped as clients that write ASCII-only JSON send it: two \u escapes, 12 bytes, per character.
      const escaped = JSON.stringify({ query: SEND, variables: { to: bob.id, text, cid: 'c'.repeat(128) } }).replace(
        /😀/g,
        '\\ud83d\\ude00',
      );
      expect(Buffer.byteLength(escaped)).toBeGreaterThan(48_000);
      expect(Buffer.byteLength(escaped)).toBeLessThan(100 * 1024);
      const res = await postRaw(server, escaped, {
        'content-type': 'application/json',
        authorization: `Bearer ${alice.token}`,
      });
      expect(res.status).toBe(200);
      const result = await res.json();
      expect(result.errors).toBeUndefined();
      expect(result.data.sendMessage).toMatchObject({
        content: text,
        clientMessageId: 'c'.repeat(128),
        sender: { id: alice.id },
      });
    });

    test('a client sending its headers one byte a second is answered 408 and disconnected after the headers timeout', async () => {
      const { port } = new URL(server.url);
      const socket = net.connect(Number(port), '127.0.0.1');
      const started = Date.now();
      let received = '';
      socket.on('data', (d) => (received += d));
      socket.write('GET /health HTTP/1.1\r\nHost: parley\r\n');
      const header = `X-Slow: ${'a'.repeat(60)}`;
      let sent = 0;
      const trickle = setInterval(() => {
        if (!socket.destroyed) socket.write(header[sent++ % header.length]);
      }, 1000);
      const closedAfter = await new Promise<number>((resolve) => {
        socket.on('close', () => resolve(Date.now() - started));
        socket.on('error', () => undefined);
      }).finally(() => clearInterval(trickle));
      // HEADERS_TIMEOUT_MS is 1500 and connections are checked every second.
      expect(closedAfter).toBeGreaterThanOrEqual(1400);
      expect(closedAfter).toBeLessThan(6000); // long before the client would have finished (a minute)
      expect(received).toMatch(/^HTTP\/1\.1 408 /);
    });
  });

  describe('headers and caching', () => {
    test('the web app is served under a strict Content-Security-Policy, its index revalidated on every use', async () => {
      for (const page of ['/', '/chat/some-conversation']) {
        const res = await fetch(`${server.url}${page}`);
        expect(res.status).toBe(200);
        expect(await res.text()).toContain('<div id="root">');
        expectCommonHeaders(res.headers, page);
        expect(res.headers.get('cache-control')).toBe('no-cache');
        expect(directives(res.headers.get('content-security-policy'))).toEqual({
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:', 'blob:'],
          'font-src': ["'self'"],
          'connect-src': ["'self'", 'ws:', 'wss:'],
          'object-src': ["'none'"],
          'base-uri': ["'none'"],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
        });
      }
    });

    test('hashed assets are cached for a year; other files are revalidated; source maps are not served', async () => {
      const asset = await fetch(`${server.url}/assets/${ASSET}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toMatch(/javascript/);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expectCommonHeaders(asset.headers, 'asset');
      expect((await fetch(`${server.url}/favicon.svg`)).headers.get('cache-control')).toBe('no-cache');

      for (const map of [
        `/assets/${ASSET}.map`,
        `/assets/${ASSET}%2Emap`,
        `/assets/${ASSET}.MAP`,
        `/assets/${ASSET}.map/`,
      ]) {
        const res = await fetch(`${server.url}${map}`);
        expect({ map, status: res.status }).toEqual({ map, status: 404 });
        expect(await res.text()).not.toContain('secret-source');
      }
    });

    test('files go out precompressed as the client accepts — br, else gzip, else as they are — and vary on it', async () => {
      const pages = [
        {
          path: `/assets/${ASSET}`,
          text: ASSET_SOURCE,
          type: /javascript/,
          cache: 'public, max-age=31536000, immutable',
        },
        { path: '/', text: INDEX_HTML, type: /^text\/html/, cache: 'no-cache' },
        { path: '/chat/some-conversation', text: INDEX_HTML, type: /^text\/html/, cache: 'no-cache' },
      ];
      const encodings = [
        { accept: 'gzip, deflate, br, zstd', encoding: 'br', decode: brotliDecompressSync },
        { accept: 'gzip, deflate', encoding: 'gzip', decode: gunzipSync },
        { accept: 'identity', encoding: undefined, decode: (b: Buffer) => b },
        { accept: undefined, encoding: undefined, decode: (b: Buffer) => b },
      ];
      for (const page of pages) {
        for (const { accept, encoding, decode } of encodings) {
          const res = await rawGet(`${server.url}${page.path}`, accept ? { 'accept-encoding': accept } : {});
          const what = `${page.path} (Accept-Encoding: ${accept ?? 'none'})`;
          expect({ what, status: res.status, encoding: res.headers['content-encoding'] }).toEqual({
            what,
            status: 200,
            encoding,
          });
          expect(decode(res.body).toString()).toBe(page.text);
          if (encoding) expect(res.body.length).toBeLessThan(Buffer.byteLength(page.text)); // really compressed
          expect(Number(res.headers['content-length'])).toBe(res.body.length);
          expect(res.headers['content-type']).toMatch(page.type);
          expect(res.headers.vary).toMatch(/accept-encoding/i);
          expect(res.headers['cache-control']).toBe(page.cache);

          // Each encoding has its own validator: revalidating it answers 304, varying the same way.
          const again = await rawGet(`${server.url}${page.path}`, {
            ...(accept ? { 'accept-encoding': accept } : {}),
            'if-none-match': String(res.headers.etag),
          });
          expect({ what, status: again.status, vary: again.headers.vary }).toEqual({
            what,
            status: 304,
            vary: 'Accept-Encoding',
          });
        }
      }
      for (const accept of ['br', 'gzip']) {
        const map = await rawGet(`${server.url}/assets/${ASSET}.map`, { 'accept-encoding': accept });
        expect({ accept, status: map.status }).toEqual({ accept, status: 404 });
      }
      const manifest = await rawGet(`${server.url}/.vite/manifest.json`);
      expect(manifest.status).toBe(404);
      expect(manifest.body.toString()).not.toContain('secret-chunk');
    });

    test('GraphiQL runs under its own policy: its inline scripts allowed by hash, nothing else inline', async () => {
      const res = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      const html = await res.text();
      expectCommonHeaders(res.headers, 'GraphiQL');
      // GraphiQL's start-up, and the one that shares the signed-in token between its tabs.
      const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(([, body]) => body);
      expect(scripts).toHaveLength(2);
      const hashes = scripts.map((body) => `'sha256-${createHash('sha256').update(body).digest('base64')}'`);
      const csp = directives(res.headers.get('content-security-policy'));
      expect([...csp['script-src']].sort()).toEqual(hashes.sort());
      expect(csp['worker-src']).toEqual(['blob:']); // Monaco's workers
      expect(csp['connect-src']).toEqual(["'self'", 'ws:', 'wss:']);
      expect(csp['frame-ancestors']).toEqual(["'none'"]);
      expect(csp['base-uri']).toEqual(["'none'"]);
    });

    test('every other response says nosniff, no-referrer and DENY, with a policy that allows nothing', async () => {
      const responses: [string, Response][] = [
        ['/health', await fetch(`${server.url}/health`)],
        ['/ready', await fetch(`${server.url}/ready`)],
        [
          'POST /graphql',
          await postRaw(server, JSON.stringify({ query: '{ __typename }' }), { 'content-type': 'application/json' }),
        ],
        ['GET /graphql', await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ __typename }')}`)],
        ['missing asset', await fetch(`${server.url}/assets/missing.js`)],
      ];
      for (const [what, res] of responses) {
        await res.arrayBuffer();
        expectCommonHeaders(res.headers, what);
        if (what !== 'missing asset') {
          expect({ what, csp: directives(res.headers.get('content-security-policy'))['default-src'] }).toEqual({
            what,
            csp: ["'none'"],
          });
        }
      }
    });
  });

  describe('CORS', () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/graphql`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, authorization',
        },
      });
    const post = (origin: string) =>
      postRaw(server, JSON.stringify({ query: '{ __typename }' }), { 'content-type': 'application/json', origin });

    test('a listed origin may call the API, without credentials', async () => {
      for (const origin of [ALLOWED, ALSO_ALLOWED]) {
        const pre = await preflight(origin);
        expect(pre.status).toBe(204);
        expect(pre.headers.get('access-control-allow-origin')).toBe(origin);
        expect(pre.headers.get('access-control-allow-methods')).toMatch(/POST/);
        expect(pre.headers.get('access-control-allow-headers')).toMatch(/authorization/);
        expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
        const res = await post(origin);
        expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
        expect(res.headers.get('access-control-allow-origin')).toBe(origin);
        expect(res.headers.get('access-control-allow-credentials')).toBeNull();
        expect(res.headers.get('vary')).toMatch(/origin/i);
      }
    });

    test('any other origin (or "null", a sandboxed frame) is never reflected', async () => {
      for (const origin of [
        'https://evil.example',
        'http://app.example.com',
        'https://app.example.com.evil.example',
        'null',
      ]) {
        for (const res of [await preflight(origin), await post(origin)]) {
          await res.arrayBuffer();
          expect({ origin, allow: res.headers.get('access-control-allow-origin') }).toEqual({ origin, allow: null });
          expect(res.headers.get('access-control-allow-credentials')).toBeNull();
        }
      }
    });
  });

  describe('cross-site "simple" requests', () => {
    test('a form post (urlencoded or multipart) or a text/plain body is refused with 415 and runs nothing', async () => {
      const names = ['csrf_form', 'csrf_multipart', 'csrf_text', 'csrf_untyped'].map(
        (n) => `${n}_${Date.now() % 100000}`,
      );
      const multipart = new FormData();
      multipart.set('operations', JSON.stringify({ query: SIGN_UP(names[1]) }));
      multipart.set('map', '{}');
      const attempts: [string, Response][] = [
        ['urlencoded', await postRaw(server, new URLSearchParams({ query: SIGN_UP(names[0]) }))],
        ['multipart', await postRaw(server, multipart)],
        [
          'text/plain',
          await postRaw(server, JSON.stringify({ query: SIGN_UP(names[2]) }), { 'content-type': 'text/plain' }),
        ],
        ['no type', await postRaw(server, new Blob([JSON.stringify({ query: SIGN_UP(names[3]) })]))],
      ];
      for (const [what, res] of attempts) {
        expect({ what, status: res.status }).toEqual({ what, status: 415 });
        expect((await res.json()).errors[0].message).toMatch(/application\/json/);
      }
      for (const name of names) expect(await exists(server, name)).toBe(false);
      // Sent as JSON, the same operation runs.
      await ok(server, SIGN_UP(names[0]));
      expect(await exists(server, names[0])).toBe(true);
    });

    test('JSON posts, GET queries and the GraphiQL page keep working', async () => {
      expect((await ok(server, `{ __typename }`)).__typename).toBe('Query');
      const get = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ __typename }')}`);
      expect(await get.json()).toEqual({ data: { __typename: 'Query' } });
      const graphiql = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(graphiql.status).toBe(200);
      expect(await graphiql.text()).toContain('parley GraphiQL');
      // Mutations over GET are refused (Yoga), whatever the headers.
      const mutation = await fetch(`${server.url}/graphql?query=${encodeURIComponent(SIGN_UP('csrf_get'))}`);
      expect(mutation.status).toBe(405);
    });
  });

  describe('introspection on (the default)', () => {
    test('GraphiQL and tools can explore the schema, and typos get suggestions', async () => {
      expect((await ok(server, `{ __schema { queryType { name } } }`)).__schema.queryType.name).toBe('Query');
      expect((await ok(server, `{ __type(name: "Message") { name } }`)).__type.name).toBe('Message');
      const typo = await gql(server, `{ mee { id } }`);
      expect(typo.errors?.[0].message).toMatch(/Did you mean "me"/);
    });
  });
});

describe('INTROSPECTION=off, CORS_ORIGINS unset', () => {
  let server: TestServer;
  useTestServer(
    async (suite) => {
      server = suite.server;
    },
    { env: { INTROSPECTION: 'off' } },
  );

  test('introspection queries are refused with a clear error, over HTTP and graphql-ws; __typename still works', async () => {
    for (const query of [
      `{ __schema { queryType { name } } }`,
      `query { me { id } __type(name: "User") { fields { name } } }`,
    ]) {
      const result = await gql(server, query);
      expect(result.data).toBeUndefined();
      expect(result.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/introspection has been disabled/),
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      });
    }
    const socket = wsClient(server);
    try {
      const op = collect(socket, `query { __schema { types { name } } }`);
      await op.waitFor(1);
      expect(JSON.stringify(op.error)).toMatch(/introspection has been disabled/);
    } finally {
      await socket.dispose();
    }
    expect((await ok(server, `{ __typename }`)).__typename).toBe('Query');
  });

  test('field suggestions do not leak the schema', async () => {
    const typo = await gql(server, `{ mee { id } }`);
    expect(typo.errors?.[0].message).toMatch(/Cannot query field "mee"/);
    expect(typo.errors?.[0].message).not.toMatch(/Did you mean|"me"/);
  });

  test('without CORS_ORIGINS no other origin is allowed', async () => {
    const res = await postRaw(server, JSON.stringify({ query: '{ __typename }' }), {
      'content-type': 'application/json',
      origin: ALLOWED,
    });
    expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('MAX_CONNECTIONS=2', () => {
  let server: TestServer;
  useTestServer(
    async (suite) => {
      server = suite.server;
    },
    { env: { MAX_CONNECTIONS: '2' } },
  );

  /** GET /health on a connection of its own: the status, or 'closed' when the server drops the connection. */
  function healthOn(agent: http.Agent): Promise<number | 'closed'> {
    return new Promise((resolve) => {
      const req = http.get(`${server.url}/health`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', () => resolve('closed'));
    });
  }

  test('a connection beyond the limit is closed at once; one is accepted again when another ends', async () => {
    const held = [
      new http.Agent({ keepAlive: true, maxSockets: 1 }),
      new http.Agent({ keepAlive: true, maxSockets: 1 }),
    ];
    const extra = new http.Agent({ keepAlive: false });
    try {
      expect(await Promise.all(held.map(healthOn))).toEqual([200, 200]); // two connections open, kept alive
      expect(await healthOn(extra)).toBe('closed');
      held[0].destroy();
      let status: number | 'closed' = 'closed';
      for (let i = 0; i < 20 && status === 'closed'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        status = await healthOn(extra);
      }
      expect(status).toBe(200);
    } finally {
      for (const agent of [...held, extra]) agent.destroy();
    }
  });
});

test('CORS_ORIGINS must list origins; anything else stops the server at start, naming the variable', () => {
  expect(loadConfig({ CORS_ORIGINS: ` ${ALLOWED} ,${ALSO_ALLOWED}` }).corsOrigins).toEqual([ALLOWED, ALSO_ALLOWED]);
  expect(loadConfig({}).corsOrigins).toEqual([]);
  for (const bad of ['*', 'https://app.example.com/', 'app.example.com', 'https://app.example.com/path']) {
    expect(() => loadConfig({ CORS_ORIGINS: bad })).toThrow(/CORS_ORIGINS/);
  }
  expect(() => loadConfig({ INTROSPECTION: 'no' })).toThrow(/INTROSPECTION/);
});
