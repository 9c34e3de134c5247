// Security: graphql-ws frames a client gets wrong. Each case here is one that needs http/ws-frames.ts's override of
// ws's socket (graphql-ws has no hook before it reads a frame): frames ws refuses are closed with their code and are
// no error in the log (a client's mistake, not the server's: before, each logged "Internal error emitted on a
// WebSocket socket" with a stack, a cheap log flood), message types only servers send are closed with 4400, a
// subscribe naming a trusted document by id without any `query` reaches onSubscribe.
import WebSocket from 'ws';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { spawnServer, type ServerProcess } from './support/server.ts';

let db: TestDatabase;
let server: ServerProcess;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await spawnServer(db, { WS_MAX_PAYLOAD: '4096', LOG_LEVEL: 'info' });
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

/** An open graphql-transport-ws socket, not yet initialised. */
async function rawSocket(): Promise<WebSocket> {
  const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => {}); // a refused frame may reset the connection: the close code is what is checked
  return socket;
}

const closeOf = (socket: WebSocket) => new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));

/** A masked client frame with this first byte (FIN and opcode) and payload, written past ws's checks. */
function rawFrame(first: number, payload: Buffer): Buffer {
  const mask = Buffer.from([1, 2, 3, 4]);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]));
  return Buffer.concat([Buffer.from([first, 0x80 | payload.length]), mask, masked]);
}

/** The log lines (pino JSON) printed since `from`, and whether any is at error level or carries a stack. */
function logSince(from: number) {
  const text = server.output().slice(from);
  return {
    text,
    errors: text.split('\n').filter((line) => /"level":(50|60)/.test(line) || /Internal error|\n\s+at /.test(line)),
  };
}

describe('frames ws refuses close the socket with their code, logged at most at debug', () => {
  test.each([
    [
      'a frame over WS_MAX_PAYLOAD, before connection_init',
      1009,
      (s: WebSocket) => s.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(10_000) } })),
    ],
    [
      'a text frame that is not UTF-8',
      1007,
      (s: WebSocket) => s.send(Buffer.from([0xc3, 0x28, 0xff]), { binary: false }),
    ],
    [
      'a frame with a reserved opcode',
      1002,
      (s: WebSocket) =>
        (s as unknown as { _socket: { write(b: Buffer): void } })._socket.write(rawFrame(0x83, Buffer.from('x'))),
    ],
  ])('%s: %d', async (_case, code, send) => {
    const from = server.output().length;
    for (let i = 0; i < 3; i++) {
      const socket = await rawSocket();
      const closed = closeOf(socket);
      send(socket);
      expect(await closed).toBe(code);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    const log = logSince(from);
    expect(log.errors).toEqual([]);
    expect(log.text).not.toMatch(/RangeError|Max payload|Internal error/);
  });
});

test('a message type only servers send (next, connection_ack) closes the socket with 4400, with no error logged', async () => {
  const from = server.output().length;
  for (const type of ['next', 'connection_ack']) {
    const socket = await rawSocket();
    const closed = closeOf(socket);
    socket.send(JSON.stringify({ type, id: '1', payload: {} }));
    expect(await closed).toBe(4400);
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(logSince(from).errors).toEqual([]);
});

test('a subscribe naming a document by id without any query is answered (not closed with 4400)', async () => {
  const socket = await rawSocket();
  const answer = await new Promise<{ type: string; payload?: unknown } | { closed: number }>((resolve) => {
    socket.once('close', (code) => resolve({ closed: code }));
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { type: string; payload?: unknown };
      if (message.type === 'connection_ack') {
        const extensions = { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } };
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { extensions } }));
      } else resolve(message);
    });
    socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
  });
  socket.close();
  expect(answer).toMatchObject({
    type: 'error',
    payload: [{ extensions: { code: expect.stringMatching(/^[A-Z_]+$/) } }],
  });
});
