// Security: a stream lives no longer than the session whose token opened it — over every transport (a graphql-ws
// socket signed in at connection_init; a subscription on an anonymous socket carrying its own token in
// extensions.headers, as GraphiQL sends it; SSE, one connection per operation or graphql-sse's single connection), and
// however the session ends (log-out, log-out everywhere, expiry, a deleted user, a log-out on another instance).
import pg from 'pg';
import { createClient as createSseClient } from 'graphql-sse';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { describeWith } from './support/requirements.ts';
import {
  collect,
  gql,
  ok,
  signUp,
  sleep,
  spawnServer,
  startServer,
  wsClient,
  type ServerProcess,
  type TestServer,
  type TestUser,
} from './support/server.ts';

const ADDED = `subscription { messageAdded { id } }`;
const SEND = `mutation($to: ID!, $text: String!) { sendMessage(recipientId: $to, content: $text) { id } }`;
const LOG_IN = `mutation($u: String!, $p: String!) { logIn(username: $u, password: $p) { token } }`;

/** How a stream ended: the code of its last error, and whether it completed, or the close code of its socket. */
type Ending = { code?: string; completed?: boolean; closeCode?: number };
type Stream = { events: unknown[]; ended: Promise<Ending>; dispose(): void };
type Transport = { name: string; open(server: { url: string }, token: string): Stream };

const codeOfLast = (events: unknown[]) =>
  (events.at(-1) as { errors?: { extensions?: { code?: string } }[] } | undefined)?.errors?.[0]?.extensions?.code;

const transports: Transport[] = [
  {
    name: 'graphql-ws, signed in at connection_init',
    open(server, token) {
      const client = wsClient(server, token);
      const events: unknown[] = [];
      client.subscribe({ query: ADDED }, { next: (e) => void events.push(e), error: () => {}, complete: () => {} });
      const ended = new Promise<Ending>((resolve) =>
        client.on('closed', (e) => resolve({ closeCode: (e as { code: number }).code })),
      );
      return { events, ended, dispose: () => void client.dispose() };
    },
  },
  {
    name: 'graphql-ws, anonymous socket, token in extensions.headers',
    open(server, token) {
      const client = wsClient(server);
      let closeCode: number | undefined;
      client.on('closed', (e) => void (closeCode = (e as { code: number }).code));
      const sub = collect(client, ADDED, {}, { headers: { authorization: `Bearer ${token}` } });
      const ended = (async (): Promise<Ending> => {
        while (!sub.completed && !sub.error) await sleep(20);
        // The socket is anonymous: it stays, and still answers.
        await sleep(200);
        const still = await new Promise<unknown>((resolve) =>
          client.subscribe({ query: '{ __typename }' }, { next: resolve, error: resolve, complete: () => {} }),
        );
        return {
          code: codeOfLast(sub.events),
          completed: sub.completed && !sub.error,
          closeCode: (still as { data?: unknown }).data ? closeCode : -1,
        };
      })();
      return { events: sub.events, ended, dispose: () => void client.dispose() };
    },
  },
  ...[false, true].map((singleConnection): Transport => ({
    name: `SSE (${singleConnection ? 'single connection' : 'a connection per operation'})`,
    open(server, token) {
      const client = createSseClient({
        url: `${server.url}/graphql/stream`,
        headers: { authorization: `Bearer ${token}` },
        singleConnection,
        retryAttempts: 0,
      });
      const events: unknown[] = [];
      const ended = new Promise<Ending>((resolve) =>
        client.subscribe(
          { query: ADDED },
          {
            next: (e) => void events.push(e),
            error: (err) => resolve({ code: codeOfLast(events) ?? `error: ${String(err)}` }),
            complete: () => resolve({ code: codeOfLast(events), completed: true }),
          },
        ),
      );
      return { events, ended, dispose: () => client.dispose() };
    },
  })),
  {
    name: 'SSE at /graphql (Accept: text/event-stream)',
    open(server, token) {
      const events: unknown[] = [];
      const abort = new AbortController();
      const ended = (async (): Promise<Ending> => {
        const res = await fetch(`${server.url}/graphql`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'text/event-stream',
            authorization: `Bearer ${token}`,
          },
          body: JSON.stringify({ query: ADDED }),
          signal: abort.signal,
        });
        const completed = await readEvents(res.body!, (event, data) => {
          if (event === 'next') events.push(JSON.parse(data));
          return event === 'complete';
        });
        return { code: codeOfLast(events), completed };
      })();
      ended.catch(() => {}); // disposing aborts the request
      return { events, ended, dispose: () => abort.abort() };
    },
  },
];

