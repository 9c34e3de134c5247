// One load-generator process of `npm run bench -- --capacity` (forked by capacity/ramp.ts; several run at once so
// the client side is not one event loop on a 2-core machine). It holds the sockets of its own pairs of users —
// both users of a pair live here, so the sender's clock times the recipient's delivery — and, once started, keeps
// Centrifugo's load on them until told to stop:
// - two subscriptions per socket: messageAdded(withUserId: partner, after: the last cursor held) and
//   conversationUpdated;
// - each socket sends one ~100-byte message a minute to its partner over HTTP (open loop: latency is counted from
//   when the send was due, so a server falling behind shows as latency);
// - churn: sockets are closed and reopened at random (`churnPerSocketPerSec`); a reopened socket resubscribes after
//   its last cursor, so nothing sent meanwhile is lost. A socket the server closes is reopened the same way.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { createGqlHttpClient, firstError, type GqlHttpClient } from '../lib/gql-http.ts';
import { GqlWs } from '../lib/gql-ws.ts';
import { summarize } from '../lib/stats.ts';

export type PairSpec = { a: { id: string; token: string }; b: { id: string; token: string } };
export type WorkerStats = {
  sockets: number;
  connected: number;
  connects: number;
  connectFailures: number;
  firstConnectError?: string;
  connectMs: { p50: number; p99: number };
  churned: number;
  serverCloses: Record<string, number>;
  due: number;
  notSent: number;
  acked: number;
  sendErrors: number;
  firstSendError?: string;
  delivered: number;
  echoes: number;
  duplicates: number;
  delivery: number[];
  updates: number;
  loopDelayP99Ms: number;
  pending: number;
  /** sent (acknowledged or not yet) more than 5 s ago and not delivered */
  overdue: number;
};

const ADDED = `subscription CapAdded($with: ID, $after: String) { messageAdded(withUserId: $with, after: $after) { id cursor content } }`;
const UPDATED = `subscription CapUpdated { conversationUpdated { id unreadCount } }`;
const SEND = `mutation CapSend($to: ID!, $text: String!, $cid: String) { sendMessage(recipientId: $to, content: $text, clientMessageId: $cid) { id } }`;
const PAD = 'x'.repeat(100);
const MAX_IN_FLIGHT = 256;

type Sock = {
  user: { id: string; token: string };
  partner: Sock;
  ws: GqlWs | null;
  cursor: string | undefined;
  /** seq numbers (in content) received from the partner, and sent to the partner and not yet received */
  received: Set<number>;
  expecting: Map<number, number>;
  nextSeq: number;
  nextSendAt: number;
  reconnecting: boolean;
};

let url = '';
let http: GqlHttpClient;
const socks: Sock[] = [];
let running = false;
let churnPerSocketPerSec = 0;
let periodMs = 60_000;
let inFlight = 0;
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

let s = fresh();
function fresh() {
  return {
    connects: 0,
    connectFailures: 0,
    firstConnectError: undefined as string | undefined,
    connectMs: [] as number[],
    churned: 0,
    serverCloses: {} as Record<string, number>,
    due: 0,
    notSent: 0,
    acked: 0,
    sendErrors: 0,
    firstSendError: undefined as string | undefined,
    delivered: 0,
    echoes: 0,
    duplicates: 0,
    delivery: [] as number[],
    updates: 0,
  };
}

async function open(k: Sock): Promise<void> {
  const began = performance.now();
  for (let attempt = 0; ; attempt++) {
    try {
      const ws = await GqlWs.connect(url, k.user.token, 15_000);
      s.connects++;
      s.connectMs.push(performance.now() - began);
      k.ws = ws;
      // The subscription ended (the socket closed, or an error): the socket is dropped and reopened.
      const lost = (why: unknown) => {
        if (k.ws !== ws) return;
        const key = ws.closed ? `close ${ws.closeCode}` : `error ${JSON.stringify(why).slice(0, 120)}`;
        s.serverCloses[key] = (s.serverCloses[key] ?? 0) + 1;
        k.ws = null;
        void ws.close();
        if (running) void reopen(k, attempt + 1); // otherwise when the load starts
      };
      ws.subscribe(
        ADDED,
        { with: k.partner.user.id, after: k.cursor },
        {
          next: (data) => onMessage(k, data.messageAdded),
          error: (e) => lost(e),
          complete: () => lost('complete'),
        },
      );
      ws.subscribe(UPDATED, {}, { next: () => void s.updates++, error: () => {}, complete: () => {} });
      return;
    } catch (err) {
      s.connectFailures++;
      s.firstConnectError ??= (err as Error).message;
      if (attempt >= 5) throw new Error('could not connect');
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(5_000, 250 * 2 ** attempt)));
    }
  }
}

async function reopen(k: Sock, attempt = 0) {
  if (k.reconnecting) return;
  k.reconnecting = true;
  await new Promise((r) => setTimeout(r, Math.random() * Math.min(2_000, 100 * 2 ** attempt)));
  try {
    if (running) await open(k);
  } catch {
    /* counted as connect failures; tried again on the next churn tick */
  } finally {
    k.reconnecting = false;
  }
}

