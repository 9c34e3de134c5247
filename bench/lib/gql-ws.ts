// A minimal graphql-ws (graphql-transport-ws) client: one socket, many subscriptions, no reconnects, low overhead,
// so a load generator can hold a thousand of them.
import WebSocket from 'ws';

type Handlers = {
  next: (data: any) => void;
  error?: (errors: unknown) => void;
  complete?: () => void;
};

export class GqlWs {
  private readonly subs = new Map<string, Handlers>();
  private nextId = 1;
  closed = false;
  closeCode?: number;
  private closing = false;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (raw) => this.onMessage(raw.toString()));
    ws.on('close', (code) => {
      this.closed = true;
      this.closeCode = code;
      if (!this.closing) for (const h of this.subs.values()) h.error?.(new Error(`socket closed (${code})`));
      this.subs.clear();
    });
    ws.on('error', () => {});
  }

  /** Opens a socket and waits for connection_ack. */
  static connect(baseUrl: string, token: string | undefined, timeoutMs = 10_000): Promise<GqlWs> {
    const url = new URL('/graphql', baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error('graphql-ws: no connection_ack in time'));
      }, timeoutMs);
      const fail = (err: Error) => {
        clearTimeout(timer);
        reject(err);
      };
      ws.once('error', fail);
      ws.once('close', (code) => fail(new Error(`graphql-ws: closed (${code}) before connection_ack`)));
      ws.once('open', () => {
        ws.send(
          JSON.stringify({ type: 'connection_init', payload: token ? { authorization: `Bearer ${token}` } : {} }),
        );
      });
      const onAck = (raw: WebSocket.RawData) => {
        const msg = JSON.parse(raw.toString());
        if (msg.type === 'connection_ack') {
          clearTimeout(timer);
          ws.off('message', onAck);
          ws.removeAllListeners('close');
          ws.off('error', fail);
          resolve(new GqlWs(ws));
        }
      };
      ws.on('message', onAck);
    });
  }

  private onMessage(text: string) {
    const msg = JSON.parse(text);
    if (msg.type === 'ping') return this.ws.send(JSON.stringify({ type: 'pong' }));
    const h = msg.id ? this.subs.get(msg.id) : undefined;
    if (!h) return;
    if (msg.type === 'next') {
      if (msg.payload?.errors?.length) h.error?.(msg.payload.errors);
      else h.next(msg.payload?.data);
    } else if (msg.type === 'error') {
      this.subs.delete(msg.id);
      h.error?.(msg.payload);
    } else if (msg.type === 'complete') {
      this.subs.delete(msg.id);
      h.complete?.();
    }
  }

  subscribe(query: string, variables: Record<string, unknown>, handlers: Handlers): string {
    const id = String(this.nextId++);
    this.subs.set(id, handlers);
    this.ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
    return id;
  }

  complete(id: string) {
    if (!this.subs.delete(id) || this.closed) return;
    this.ws.send(JSON.stringify({ id, type: 'complete' }));
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closing = true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, 2_000);
      this.ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.ws.close(1000);
    });
  }
}