/** Reads server-sent events until `onEvent` says done (true) or the stream ends (false). */
async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (event: string, data: string) => boolean) {
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
      if (event && onEvent(event, data)) return true;
    }
  }
  return false;
}

/** What a transport's stream must show when its session ended. */
const expectEnded = (transport: Transport, ending: Ending) =>
  transport.name.includes('connection_init')
    ? expect(ending).toEqual({ closeCode: 4403 })
    : expect(ending).toEqual({
        code: 'UNAUTHENTICATED',
        completed: true,
        ...(transport.name.includes('anonymous') ? { closeCode: undefined } : {}),
      });

/** Opens a stream for `user` and waits until a message sent to them arrives on it. */
async function openLive(transport: Transport, server: { url: string }, user: TestUser, token: string, from: TestUser) {
  const stream = transport.open(server, token);
  const deadline = Date.now() + 10_000;
  while (!stream.events.length) {
    if (Date.now() > deadline) throw new Error(`${transport.name}: no message arrived`);
    await ok(server, SEND, { to: user.id, text: 'are you there?' }, from.token);
    await sleep(150);
  }
  return stream;
}

/** Ends within `ms`, or fails naming the transport. */
async function within<T>(ms: number, name: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name}: the stream did not end within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function serverForThisBlock(env: Record<string, string> = {}) {
  const state: { db?: TestDatabase; server?: TestServer } = {};
  beforeAll(async () => {
    state.db = await createTestDatabase();
    state.server = await startServer(state.db, env);
  });
  afterAll(async () => {
    await state.server?.close();
    await state.db?.drop();
  });
  return state;
}

