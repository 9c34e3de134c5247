// The load generator: a process of its own (forked by bench/run.ts with an IPC channel), so the server under test
// never shares an event loop with the clients that drive it. It runs one command at a time and answers with
// summaries (never raw samples).
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { createGqlHttpClient, firstError, type GqlHttpClient, type GqlResult } from './lib/gql-http.ts';
import { GqlWs } from './lib/gql-ws.ts';
import { HISTORY_BACK, HISTORY_FORWARD, type HistoryPage, MESSAGE_ADDED, SEND } from './lib/ops.ts';
import { INSERT_MESSAGE, rawHistorySql, SEND_ONE_STATEMENT, UPSERT_CONVERSATION } from './lib/sql.ts';
import { summarize, type Summary } from './lib/stats.ts';

export type Target =
  | { kind: 'graphql'; url: string }
  /** parley's statement shape in a transaction (tx) or the single statement the thin server uses (single). */
  | { kind: 'raw'; databaseUrl: string; statement?: 'tx' | 'single' };

export type Sender = { token: string; senderId: string; recipientId: string };

export type RunResult = {
  attempted: number;
  ok: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  perSecond: number;
  latency: Summary;
};

// ── clients, reused across commands ─────────────────────────────────────────────────────────────────────────────
const httpClients = new Map<string, GqlHttpClient>();
const http = (url: string) => {
  let c = httpClients.get(url);
  if (!c) httpClients.set(url, (c = createGqlHttpClient(url, 256)));
  return c;
};
const pools = new Map<string, pg.Pool>();
const pool = (url: string) => {
  let p = pools.get(url);
  if (!p) {
    // The same pool size as parley's (node-postgres's default, 10) and the thin server's.
    pools.set(url, (p = new pg.Pool({ connectionString: url, max: 10 })));
    p.on('error', () => {});
  }
  return p;
};
const pair = (a: string, b: string) => (a < b ? [a, b] : [b, a]);

