// Graceful shutdown: on SIGTERM the server stops accepting, lets in-flight requests finish, closes WebSockets
// with 1012 (which graphql-ws clients treat as "reconnect"), and exits 0.
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { collect, connected, signUp, spawnServer, wsClient } from './support/server.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

test('SIGTERM closes WebSockets with a reconnect code, ends SSE streams and exits cleanly, without waiting out the drain timeout', async () => {
  const server = await spawnServer(db);
  const alice = await signUp(server, 'alice');
  const closes: number[] = [];
  const socket = wsClient(server, alice.token, { on: { closed: (e) => void closes.push((e as { code: number }).code) } });
  collect(socket, `subscription { messageAdded { id } }`);
  await connected(socket);
  // An SSE subscription too: its stream must be ended, not left to the 10 s drain timeout.
  const sse = await fetch(`${server.url}/graphql?query=${encodeURIComponent('subscription { messageAdded { id } }')}`, {
    headers: { accept: 'text/event-stream', authorization: `Bearer ${alice.token}` },
  });
  expect(sse.status).toBe(200);
  const reader = sse.body!.getReader();
  const streamEnded = (async () => {
    for (;;) if ((await reader.read().catch(() => ({ done: true }))).done) return true;
  })();

  const sigtermAt = Date.now();
  const exitCode = await server.kill('SIGTERM');
  expect({ exitCode, log: exitCode === 0 ? '' : server.output() }).toEqual({ exitCode: 0, log: '' });
  await expect(streamEnded).resolves.toBe(true);
  expect(Date.now() - sigtermAt).toBeLessThan(5_000);
  await new Promise((r) => setTimeout(r, 200));
  expect(closes[0]).toBe(1012);
  await socket.dispose();
  await expect(fetch(`${server.url}/health`)).rejects.toThrow();
});