describe('streams end with their session', () => {
  const state = serverForThisBlock();
  const server = {
    get url() {
      return state.server!.url;
    },
  };

  test.each(transports.map((t) => [t.name, t] as const))('%s: log-out', async (_name, transport) => {
    const [p, q] = [await signUp(server, 'p'), await signUp(server, 'q')];
    const stream = await openLive(transport, server, p, p.token, q);
    try {
      expect((await ok(server, `mutation { logOut }`, {}, p.token)).logOut).toBe(true);
      expectEnded(transport, await within(5_000, transport.name, stream.ended));
    } finally {
      stream.dispose();
    }
  });

  test.each(transports.map((t) => [t.name, t] as const))(
    '%s: log-out everywhere, from another session',
    async (_name, transport) => {
      const [p, q] = [await signUp(server, 'p'), await signUp(server, 'q')];
      const other = (await ok(server, LOG_IN, { u: p.username, p: 'correct horse' })).logIn.token as string;
      const stream = await openLive(transport, server, p, p.token, q);
      try {
        expect((await ok(server, `mutation { logOutEverywhere }`, {}, other)).logOutEverywhere).toBe(2);
        expectEnded(transport, await within(5_000, transport.name, stream.ended));
      } finally {
        stream.dispose();
      }
    },
  );

  test('a graphql-sse stream reservation ends with the session that reserved it, its operations with theirs', async () => {
    const p = await signUp(server, 'p');
    const url = `${server.url}/graphql/stream`;
    const authorization = `Bearer ${p.token}`;
    const reserved = await fetch(url, { method: 'PUT', headers: { authorization } });
    expect(reserved.status).toBe(201);
    const token = await reserved.text();
    const opened = await fetch(url, {
      headers: { authorization, accept: 'text/event-stream', 'x-graphql-event-stream-token': token },
    });
    expect(opened.status).toBe(200);
    const streamEnded = readEvents(opened.body!, () => false);
    await ok(server, `mutation { logOut }`, {}, p.token);
    expect(await within(5_000, 'the reserved stream', streamEnded)).toBe(false);
    // The reservation is gone: a new session of the same user cannot send to it.
    const again = (await ok(server, LOG_IN, { u: p.username, p: 'correct horse' })).logIn.token as string;
    const sent = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${again}`,
        'content-type': 'application/json',
        'x-graphql-event-stream-token': token,
      },
      body: JSON.stringify({ query: ADDED, extensions: { operationId: 'a' } }),
    });
    expect(sent.status).toBe(404);
  });

  test('a stream on another session of the same user goes on', async () => {
    const [p, q] = [await signUp(server, 'p'), await signUp(server, 'q')];
    const other = (await ok(server, LOG_IN, { u: p.username, p: 'correct horse' })).logIn.token as string;
    const streams = await Promise.all(transports.map((t) => openLive(t, server, p, other, q)));
    try {
      await ok(server, `mutation { logOut }`, {}, p.token);
      await sleep(400);
      const before = streams.map((s) => s.events.length);
      await ok(server, SEND, { to: p.id, text: 'still here' }, q.token);
      await sleep(500);
      expect(streams.map((s, i) => s.events.length > before[i])).toEqual(transports.map(() => true));
    } finally {
      streams.forEach((s) => s.dispose());
    }
  });
});

describe('streams end when their token expires', () => {
  // Long enough for two sign-ups (argon2) and a live stream on a loaded machine, short enough to wait out.
  const state = serverForThisBlock({ JWT_TTL: '8s' });
  const server = {
    get url() {
      return state.server!.url;
    },
  };

  test.each(transports.map((t) => [t.name, t] as const))('%s', async (_name, transport) => {
    const p = await signUp(server, 'p');
    const q = await signUp(server, 'q'); // the sender's token outlives the subscriber's
    const stream = await openLive(transport, server, p, p.token, q);
    try {
      expectEnded(transport, await within(12_000, transport.name, stream.ended));
      expect((await gql(server, `{ me { id } }`, {}, p.token)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    } finally {
      stream.dispose();
    }
  });
});

describeWith(['TEST_DATABASE_URL'], 'streams end when their user is deleted (PostgreSQL)', () => {
  const state = serverForThisBlock();
  const server = {
    get url() {
      return state.server!.url;
    },
  };

  test.each(transports.map((t) => [t.name, t] as const))('%s', async (_name, transport) => {
    const [p, q] = [await signUp(server, 'p'), await signUp(server, 'q')];
    const stream = await openLive(transport, server, p, p.token, q);
    try {
      const client = new pg.Client({ connectionString: state.db!.databaseUrl });
      await client.connect();
      await client.query('DELETE FROM "User" WHERE "id" = $1', [p.id]).finally(() => client.end());
      const ending = await within(12_000, transport.name, stream.ended);
      if (transport.name.includes('connection_init')) expect(ending).toEqual({ closeCode: 4403 });
      else expect(ending.code).toBe('UNAUTHENTICATED'); // its own messages may go with the user
    } finally {
      stream.dispose();
    }
  });
});

describeWith(['TEST_DATABASE_URL', 'REDIS_URL'], 'streams end on every instance (PostgreSQL + Redis)', () => {
  let db: TestDatabase;
  let a: ServerProcess, b: ServerProcess;
  beforeAll(async () => {
    db = await createTestDatabase();
    const env = { REDIS_URL: process.env.REDIS_URL! };
    [a, b] = [await spawnServer(db, env), await spawnServer(db, env)];
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await db?.drop();
  });

  test.each(transports.map((t) => [t.name, t] as const))('%s: log-out on the other instance', async (_n, transport) => {
    const [p, q] = [await signUp(a, 'p'), await signUp(a, 'q')];
    const stream = await openLive(transport, b, p, p.token, q);
    try {
      await ok(a, `mutation { logOut }`, {}, p.token);
      expectEnded(transport, await within(5_000, transport.name, stream.ended));
    } finally {
      stream.dispose();
    }
  });
});