// ── closed-loop runner: `concurrency` workers, each issuing its next request when the previous one answered ────
async function closedLoop(
  concurrency: number,
  limit: { durationMs?: number; count?: number },
  op: (worker: number, i: number) => Promise<string | undefined>,
): Promise<RunResult> {
  const latencies: number[] = [];
  let attempted = 0;
  let errors = 0;
  let firstErr: string | undefined;
  const started = performance.now();
  const deadline = limit.durationMs !== undefined ? started + limit.durationMs : Infinity;
  const count = limit.count ?? Infinity;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (attempted < count && performance.now() < deadline) {
        const i = attempted++;
        const t0 = performance.now();
        let err: string | undefined;
        try {
          err = await op(worker, i);
        } catch (e) {
          err = (e as Error).message;
        }
        if (err) {
          errors++;
          firstErr ??= err;
        } else latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  return {
    attempted,
    ok: latencies.length,
    errors,
    firstError: firstErr,
    elapsedMs,
    perSecond: (latencies.length / elapsedMs) * 1000,
    latency: summarize(latencies),
  };
}

// ── commands ────────────────────────────────────────────────────────────────────────────────────────────────────
type SendsArgs = {
  target: Target;
  senders: Sender[];
  concurrency: number;
  durationMs?: number;
  count?: number;
  /** Each send takes the next of `senders` (many recipients) instead of one per worker. */
  rotate?: boolean;
};

async function sends(a: SendsArgs): Promise<RunResult> {
  const t = a.target;
  if (t.kind === 'graphql') {
    const client = http(t.url);
    return closedLoop(a.concurrency, a, async (worker, i) => {
      const s = a.senders[(a.rotate ? i : worker) % a.senders.length];
      const r = await client.request(SEND, { to: s.recipientId, text: `bench send ${i}`, cid: randomUUID() }, s.token);
      return firstError(r) ?? (r.data?.sendMessage?.id ? undefined : 'no message id in the answer');
    });
  }
  const p = pool(t.databaseUrl);
  return closedLoop(a.concurrency, a, async (worker, i) => {
    const s = a.senders[worker % a.senders.length];
    const [low, high] = pair(s.senderId, s.recipientId);
    if (t.statement === 'single') {
      const { rows } = await p.query(SEND_ONE_STATEMENT, [
        low,
        high,
        s.senderId,
        s.recipientId,
        `bench send ${i}`,
        randomUUID(),
      ]);
      return rows[0]?.id ? undefined : 'no row';
    }
    const c = await p.connect();
    try {
      await c.query('BEGIN');
      const {
        rows: [pos],
      } = await c.query(UPSERT_CONVERSATION, [low, high]);
      const {
        rows: [m],
      } = await c.query(INSERT_MESSAGE, [
        pos.id,
        pos.lastSeq,
        s.senderId,
        s.recipientId,
        `bench send ${i}`,
        randomUUID(),
        pos.lastMessageAt,
      ]);
      await c.query('COMMIT');
      return m?.id ? undefined : 'no row';
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      c.release();
    }
  });
}

type HistoryArgs = {
  target: Target;
  token: string;
  withUserId: string;
  before?: string;
  /** raw: the conversation and the seq the `before` cursor stands for */
  conversationId?: string;
  beforeSeq?: number;
  pageSize: number;
  concurrency: number;
  durationMs?: number;
  count?: number;
};

async function history(a: HistoryArgs): Promise<RunResult & { edges: number }> {
  const t = a.target;
  let edges = -1;
  const check = (n: number) => {
    edges = edges < 0 ? n : Math.min(edges, n);
    return n === a.pageSize ? undefined : `page of ${n} messages, expected ${a.pageSize}`;
  };
  if (t.kind === 'graphql') {
    const client = http(t.url);
    const vars = { with: a.withUserId, last: a.pageSize, before: a.before };
    const r = await closedLoop(a.concurrency, a, async () => {
      const res = await client.request<HistoryPage>(HISTORY_BACK, vars, a.token);
      return firstError(res) ?? check(res.data!.chatHistory.edges.length);
    });
    return { ...r, edges };
  }
  const p = pool(t.databaseUrl);
  const withCursor = a.beforeSeq !== undefined;
  const sql = rawHistorySql(false, withCursor);
  const params = withCursor ? [a.conversationId, a.pageSize, a.beforeSeq] : [a.conversationId, a.pageSize];
  const r = await closedLoop(a.concurrency, a, async () => check((await p.query(sql, params)).rows.length));
  return { ...r, edges };
}

/** What a `query` answer must hold: at `path` (dot-separated, under data) an array of `length`, or `equals`. */
export type Expect = { path: string; length?: number; equals?: unknown };

/** Any GraphQL query in a closed loop, each answer checked against `expect` (a wrong answer counts as an error). */
async function query(a: {
  url: string;
  query: string;
  variables?: Record<string, unknown>;
  token: string;
  expect: Expect;
  concurrency: number;
  durationMs?: number;
  count?: number;
}): Promise<RunResult> {
  const client = http(a.url);
  const e = a.expect;
  return closedLoop(a.concurrency, a, async () => {
    const res = await client.request(a.query, a.variables, a.token);
    const err = firstError(res);
    if (err) return err;
    const v = e.path.split('.').reduce<any>((o, k) => o?.[k], res.data);
    if (e.length !== undefined && !(Array.isArray(v) && v.length === e.length))
      return `${e.path}: ${Array.isArray(v) ? `${v.length} items` : JSON.stringify(v)}, expected ${e.length} items`;
    if ('equals' in e && v !== e.equals)
      return `${e.path} = ${JSON.stringify(v)}, expected ${JSON.stringify(e.equals)}`;
    return undefined;
  });
}

type CatchupResult = { ms: number; received: number; inOrder: boolean; duplicates: number; error?: string };

/** messageAdded(withUserId, after) until `expect` messages arrived: time from subscribe to the last one. */
async function catchupSubscription(a: {
  url: string;
  token: string;
  withUserId: string;
  after: string;
  expect: number;
  timeoutMs: number;
}): Promise<CatchupResult> {
  const ws = await GqlWs.connect(a.url, a.token);
  const seen = new Set<string>();
  let received = 0;
  let inOrder = true;
  let lastCursor = a.after;
  let lastSeqNo = -1;
  try {
    const t0 = performance.now();
    const done = new Promise<string | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(`timed out after ${a.timeoutMs} ms`), a.timeoutMs);
      ws.subscribe(
        MESSAGE_ADDED,
        { with: a.withUserId, after: a.after },
        {
          next: (data) => {
            const m = data.messageAdded;
            received++;
            if (seen.has(m.id)) inOrder = false;
            seen.add(m.id);
            const n = Number(/number (\d+) /.exec(m.content)?.[1] ?? NaN);
            if (!(n > lastSeqNo)) inOrder = false;
            lastSeqNo = n;
            lastCursor = m.cursor;
            if (received >= a.expect) {
              clearTimeout(timer);
              resolve(undefined);
            }
          },
          error: (e) => {
            clearTimeout(timer);
            resolve(`subscription error: ${JSON.stringify(e).slice(0, 300)}`);
          },
        },
      );
    });
    const error = await done;
    const ms = performance.now() - t0;
    void lastCursor;
    return { ms, received, inOrder, duplicates: received - seen.size, error };
  } finally {
    await ws.close();
  }
}

