// A TCP proxy between a parley server and a real PostgreSQL, for tests that count database round trips or
// inject faults. It understands just enough of the PostgreSQL wire protocol (v3):
// - frontend: a startup-phase packet has no type byte (int32 length, int32 code: StartupMessage, SSLRequest,
//   GSSENCRequest, CancelRequest); every later message is a type byte and an int32 length (counting itself);
// - backend: type byte and int32 length (the proxy answers SSL/GSSENC requests with 'N' itself, so the one-byte
//   answers never come from the server).
//
// Features:
// - roundTrips(): client Sync ('S') and simple Query ('Q') messages since reset() — each one is a wait for the
//   server; statements() lists the SQL executed (Query text, or the text a Bind refers to) for debugging;
// - refuseNew(sqlstate, message): new connections get a FATAL ErrorResponse right after their startup packet (as a
//   PostgreSQL that is starting up, recovering or out of connection slots answers), then are closed; acceptNew();
// - killAll(): destroys every current connection (both sides);
// - dropReplyOnce(match): the next write matching `match` is forwarded and executed, and the reply to the statement
//   that commits it (the statement itself in autocommit, or the COMMIT of its transaction) is withheld: the client
//   connection is cut once PostgreSQL has answered ReadyForQuery, idle — "the reply to the commit was lost".
import net from 'node:net';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

export type DropResult = { sql: string; tag: string };

export type PgProxy = {
  port: number;
  /** `databaseUrl` with its host and port replaced by the proxy's. */
  urlFor(databaseUrl: string): string;
  roundTrips(): number;
  /** Executed SQL since reset() (Query texts, and the statement each Bind executes), oldest first. */
  statements(): string[];
  /** Connections opened to PostgreSQL since reset() (each one costs several round trips of its own). */
  connectionsOpened(): number;
  /** Connections refused (refuseNew) since reset(). */
  refusals(): number;
  reset(): void;
  refuseNew(sqlstate?: string, message?: string): void;
  acceptNew(): void;
  /** Destroys every current connection; resolves once all of them are closed. */
  killAll(): Promise<void>;
  /** Current client connections. */
  openConnections(): number;
  /** Arms a one-time lost reply (see above); resolves with the withheld statement once it happened. */
  dropReplyOnce(match: RegExp): Promise<DropResult>;
  close(): Promise<void>;
};

type Pending = { match: RegExp; resolve: (r: DropResult) => void; claimedBy: Conn | null };

type Conn = {
  client: net.Socket;
  server: net.Socket | null;
  /** Prepared statement name → SQL text (the unnamed one is ''). */
  prepared: Map<string, string>;
  /** This connection runs the armed drop's write: replies are held back per cycle until ReadyForQuery. */
  watching: Pending | null;
  holding: Buffer[] | null;
  /** SQL of the statements of the held cycle. */
  cycleSql: string[];
};

