/**
 * The WebSocket surface graphql-ws's client uses, for tests: it opens on the next tick, records what the client
 * sends, and lets a test (or a subclass playing a server) reply. Subclasses keep their own `instances`.
 */
export type Frame = {
  id?: string;
  type: string;
  payload?: { operationName?: string; query?: string; variables?: Record<string, unknown> } & Record<string, unknown>;
};

export class FakeWebSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;
  readyState = FakeWebSocket.CONNECTING;
  protocol = 'graphql-transport-ws';
  sent: Frame[] = [];
  onopen: ((e: unknown) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;

  constructor(public url: string) {
    setTimeout(() => {
      if (this.readyState !== FakeWebSocket.CONNECTING) return;
      this.readyState = FakeWebSocket.OPEN;
      this.onopen?.({});
    }, 0);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data) as Frame);
  }
  close(code = 1000, reason = '') {
    if (this.readyState === FakeWebSocket.CLOSED) return;
    this.readyState = FakeWebSocket.CLOSED;
    this.onclose?.({ code, reason });
  }
  /** A message from the "server". */
  reply(message: object) {
    if (this.readyState === FakeWebSocket.OPEN) this.onmessage?.({ data: JSON.stringify(message) });
  }
  /** The subscribe frames of operations named `name`. */
  operations(name: string) {
    return this.sent.filter((m) => m.type === 'subscribe' && m.payload?.operationName === name);
  }
}