/** The same messages by paging chatHistory(first, after) (or raw keyset SQL) from the same cursor. */
async function catchupPaging(a: {
  target: Target;
  token: string;
  withUserId: string;
  after: string;
  conversationId?: string;
  afterSeq?: number;
  pageSize: number;
  expect: number;
}): Promise<CatchupResult & { pages: number }> {
  const t0 = performance.now();
  let received = 0;
  let pages = 0;
  let inOrder = true;
  let lastN = -1;
  const take = (contents: string[]) => {
    for (const c of contents) {
      const n = Number(/number (\d+) /.exec(c)?.[1] ?? NaN);
      if (!(n > lastN)) inOrder = false;
      lastN = n;
    }
    received += contents.length;
  };
  if (a.target.kind === 'graphql') {
    const client = http(a.target.url);
    let after: string | null | undefined = a.after;
    while (received < a.expect) {
      const res: GqlResult<HistoryPage> = await client.request<HistoryPage>(
        HISTORY_FORWARD,
        { with: a.withUserId, first: a.pageSize, after },
        a.token,
      );
      const err = firstError(res);
      if (err) return { ms: performance.now() - t0, received, pages, inOrder, duplicates: 0, error: err };
      const page: HistoryPage['chatHistory'] = res.data!.chatHistory;
      pages++;
      take(page.edges.map((e) => e.node.content));
      if (!page.edges.length) break;
      after = page.pageInfo.endCursor;
    }
  } else {
    const p = pool(a.target.databaseUrl);
    const sql = rawHistorySql(true, true);
    let seq = a.afterSeq!;
    while (received < a.expect) {
      const { rows } = await p.query(sql, [a.conversationId, a.pageSize, seq]);
      pages++;
      take(rows.map((r) => r.content));
      if (!rows.length) break;
      seq = rows.at(-1).seq;
    }
  }
  return { ms: performance.now() - t0, received, pages, inOrder, duplicates: 0 };
}

// ── WebSocket sets: many subscribed connections held open across commands ────────────────────────────────────
type Delivery = (subscriber: number, data: any) => void;
type WsSet = { sockets: GqlWs[]; onMessage: Delivery | null; errors: number; firstError?: string };
const wsSets = new Map<string, WsSet>();

async function wsOpen(a: {
  key: string;
  url: string;
  tokens: string[];
  batch: number;
  subscribe: boolean;
}): Promise<{ opened: number; failed: number; firstError?: string; ms: number }> {
  const set: WsSet = { sockets: [], onMessage: null, errors: 0 };
  wsSets.set(a.key, set);
  const t0 = performance.now();
  let failed = 0;
  let firstErr: string | undefined;
  for (let i = 0; i < a.tokens.length; i += a.batch) {
    const slice = a.tokens.slice(i, i + a.batch);
    const opened = await Promise.allSettled(slice.map((token) => GqlWs.connect(a.url, token, 30_000)));
    opened.forEach((r, j) => {
      if (r.status === 'rejected') {
        failed++;
        firstErr ??= String(r.reason?.message ?? r.reason);
        return;
      }
      const index = i + j;
      set.sockets[index] = r.value;
      if (a.subscribe) {
        r.value.subscribe(
          MESSAGE_ADDED,
          {},
          {
            next: (data) => set.onMessage?.(index, data),
            error: (e) => {
              set.errors++;
              set.firstError ??= JSON.stringify(e).slice(0, 300);
            },
          },
        );
      }
    });
  }
  return { opened: a.tokens.length - failed, failed, firstError: firstErr, ms: performance.now() - t0 };
}

async function wsClose(a: { key: string }) {
  const set = wsSets.get(a.key);
  if (!set) return { closed: 0, errors: 0 };
  wsSets.delete(a.key);
  const live = set.sockets.filter(Boolean);
  for (let i = 0; i < live.length; i += 100) await Promise.all(live.slice(i, i + 100).map((s) => s.close()));
  return { closed: live.length, errors: set.errors, firstError: set.firstError };
}

export type DeliveryResult = {
  rate: number;
  durationMs: number;
  scheduled: number;
  skipped: number;
  acked: number;
  sendErrors: number;
  firstError?: string;
  delivered: number;
  misdelivered: number;
  duplicates: number;
  missing: number;
  subscriptionErrors: number;
  /** send scheduled → acknowledged (HTTP answer) */
  ack: Summary;
  /** send scheduled → received by the recipient's subscription */
  delivery: Summary;
  achievedPerSecond: number;
};