export async function startPgProxy(targetUrl: string): Promise<PgProxy> {
  const target = new URL(targetUrl);
  const targetHost = target.hostname || '127.0.0.1';
  const targetPort = Number(target.port || 5432);

  const conns = new Set<Conn>();
  let roundTrips = 0;
  let opened = 0;
  let refused = 0;
  let statements: string[] = [];
  let refusal: { sqlstate: string; message: string } | null = null;
  let pending: Pending | null = null;

  const errorResponse = (sqlstate: string, message: string) => {
    const fields = Buffer.concat([
      field('S', 'FATAL'),
      field('V', 'FATAL'),
      field('C', sqlstate),
      field('M', message),
      Buffer.from([0]),
    ]);
    const header = Buffer.alloc(5);
    header.write('E', 0, 'latin1');
    header.writeInt32BE(4 + fields.length, 1);
    return Buffer.concat([header, fields]);
  };

  const destroy = (conn: Conn) => {
    conn.client.destroy();
    conn.server?.destroy();
    conns.delete(conn);
    if (pending && pending.claimedBy === conn) pending.claimedBy = null; // not dropped: re-arm for the next match
  };

  const record = (conn: Conn, sql: string | undefined) => {
    if (sql === undefined) return;
    if (statements.length < 5000) statements.push(sql);
    if (conn.watching) conn.cycleSql.push(sql);
    if (pending && !pending.claimedBy && pending.match.test(sql)) {
      pending.claimedBy = conn;
      conn.watching = pending;
      conn.cycleSql.push(sql);
    }
  };

  /** Client → server: typed messages after the startup packet. */
  const onClientMessage = (conn: Conn, type: string, body: Buffer) => {
    if (conn.watching && !conn.holding) conn.holding = [];
    switch (type) {
      case 'Q':
        roundTrips++;
        record(conn, cstring(body, 0).value);
        break;
      case 'S':
        roundTrips++;
        break;
      case 'P': {
        const name = cstring(body, 0);
        conn.prepared.set(name.value, cstring(body, name.next).value);
        break;
      }
      case 'B': {
        const portal = cstring(body, 0);
        const statement = cstring(body, portal.next).value;
        record(conn, conn.prepared.get(statement) ?? `<unknown prepared statement ${statement}>`);
        break;
      }
      case 'C': // Close: statement ('S') or portal ('P')
        if (body[0] === 0x53) conn.prepared.delete(cstring(body, 1).value);
        break;
    }
    if (conn.watching && !conn.holding) conn.holding = []; // the write was claimed by this very message
  };

  /** Server → client: forwarded at once, or held back (per cycle, until ReadyForQuery) on a watched connection. */
  const onServerMessage = (conn: Conn, type: string, message: Buffer): void => {
    if (!conn.holding) {
      conn.client.write(message);
      return;
    }
    conn.holding.push(message);
    if (type !== 'Z') return;
    const status = String.fromCharCode(message[5]);
    const held = conn.holding;
    conn.holding = null;
    const tags = held.filter((m) => m[0] === 0x43).map((m) => cstring(m, 5).value); // CommandComplete
    const failed = held.some((m) => m[0] === 0x45); // ErrorResponse
    const watching = conn.watching!;
    const sql = conn.cycleSql.join('; ');
    conn.cycleSql = [];
    if (status === 'I' && !failed && tags.length && !tags.includes('ROLLBACK')) {
      // Committed: the client never hears of it.
      conn.watching = null;
      if (pending === watching) pending = null;
      conn.client.destroy();
      conn.server?.end();
      conns.delete(conn);
      watching.resolve({ sql, tag: tags.at(-1)! });
      return;
    }
    for (const m of held) conn.client.write(m);
    if (status === 'I') {
      // Rolled back or failed: nothing was committed; the next matching write gets the drop.
      conn.watching = null;
      watching.claimedBy = null;
    }
  };

  const serverSocket = net.createServer((client) => {
    client.setNoDelay(true);
    const conn: Conn = { client, server: null, prepared: new Map(), watching: null, holding: null, cycleSql: [] };
    conns.add(conn);
    let startup = true;
    let buffered = Buffer.alloc(0);
    client.on('error', () => destroy(conn));
    client.on('close', () => destroy(conn));

    const connectUpstream = () => {
      opened++;
      const server = net.connect({ host: targetHost, port: targetPort });
      server.setNoDelay(true);
      conn.server = server;
      let fromServer = Buffer.alloc(0);
      server.on('data', (chunk) => {
        fromServer = fromServer.length ? Buffer.concat([fromServer, chunk]) : chunk;
        let offset = 0;
        while (fromServer.length - offset >= 5) {
          const length = fromServer.readInt32BE(offset + 1);
          if (fromServer.length - offset < 1 + length) break;
          const message = fromServer.subarray(offset, offset + 1 + length);
          onServerMessage(conn, String.fromCharCode(fromServer[offset]), message);
          offset += 1 + length;
          if (!conns.has(conn)) return;
        }
        fromServer = fromServer.subarray(offset);
      });
      server.on('error', () => destroy(conn));
      server.on('close', () => destroy(conn));
    };

    client.on('data', (chunk) => {
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      let offset = 0;
      const forward: Buffer[] = [];
      while (conns.has(conn)) {
        if (startup) {
          if (buffered.length - offset < 8) break;
          const length = buffered.readInt32BE(offset);
          if (buffered.length - offset < length) break;
          const packet = buffered.subarray(offset, offset + length);
          const code = packet.readInt32BE(4);
          offset += length;
          if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
            client.write('N');
            continue;
          }
          if (code === CANCEL_REQUEST) {
            connectUpstream();
            conn.server!.end(packet);
            startup = false;
            break;
          }
          if (refusal) {
            refused++;
            client.end(errorResponse(refusal.sqlstate, refusal.message));
            conns.delete(conn);
            return;
          }
          connectUpstream();
          forward.push(packet);
          startup = false;
          continue;
        }
        if (buffered.length - offset < 5) break;
        const length = buffered.readInt32BE(offset + 1);
        if (buffered.length - offset < 1 + length) break;
        const message = buffered.subarray(offset, offset + 1 + length);
        onClientMessage(conn, String.fromCharCode(buffered[offset]), message.subarray(5));
        forward.push(message);
        offset += 1 + length;
      }
      buffered = buffered.subarray(offset);
      if (forward.length && conn.server && !conn.server.destroyed) conn.server.write(Buffer.concat(forward));
    });
  });

  await new Promise<void>((resolve, reject) => {
    serverSocket.once('error', reject);
    serverSocket.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (serverSocket.address() as net.AddressInfo).port;

  const closeAll = async () => {
    const closing = [...conns].map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.client.destroyed) return resolve();
          c.client.once('close', () => resolve());
        }),
    );
    for (const c of [...conns]) destroy(c);
    await Promise.all(closing);
  };

  return {
    port,
    urlFor(databaseUrl) {
      const url = new URL(databaseUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    roundTrips: () => roundTrips,
    statements: () => [...statements],
    connectionsOpened: () => opened,
    refusals: () => refused,
    reset() {
      roundTrips = 0;
      opened = 0;
      refused = 0;
      statements = [];
    },
    refuseNew(sqlstate = '57P03', message = 'the database system is not yet accepting connections') {
      refusal = { sqlstate, message };
    },
    acceptNew() {
      refusal = null;
    },
    killAll: closeAll,
    openConnections: () => conns.size,
    dropReplyOnce(match) {
      return new Promise<DropResult>((resolve) => {
        pending = { match, resolve, claimedBy: null };
      });
    },
    async close() {
      refusal = { sqlstate: '57P01', message: 'terminating connection due to administrator command' };
      await new Promise<void>((resolve) => {
        serverSocket.close(() => resolve());
        void closeAll();
      });
    },
  };
}

function field(code: string, value: string): Buffer {
  return Buffer.concat([Buffer.from(code, 'latin1'), Buffer.from(value, 'utf8'), Buffer.from([0])]);
}

function cstring(buf: Buffer, start: number): { value: string; next: number } {
  const end = buf.indexOf(0, start);
  const stop = end === -1 ? buf.length : end;
  return { value: buf.toString('utf8', start, stop), next: stop + 1 };
}
