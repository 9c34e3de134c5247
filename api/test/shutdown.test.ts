// Graceful shutdown: on SIGTERM the server stops accepting, closes WebSockets with 1012 (which graphql-ws
// clients treat as "reconnect"), and exits 0.
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { signUp, spawnServer, wsClient, collect, connected } from './support/server.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

test('SIGTERM closes sockets with a reconnect code and exits cleanly', async () => {
  const server = await spawnServer(db);
  const alice = await signUp(server, 'alice');
  const closes: number[] = [];
  const socket = wsClient(server, alice.token, { on: { closed: (e) => void closes.push((e as { code: number }).code) } });
  collect(socket, `subscription { messageAdded { id } }`);
  await connected(socket);
  const exitCode = await server.kill('SIGTERM');
  expect({ exitCode, log: exitCode === 0 ? '' : server.output() }).toEqual({ exitCode: 0, log: '' });
  await new Promise((r) => setTimeout(r, 200));
  expect(closes[0]).toBe(1012);
  await socket.dispose();
  await expect(fetch(`${server.url}/health`)).rejects.toThrow();
});
