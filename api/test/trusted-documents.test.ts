// Trusted documents (persisted operations), against real servers: by default (TRUSTED_DOCUMENTS=off) text runs and so
// do the web app's generated documents by id, over HTTP and graphql-ws, and an unknown id answers
// PERSISTED_QUERY_NOT_FOUND (clients then send the text). With TRUSTED_DOCUMENTS=only (a spawned server, as deployed)
// text is refused with PERSISTED_QUERY_ONLY over HTTP, graphql-ws and SSE; ids of the web app's manifest and of a
// second (mobile) manifest named in TRUSTED_DOCUMENTS_MANIFESTS run, a whole conversation's worth; GraphiQL is off;
// and a manifest that cannot be read stops the server, naming it.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Client } from 'graphql-ws';
import { WebSocket } from 'ws';
import { WEB_TRUSTED_DOCUMENTS } from '../src/paths.ts';
import { type TestDatabase } from './support/databases.ts';
import { useTestDatabase } from './support/suite.ts';
import {
  collect,
  connected,
  spawnServer,
  startServer,
  wsClient,
  type GqlResult,
  type ServerProcess,
  type TestServer,
} from './support/server.ts';

/** The web app's manifest (codegen), by operation name: its id as the client sends it (bare hex). */
const webManifest = JSON.parse(readFileSync(WEB_TRUSTED_DOCUMENTS, 'utf8')) as Record<string, string>;
function webId(operationName: string): string {
  const found = Object.entries(webManifest).filter(([, text]) =>
    new RegExp(`(query|mutation|subscription) ${operationName}\\b`).test(text),
  );
  if (found.length !== 1) throw new Error(`${operationName}: ${found.length} documents in the web manifest`);
  return found[0][0].replace(/^sha256:/, '');
}

const persisted = (id: string) => ({ persistedQuery: { version: 1, sha256Hash: id } });
const codes = (result: GqlResult) => result.errors?.map((e) => e.extensions?.code);

/** POST /graphql with an id, a text, or both; the status and the body. */
async function post(
  server: { url: string },
  body: { query?: string; id?: string; operationName?: string; variables?: Record<string, unknown> },
  { token, accept = 'application/graphql-response+json' }: { token?: string; accept?: string } = {},
) {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({
      ...(body.query !== undefined ? { query: body.query } : {}),
      ...(body.operationName ? { operationName: body.operationName } : {}),
      variables: body.variables ?? {},
      ...(body.id ? { extensions: persisted(body.id) } : {}),
    }),
  });
  return { status: res.status, result: (await res.json()) as GqlResult };
}

/** One operation over graphql-ws: an id goes with an empty query. The first result, or the error list. */
async function overWs(client: Client, payload: { query?: string; id?: string; variables?: Record<string, unknown> }) {
  const sub = collect(client, payload.query ?? '', payload.variables, payload.id ? persisted(payload.id) : undefined);
  try {
    await sub.waitFor(1);
    if (sub.error) return { errors: sub.error as GqlResult['errors'] } as GqlResult;
    return sub.events[0];
  } finally {
    sub.dispose();
  }
}

/** One subscribe message with the id and no `query` over a raw graphql-transport-ws socket: the first payload. */
async function idOnlyOverRawSocket(url: string, token: string, id: string): Promise<GqlResult> {
  const socket = new WebSocket(url.replace(/^http/, 'ws') + '/graphql', 'graphql-transport-ws');
  try {
    return await new Promise<GqlResult>((resolve, reject) => {
      socket.on('error', reject);
      socket.on('close', (code, reason) => reject(new Error(`closed ${code} ${reason.toString()}`)));
      socket.on('open', () =>
        socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })),
      );
      socket.on('message', (data) => {
        const message = JSON.parse(data.toString()) as { type: string; payload?: unknown };
        if (message.type === 'connection_ack')
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { extensions: persisted(id) } }));
        else if (message.type === 'next') resolve(message.payload as GqlResult);
        else if (message.type === 'error') resolve({ errors: message.payload } as GqlResult);
      });
    });
  } finally {
    socket.close();
  }
}

/** Signs a user up through the web app's SignUp document, by id. */
async function signUpById(server: { url: string }) {
  const username = `trusted_${randomBytes(4).toString('hex')}`;
  const { result } = await post(server, {
    id: webId('SignUp'),
    operationName: 'SignUp',
    variables: { username, password: 'correct horse' },
  });
  expect(result.errors).toBeUndefined();
  const { token, user } = result.data.signUp as { token: string; user: { id: string } };
  return { id: user.id, username, token };
}

let db: TestDatabase;

useTestDatabase((suite) => {
  db = suite;
});