function onMessage(k: Sock, m: { id: string; cursor: string; content: string }) {
  k.cursor = m.cursor;
  const [seqText, from] = m.content.split(' ', 2);
  if (from === k.user.id.slice(0, 8)) return void s.echoes++; // messageAdded also delivers your own messages
  const seq = Number(seqText);
  const due = k.partner.expecting.get(seq);
  if (k.received.has(seq)) return void s.duplicates++;
  k.received.add(seq);
  if (due === undefined) return; // sent before a stats reset or by someone else: not timed
  k.partner.expecting.delete(seq);
  s.delivered++;
  s.delivery.push(performance.now() - due);
}

async function send(k: Sock, due: number) {
  const seq = k.nextSeq++;
  const text = `${seq} ${k.user.id.slice(0, 8)} ${PAD}`.slice(0, 100);
  k.expecting.set(seq, due);
  inFlight++;
  try {
    const r = await http.request(SEND, { to: k.partner.user.id, text, cid: randomUUID() }, k.user.token);
    const err = firstError(r);
    if (err) throw new Error(err);
    s.acked++;
  } catch (err) {
    s.sendErrors++;
    s.firstSendError ??= (err as Error).message;
    k.expecting.delete(seq);
  } finally {
    inFlight--;
  }
}

/** Every 50 ms: sends that are due (spread over the minute at random), churn. */
function tick() {
  if (!running) return;
  const now = performance.now();
  for (const k of socks) {
    if (k.nextSendAt > now) continue;
    const due = k.nextSendAt;
    k.nextSendAt += periodMs;
    s.due++;
    if (inFlight >= MAX_IN_FLIGHT) s.notSent++;
    else void send(k, due);
  }
  const churn = socks.length * churnPerSocketPerSec * 0.05;
  for (let n = Math.floor(churn) + (Math.random() < churn % 1 ? 1 : 0); n > 0; n--) {
    const k = socks[Math.floor(Math.random() * socks.length)];
    if (!k.ws || k.reconnecting || !k.cursor) continue; // without a cursor a reconnect could not catch up
    const ws = k.ws;
    k.ws = null;
    s.churned++;
    void ws.close().then(() => reopen(k));
  }
  setTimeout(tick, 50);
}

function overdue(ms: number) {
  const before = performance.now() - ms;
  let n = 0;
  for (const k of socks) for (const due of k.expecting.values()) if (due < before) n++;
  return n;
}

function stats(reset: boolean): WorkerStats {
  const c = summarize(s.connectMs);
  const out: WorkerStats = {
    ...s,
    sockets: socks.length,
    connected: socks.filter((k) => k.ws && !k.ws.closed).length,
    connectMs: { p50: c.p50, p99: c.p99 },
    loopDelayP99Ms: loop.percentile(99) / 1e6,
    pending: socks.reduce((n, k) => n + k.expecting.size, 0),
    overdue: overdue(5_000),
  };
  if (reset) {
    s = fresh();
    loop.reset();
  }
  return out;
}

/** Opens sockets for new pairs, `concurrency` connections at a time. */
async function grow(pairs: PairSpec[], concurrency: number) {
  const added: Sock[] = [];
  for (const p of pairs) {
    const mk = (user: PairSpec['a']) =>
      ({ user, ws: null, cursor: undefined, received: new Set(), expecting: new Map(), nextSeq: 1 }) as any as Sock;
    const a = mk(p.a),
      b = mk(p.b);
    a.partner = b;
    b.partner = a;
    added.push(a, b);
  }
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < added.length) {
        const k = added[next++];
        await open(k).catch(() => failed++);
      }
    }),
  );
  const now = performance.now();
  for (const k of added) {
    k.nextSendAt = now + Math.random() * periodMs; // each socket's minute starts at a random point
    socks.push(k);
  }
  return { opened: added.length - failed, failed };
}

const handlers: Record<string, (args: any) => unknown> = {
  init: (a: { url: string; periodMs: number }) => {
    url = a.url;
    periodMs = a.periodMs;
    http = createGqlHttpClient(a.url, 64);
    return process.pid;
  },
  grow: (a: { pairs: PairSpec[]; concurrency: number }) => grow(a.pairs, a.concurrency),
  start: (a: { churnPerSocketPerSec: number; periodMs: number }) => {
    churnPerSocketPerSec = a.churnPerSocketPerSec;
    periodMs = a.periodMs;
    if (!running) {
      running = true;
      for (const k of socks) if (!k.ws && !k.reconnecting) void reopen(k);
      tick();
    }
  },
  stats: (a: { reset: boolean }) => stats(a.reset),
  /** Stops sending and churning, waits for what is on its way, reports what never arrived. */
  stop: async (a: { graceMs: number }) => {
    running = false;
    const until = performance.now() + a.graceMs;
    while ((inFlight || socks.some((k) => k.expecting.size)) && performance.now() < until)
      await new Promise((r) => setTimeout(r, 100));
    const lost = socks.reduce((n, k) => n + k.expecting.size, 0);
    return { lost, ...stats(false) };
  },
  closeAll: async () => {
    running = false;
    await Promise.all(socks.map((k) => k.ws?.close()));
    socks.length = 0;
    s = fresh();
  },
};

process.on('message', async (m: { id: number; cmd: string; args: unknown }) => {
  try {
    const result = await handlers[m.cmd](m.args);
    process.send!({ id: m.id, ok: true, result });
  } catch (err) {
    process.send!({ id: m.id, ok: false, error: (err as Error).message });
  }
});
process.on('disconnect', () => process.exit(0));
