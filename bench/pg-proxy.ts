// A TCP proxy between a PostgreSQL client and server that counts database round trips.
//
// It forwards bytes untouched in both directions and parses only the client → server stream (the frontend
// protocol, https://www.postgresql.org/docs/current/protocol-message-formats.html): every extended-protocol
// Sync ('S') and every simple Query ('Q') ends a request the client then waits on, so their sum is the number of
// round trips. Connection start-up (StartupMessage, SSLRequest, CancelRequest: untyped), authentication and
// Terminate are not counted. TLS cannot be parsed: use it with `sslmode=disable` (node-postgres's default).
//
//   const proxy = await startPgProxy({ target: { host: '127.0.0.1', port: 5432 } });
//   // point the client at postgresql://user@127.0.0.1:${proxy.port}/db
//   proxy.reset(); await doSomething(); proxy.roundTrips(); await proxy.close();
import net from 'node:net';

export type PgProxyOptions = {
  target: { host: string; port: number };
  /** Where to listen; default 127.0.0.1 and a free port. */
  listen?: { host?: string; port?: number };
};

export type PgProxyCounts = {
  /** sync + query */
  roundTrips: number;
  sync: number;
  query: number;
  /** Client connections accepted since the last reset. */
  connections: number;
};

export type PgProxy = {
  port: number;
  /** Round trips (Sync + simple Query messages) since start or the last reset(). */
  roundTrips(): number;
  /** The same with its parts. */
  counts(): PgProxyCounts;
  reset(): void;
  /** Stops listening and closes every proxied connection. */
  close(): Promise<void>;
};

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

/** Counts the typed messages of one connection's frontend stream, chunk by chunk. */
class FrontendParser {
  private startup = true; // the first message(s) have no type byte
  private header = Buffer.alloc(8);
  private headerLength = 0;
  private skip = 0; // body bytes of the current message still to pass over
  constructor(private readonly onMessage: (type: number) => void) {}

  feed(chunk: Buffer) {
    let i = 0;
    while (i < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - i);
        this.skip -= n;
        i += n;
        continue;
      }
      const want = this.startup ? 8 : 5;
      const n = Math.min(want - this.headerLength, chunk.length - i);
      chunk.copy(this.header, this.headerLength, i, i + n);
      this.headerLength += n;
      i += n;
      if (this.headerLength < want) return;
      this.headerLength = 0;
      if (this.startup) {
        const length = this.header.readInt32BE(0);
        const code = this.header.readInt32BE(4);
        // After an SSL/GSS request (answered 'N') the real StartupMessage follows, also untyped.
        if (code !== SSL_REQUEST && code !== GSSENC_REQUEST && code !== CANCEL_REQUEST) this.startup = false;
        this.skip = Math.max(0, length - 8);
      } else {
        const type = this.header[0];
        const length = this.header.readInt32BE(1); // includes itself, not the type byte
        this.onMessage(type);
        this.skip = Math.max(0, length - 4);
      }
    }
  }
}

const SYNC = 'S'.charCodeAt(0);
const QUERY = 'Q'.charCodeAt(0);

export async function startPgProxy(options: PgProxyOptions): Promise<PgProxy> {
  let sync = 0;
  let query = 0;
  let connections = 0;
  const sockets = new Set<net.Socket>();

  const server = net.createServer((client) => {
    connections++;
    const upstream = net.connect(options.target.port, options.target.host);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    sockets.add(client);
    sockets.add(upstream);
    const parser = new FrontendParser((type) => {
      if (type === SYNC) sync++;
      else if (type === QUERY) query++;
    });
    client.on('data', (chunk: Buffer) => {
      parser.feed(chunk);
      if (!upstream.write(chunk)) client.pause();
    });
    upstream.on('drain', () => client.resume());
    upstream.on('data', (chunk: Buffer) => {
      if (!client.write(chunk)) upstream.pause();
    });
    client.on('drain', () => upstream.resume());
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listen?.port ?? 0, options.listen?.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    roundTrips: () => sync + query,
    counts: () => ({ roundTrips: sync + query, sync, query, connections }),
    reset: () => {
      sync = 0;
      query = 0;
      connections = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
