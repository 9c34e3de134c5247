// graphql-ws frames before graphql-ws reads them, and the keep-alive. What graphql-ws's hooks cannot reach is done on
// ws's socket class (ServerSocket), each case named by a test in test/ws-frames.test.ts:
// - a frame ws refuses (over WS_MAX_PAYLOAD: 1009; invalid UTF-8: 1007; a bad opcode or an unmasked frame: 1002) is a
//   client's mistake: ws closes the socket with its code, and it is logged at debug, without a stack (graphql-ws
//   would log every one as an "Internal error" with its stack, a cheap log flood);
// - a message type only servers send (connection_ack, next) closes the socket with 4400 before graphql-ws sees it
//   (it would answer 4500 and print a stack);
// - a subscribe naming a trusted document by id without any `query` (Apollo Kotlin, Apollo iOS) gets an empty one, so
//   graphql-ws passes it to onSubscribe (ws-operations.ts), which resolves the id;
// - frames reach graphql-ws as text, which it keeps for as long as a subscription they start runs (not the frame's
//   Buffer as well);
// - a pong is noted for the keep-alive: one timer pings every socket (graphql-ws's own keep-alive is two timers and a
//   closure per socket).
import { CloseCode } from 'graphql-ws';
import { WebSocket, type WebSocketServer } from 'ws';
import type { Logger } from '../logger.ts';

/** Every socket is pinged this often; one that has left MAX_UNANSWERED_PINGS pings in a row unanswered is dropped. */
const KEEP_ALIVE_MS = 12_000;
/**
 * A busy browser tab answers pings late: while its page's script runs (thousands of messages arriving at once), the
 * browser stops reading the socket, pings included. Three in a row (~36 s) tell a dead peer from a busy one.
 */
const MAX_UNANSWERED_PINGS = 3;

export type ServerSocket = WebSocket & { unansweredPings: number };

/** ws's socket class for a server whose protocol errors are logged to `log` (at debug). */
export function serverSocketClass(log: Logger): typeof WebSocket {
  return class extends WebSocket implements ServerSocket {
    unansweredPings = 0;

    override emit(event: string | symbol, ...args: unknown[]): boolean {
      if (event === 'pong') this.unansweredPings = 0;
      if (event === 'error' && isProtocolError(args[0])) {
        log.debug({ code: args[0].code }, 'graphql-ws frame refused');
        return true; // ws has already closed the socket with the code for it
      }
      if (event !== 'message') return super.emit(event, ...args);
      const text = textOf(args[0]);
      if (isServerOnlyMessage(text)) {
        this.close(CloseCode.BadRequest, 'Invalid message received');
        return true;
      }
      return super.emit(event, withQueryForId(text), args[1]);
    }
  };
}

/** Pings every socket of `server` on one timer; returns the stop. */
export function keepAlive(server: WebSocketServer): () => void {
  const heartbeat = setInterval(() => {
    for (const socket of server.clients as Set<ServerSocket>) {
      if (socket.readyState !== socket.OPEN) continue;
      if (socket.unansweredPings >= MAX_UNANSWERED_PINGS) {
        socket.terminate();
        continue;
      }
      socket.unansweredPings++;
      socket.ping();
    }
  }, KEEP_ALIVE_MS).unref();
  return () => clearInterval(heartbeat);
}

/** An error ws raises for a frame it refuses (WS_ERR_UNSUPPORTED_MESSAGE_LENGTH, WS_ERR_INVALID_UTF8, …). */
function isProtocolError(err: unknown): err is Error & { code: string } {
  const code = (err as { code?: unknown } | null)?.code;
  return err instanceof Error && typeof code === 'string' && code.startsWith('WS_ERR_');
}

const SERVER_ONLY = /"type"\s*:\s*"(connection_ack|next)"/;

/** A frame's text (ws gives a Buffer, or an array of Buffers for a fragmented message). */
function textOf(data: unknown): string {
  if (typeof data === 'string') return data;
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

/**
 * A subscribe message that names a trusted document by id and has no `query` at all (Apollo Kotlin and Apollo iOS
 * leave it out) gets an empty one: graphql-ws would otherwise refuse the message and close the socket (4400) before
 * onSubscribe could resolve the id (trusted-documents.ts).
 */
function withQueryForId(text: string): string {
  if (!text.includes('"persistedQuery"')) return text;
  try {
    const message = JSON.parse(text) as { type?: unknown; payload?: Record<string, unknown> };
    if (message.type !== 'subscribe' || !message.payload || 'query' in message.payload) return text;
    if (typeof message.payload.extensions !== 'object' || message.payload.extensions === null) return text;
    return JSON.stringify({ ...message, payload: { ...message.payload, query: '' } });
  } catch {
    return text; // graphql-ws answers malformed JSON itself
  }
}

function isServerOnlyMessage(text: string): boolean {
  if (!SERVER_ONLY.test(text)) return false;
  try {
    const type = (JSON.parse(text) as { type?: unknown }).type;
    return type === 'connection_ack' || type === 'next';
  } catch {
    return false;
  }
}