describe('TRUSTED_DOCUMENTS=off (the default)', () => {
  let server: TestServer;
  let client: Client | undefined;
  beforeAll(async () => {
    server = await startServer(db);
  });
  afterAll(async () => {
    await client?.dispose();
    await server?.close();
  });

  test('text runs, and the web app’s documents run by id over HTTP (with or without the sha256: prefix)', async () => {
    const alice = await signUpById(server);
    const text = await post(server, { query: '{ me { username } }' }, { token: alice.token });
    expect(text).toEqual({ status: 200, result: { data: { me: { username: alice.username } } } });

    for (const id of [webId('Me'), `sha256:${webId('Me')}`]) {
      const byId = await post(server, { id, operationName: 'Me' }, { token: alice.token });
      expect(byId.status).toBe(200);
      expect(byId.result.data).toEqual({
        me: { __typename: 'User', id: alice.id, username: alice.username, displayName: alice.username },
      });
    }
  });

  test('unknown id: PersistedQueryNotFound (400; 200 to application/json); with the text too, it runs', async () => {
    const unknown = createHash('sha256').update('query Unknown { me { id } }').digest('hex');
    const spec = await post(server, { id: unknown });
    expect(spec.status).toBe(400);
    expect(spec.result.errors).toEqual([
      { message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } },
    ]);
    const json = await post(server, { id: unknown }, { accept: 'application/json' });
    expect(json.status).toBe(200);
    expect(codes(json.result)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);

    // What Apollo's clients send next: the text with the id.
    const retried = await post(server, { id: unknown, query: 'query Unknown { me { id } }' });
    expect(retried).toEqual({ status: 200, result: { data: { me: null } } });
  });

  test('over graphql-ws: text runs, ids run, an unknown id is PERSISTED_QUERY_NOT_FOUND', async () => {
    const alice = await signUpById(server);
    client = wsClient(server, alice.token);
    await connected(client, 0);
    expect(await overWs(client, { query: '{ me { username } }' })).toEqual({
      data: { me: { username: alice.username } },
    });
    expect((await overWs(client, { id: webId('Me') })).data?.me).toMatchObject({ id: alice.id, __typename: 'User' });
    expect(codes(await overWs(client, { id: 'f'.repeat(64) }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  test('GraphiQL is served', async () => {
    const res = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('parley GraphiQL');
  });
});

describe('TRUSTED_DOCUMENTS=only, with a mobile manifest', () => {
  let server: ServerProcess;
  const clients: Client[] = [];
  /** The mobile app's one operation, in Apollo's manifest format (what Apollo Kotlin and Apollo iOS generate). */
  const MOBILE_QUERY = 'query MobileWhoAmI { me { id username } }';
  const mobileId = createHash('sha256').update(MOBILE_QUERY).digest('hex');

  beforeAll(async () => {
    const manifest = path.join(db.dataDir, 'mobile-operations.json');
    await writeFile(
      manifest,
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [{ id: mobileId, body: MOBILE_QUERY, name: 'MobileWhoAmI', type: 'query' }],
      }),
    );
    server = await spawnServer(db, { TRUSTED_DOCUMENTS: 'only', TRUSTED_DOCUMENTS_MANIFESTS: manifest });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await server?.close();
  });
  const socket = async (token?: string) => {
    const client = wsClient(server, token);
    clients.push(client);
    await connected(client, 0);
    return client;
  };

  test('HTTP refuses text with PERSISTED_QUERY_ONLY: alone, with an id, a trusted document’s own text', async () => {
    for (const body of [
      { query: '{ me { id } }' },
      { query: '{ me { id } }', id: webId('Me') },
      { query: webManifest[`sha256:${webId('Me')}`] },
      {}, // neither
    ]) {
      const { status, result } = await post(server, body);
      expect(status).toBe(400);
      expect(codes(result)).toEqual(['PERSISTED_QUERY_ONLY']);
      expect(result.errors![0].message).toMatch(/runs only trusted documents.*extensions\.persistedQuery\.sha256Hash/);
      expect(result.data).toBeUndefined();
    }
    const json = await post(server, { query: '{ __schema { types { name } } }' }, { accept: 'application/json' });
    expect(json.status).toBe(200);
    expect(codes(json.result)).toEqual(['PERSISTED_QUERY_ONLY']);
  });

  test('text is refused over graphql-ws and over SSE', async () => {
    const client = await socket();
    expect(codes(await overWs(client, { query: '{ me { id } }' }))).toEqual(['PERSISTED_QUERY_ONLY']);
    expect(codes(await overWs(client, { query: 'subscription { conversationUpdated { id } }' }))).toEqual([
      'PERSISTED_QUERY_ONLY',
    ]);

    // SSE, graphql-sse's single-connection mode by hand: reserve a stream, open it, send an operation to it.
    const alice = await signUpById(server);
    const stream = `${server.url}/graphql/stream`;
    const auth = { authorization: `Bearer ${alice.token}` };
    const token = await (await fetch(stream, { method: 'PUT', headers: auth })).text();
    const events = new AbortController();
    const opened = await fetch(stream, {
      headers: { ...auth, accept: 'text/event-stream', 'x-graphql-event-stream-token': token },
      signal: events.signal,
    });
    expect(opened.status).toBe(200);
    const operation = await fetch(stream, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', 'x-graphql-event-stream-token': token },
      body: JSON.stringify({ query: '{ me { id } }', extensions: { operationId: '1' } }),
    });
    expect(operation.status).toBe(202);
    // Its result, on the stream: the refusal, and no data.
    const reader = opened.body!.getReader();
    let received = '';
    while (!received.includes('"complete"') && !received.includes('event: complete')) {
      const { value, done } = await reader.read();
      if (done) break;
      received += new TextDecoder().decode(value);
    }
    events.abort();
    expect(received).toContain('PERSISTED_QUERY_ONLY');
    expect(received).not.toContain('"data":{');

    // …and distinct connections, at /graphql/stream and at /graphql.
    for (const url of [stream, `${server.url}/graphql`]) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ query: '{ me { id } }' }),
      });
      expect(`${url} ${res.status} ${await res.text()}`).toMatch(/PERSISTED_QUERY_ONLY/);
    }
  });

  test('the web app’s documents run by id over HTTP and graphql-ws: sign up, subscribe, send, receive', async () => {
    const alice = await signUpById(server);
    const bob = await signUpById(server);
    const aliceSocket = await socket(alice.token);
    expect((await overWs(aliceSocket, { id: webId('Me') })).data?.me).toMatchObject({ id: alice.id });

    const added = collect(aliceSocket, '', { withUserId: bob.id }, persisted(webId('MessageAdded')));
    await new Promise((r) => setTimeout(r, 300)); // the subscription registered
    const sent = await post(
      server,
      {
        id: webId('SendMessage'),
        operationName: 'SendMessage',
        variables: { recipientId: alice.id, content: 'by id', clientMessageId: randomBytes(6).toString('hex') },
      },
      { token: bob.token },
    );
    expect(sent.result.errors).toBeUndefined();
    const [event] = await added.waitFor(1);
    added.dispose();
    expect(event.errors).toBeUndefined();
    expect(event.data.messageAdded).toMatchObject({ content: 'by id', sender: { id: bob.id } });

    const bobSocket = await socket(bob.token);
    const history = await overWs(bobSocket, { id: webId('ChatHistory'), variables: { withUserId: alice.id, last: 5 } });
    expect(history.errors).toBeUndefined();
    expect(JSON.stringify(history.data)).toContain('by id');
  });

  test('a mobile manifest (TRUSTED_DOCUMENTS_MANIFESTS, Apollo’s format) is trusted; unknown ids are not', async () => {
    const alice = await signUpById(server);
    const http = await post(server, { id: mobileId, operationName: 'MobileWhoAmI' }, { token: alice.token });
    expect(http).toEqual({ status: 200, result: { data: { me: { id: alice.id, username: alice.username } } } });
    const ws = await overWs(await socket(alice.token), { id: mobileId });
    expect(ws).toEqual({ data: { me: { id: alice.id, username: alice.username } } });
    // As Apollo Kotlin and Apollo iOS send it over a socket: the id and no `query` field at all (graphql-ws's own
    // client would not send that, so a raw socket speaks the protocol).
    const idOnly = await idOnlyOverRawSocket(server.url, alice.token, mobileId);
    expect(idOnly).toEqual({ data: { me: { id: alice.id, username: alice.username } } });

    const unknown = createHash('sha256').update('query Other { me { id } }').digest('hex');
    expect(codes((await post(server, { id: unknown })).result)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect(codes(await overWs(await socket(), { id: unknown }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  test('GraphiQL is off: a browser gets a 404 saying why', async () => {
    const res = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toMatch(/GraphiQL is off.*TRUSTED_DOCUMENTS=only/);
  });
});

test('a manifest that cannot be read stops the server, naming it', async () => {
  const missing = path.join(db.dataDir, 'no-such-manifest.json');
  const broken = path.join(db.dataDir, 'broken-manifest.json');
  await writeFile(broken, JSON.stringify({ abc: 'query {' }));
  for (const [file, problem] of [
    [missing, /ENOENT/],
    [broken, /document abc: Syntax Error/],
  ] as const) {
    const started = spawnServer(db, { TRUSTED_DOCUMENTS_MANIFESTS: file });
    await expect(started).rejects.toThrow(`Trusted documents manifest ${file}`);
    await expect(started).rejects.toThrow(problem);
  }
});
