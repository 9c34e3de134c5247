// An instance at its connection limit sheds new WebSockets with 1013 (Try Again Later), which graphql-ws clients
// retry with backoff (behind a balancer: on another instance), rather than refusing connections outright.
import WebSocket from 'ws';
import { useTestServer } from './support/suite.ts';
import type { TestServer } from './support/server.ts';

const MAX_CONNECTIONS = 20; // sockets shed above 19 (95%)

let server: TestServer;
useTestServer(
  (s) => {
    server = s.server;
  },
  { env: { MAX_CONNECTIONS: String(MAX_CONNECTIONS) } },
);

const open = () =>
  new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(server.url.replace(/^http/, 'ws') + '/graphql', 'graphql-transport-ws');
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
const closeCode = (ws: WebSocket, ms = 1_000) =>
  new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    ws.once('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });

test('a WebSocket over 95% of MAX_CONNECTIONS is closed with 1013; one fits again once another left', async () => {
  const sockets: WebSocket[] = [];
  try {
    for (let i = 0; i < 19; i++) sockets.push(await open());
    const over = await open();
    expect(await closeCode(over)).toBe(1013);
    // The 19 are kept.
    expect(sockets.every((s) => s.readyState === WebSocket.OPEN)).toBe(true);
    const leaving = sockets.pop()!;
    leaving.close();
    await closeCode(leaving);
    await new Promise((r) => setTimeout(r, 100));
    const again = await open();
    sockets.push(again);
    expect(await closeCode(again, 500)).toBeNull(); // still open
  } finally {
    for (const s of sockets) s.terminate();
  }
});