/**
 * Open-loop load: sends at `rate` per second whatever the server's answers (latency is measured from when each
 * send was due, so a server falling behind shows up as latency, not as a lower offered rate); each goes from an
 * active sender to its recipient, whose subscription (in set `key`) measures delivery.
 */
async function deliver(a: {
  url: string;
  key: string;
  pairs: { senderToken: string; recipientId: string; subscriber: number }[];
  rate: number;
  durationMs: number;
  drainMs: number;
  maxInFlight: number;
}): Promise<DeliveryResult> {
  const set = wsSets.get(a.key);
  if (!set) throw new Error(`no WebSocket set ${a.key}`);
  const client = http(a.url);
  const run = randomUUID().slice(0, 8);
  const due: number[] = [];
  const target: number[] = [];
  const received = new Set<number>();
  const ackLat: number[] = [];
  const delLat: number[] = [];
  let misdelivered = 0;
  let duplicates = 0;
  let acked = 0;
  let sendErrors = 0;
  let skipped = 0;
  let inFlight = 0;
  let firstErr: string | undefined;
  const errorsBefore = set.errors;
  const marker = new RegExp(`^d ${run} (\\d+)$`);
  set.onMessage = (subscriber, data) => {
    const now = performance.now();
    const m = marker.exec(data?.messageAdded?.content ?? '');
    if (!m) return;
    const n = Number(m[1]);
    if (target[n] !== subscriber) misdelivered++;
    else if (received.has(n)) duplicates++;
    else {
      received.add(n);
      delLat.push(now - due[n]);
    }
  };

  const interval = 1000 / a.rate;
  const started = performance.now();
  let n = 0;
  const sendOne = (i: number) => {
    const p = a.pairs[i % a.pairs.length];
    due[i] = started + i * interval;
    target[i] = p.subscriber;
    if (inFlight >= a.maxInFlight) {
      skipped++;
      return;
    }
    inFlight++;
    client
      .request(SEND, { to: p.recipientId, text: `d ${run} ${i}`, cid: `${run}-${i}` }, p.senderToken)
      .then((r) => {
        const err = firstError(r);
        if (err) {
          sendErrors++;
          firstErr ??= err;
        } else {
          acked++;
          ackLat.push(performance.now() - due[i]);
        }
      })
      .catch((e) => {
        sendErrors++;
        firstErr ??= (e as Error).message;
      })
      .finally(() => inFlight--);
  };
  for (;;) {
    const elapsed = performance.now() - started;
    if (elapsed >= a.durationMs) break;
    const dueNow = Math.min(Math.floor(elapsed / interval) + 1, Math.ceil(a.durationMs / interval));
    while (n < dueNow) sendOne(n++);
    await sleep(1);
  }
  const sendingMs = performance.now() - started;
  // Drain: wait for every send's answer (parley gives up on its own after its timeouts), then for every
  // acknowledged send to reach its subscriber.
  const answersBy = performance.now() + 120_000;
  while (inFlight > 0 && performance.now() < answersBy) await sleep(10);
  const drainUntil = performance.now() + a.drainMs;
  while (received.size < acked && performance.now() < drainUntil) await sleep(10);
  set.onMessage = null;
  return {
    rate: a.rate,
    durationMs: sendingMs,
    scheduled: n,
    skipped,
    acked,
    sendErrors,
    firstError: firstErr,
    delivered: received.size,
    misdelivered,
    duplicates,
    missing: Math.max(0, acked - received.size),
    subscriptionErrors: set.errors - errorsBefore,
    ack: summarize(ackLat),
    delivery: summarize(delLat),
    achievedPerSecond: (acked / sendingMs) * 1000,
  };
}

const commands: Record<string, (args: any) => Promise<unknown>> = {
  ping: async () => ({ pid: process.pid }),
  sends,
  history,
  query,
  catchupSubscription,
  catchupPaging,
  wsOpen,
  wsClose,
  deliver,
};

if (process.send) {
  process.on('message', async (msg: { id: number; cmd: string; args: unknown }) => {
    try {
      const fn = commands[msg.cmd];
      if (!fn) throw new Error(`unknown command ${msg.cmd}`);
      const result = await fn(msg.args);
      process.send!({ id: msg.id, ok: true, result });
    } catch (err) {
      process.send!({ id: msg.id, ok: false, error: (err as Error).stack ?? String(err) });
    }
  });
  // The orchestrator went away (finished, crashed or was killed): nothing left to do.
  process.on('disconnect', () => process.exit(0));
}
