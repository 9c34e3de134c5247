// Graceful stop of the HTTP server (SIGTERM): take no new connections, answer every request clients have already
// sent, then close. See docs/operations.md.
import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';

export type DrainOptions = {
  /** Listening has stopped: from here no connection reaches this server (WebSocket clients told to reconnect
   * now go elsewhere). */
  onStopListening?(): void;
  /** The requests already sent have been read; idle connections close next (SSE streams end here). */
  onRequestsRead?(): void;
  /** The deadline passed: HTTP connections are being cut off; cut off the rest (WebSockets). */
  onDeadline?(): void;
  /** How long a connection accepted before listening stopped may take to deliver its request (bytes still on
   * the network; those already in socket buffers are read on the next poll, however busy the loop). */
  graceMs?: number;
  /** Whatever is still open this long after the drain began is cut off. */
  timeoutMs?: number;
};

/** Resolves after the event loop has polled for I/O once more (the second setImmediate runs right after a poll). */
const afterNextPoll = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

/**
 * Accepts every connection waiting in the listen backlog, turning the event loop until a turn accepts none.
 *
 * Node accepts one connection per event-loop turn (libuv ≥ 1.45, libuv/libuv#3696). Behind a busy loop — a cold
 * start, a burst, a CPU-starved machine — connections the kernel has completed pile up in the backlog with the
 * requests their clients already sent, and closing the listener resets every one of them (ECONNRESET). While new
 * connections keep arriving this goes on until `until`, leaving the rest of the drain time to answer them.
 */
async function acceptBacklog(server: Server, until: number): Promise<void> {
  let accepted = 0;
  const count = () => void accepted++;
  server.on('connection', count);
  try {
    do {
      accepted = 0;
      await afterNextPoll();
    } while (accepted > 0 && Date.now() < until);
  } finally {
    server.off('connection', count);
  }
}

/**
 * Stops `server` gracefully: accept what is waiting in the backlog and stop listening; give accepted connections
 * `graceMs` to deliver their request and read it; then close connections as they become idle (responses given
 * while draining say `connection: close`, see routes.ts) and resolve once all are closed, or cut them off at
 * `timeoutMs`.
 *
 * Not `http.Server#close`: it would also close at once every idle connection, including those accepted whose
 * request has not been read yet — the client sent it, so it is answered.
 */
export async function drainHttpServer(server: Server, opts: DrainOptions = {}): Promise<void> {
  const { graceMs = 1000, timeoutMs = 10_000 } = opts;
  const deadline = setTimeout(() => {
    server.closeAllConnections();
    opts.onDeadline?.();
  }, timeoutMs);
  try {
    await acceptBacklog(server, Date.now() + timeoutMs / 2);
    const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
    opts.onStopListening?.();
    await new Promise((resolve) => setTimeout(resolve, graceMs));
    await afterNextPoll();
    opts.onRequestsRead?.();
    server.closeIdleConnections();
    const sweeper = setInterval(() => server.closeIdleConnections(), 50);
    try {
      await closed;
    } finally {
      clearInterval(sweeper);
    }
  } finally {
    clearTimeout(deadline);
  }
}
