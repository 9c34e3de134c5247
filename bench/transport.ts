// Queries and mutations over HTTP or over the open graphql-ws socket: which is faster for the web client?
//
//   node --import tsx bench/transport.ts [--pglite] [--n 200] [--concurrency 8] [--rounds 8]
//
// Starts parley as a child process (its own event loop; LOG_LEVEL=info as in production), signs up a sender and
// one recipient per concurrent worker, then measures, interleaved round by round in the same run:
//   - sendMessage (the web client's SendMessage selection), N sequential and N concurrent (--concurrency workers,
//     each to its own recipient, so they do not queue on one conversation's row lock),
//   - chatHistory(last: 50) (the web client's ChatHistory selection), N sequential and N concurrent,
// over (a) HTTP POST through fetch (undici, keep-alive; up to `concurrency` connections) and (b) one graphql-ws
// socket (graphql-ws client on `ws`; concurrent operations multiplexed on it, as the browser's one socket would).
// Prints p50/p99 latency, throughput and the server's CPU per operation, with ws/http ratios.
//
// Database: PostgreSQL at BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/postgres
// (a database parley_transport_<pid>_<random> is created and dropped); `--pglite`: parley's embedded database in a
// fresh temporary DATA_DIR instead.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';

const { values: args } = parseArgs({
  options: {
    pglite: { type: 'boolean', default: false },
    n: { type: 'string', default: '240' },
    concurrency: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '8' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(
    readFileSync(fileURLToPath(import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('//'))
      .join('\n'),
  );
  process.exit(0);
}
const N = Number(args.n);
const CONCURRENCY = Number(args.concurrency);
const ROUNDS = Number(args.rounds);
const ROOT = fileURLToPath(new URL('../', import.meta.url));

// The web client's documents (web/src/gql), fragments inlined, with the __typename Apollo adds.
const SEND = `mutation SendMessage($recipientId: ID!, $content: String!, $clientMessageId: String) {
  sendMessage(recipientId: $recipientId, content: $content, clientMessageId: $clientMessageId) {
    id clientMessageId cursor readAt createdAt content
    sender { id username displayName __typename }
    __typename
  }
}`;
const HISTORY = `query ChatHistory($withUserId: ID!, $last: Int, $before: String) {
  chatHistory(withUserId: $withUserId, last: $last, before: $before) {
    edges {
      cursor
      node { id cursor readAt clientMessageId createdAt content sender { id username displayName __typename } __typename }
      __typename
    }
    pageInfo { hasPreviousPage hasNextPage startCursor endCursor __typename }
    __typename
  }
}`;

type Result = { data?: any; errors?: { message: string }[] };

// ---------------------------------------------------------------------------------------------- server & database

let tickMs = 10;
try {
  tickMs = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim() || 100);
} catch {
  /* Linux default: 100 Hz */
}
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * tickMs;
}

const cleanups: Array<() => Promise<void> | void> = [];
async function cleanup() {
  for (const c of cleanups.splice(0).reverse()) {
    try {
      await c();
    } catch (err) {
      console.error('cleanup:', (err as Error).message);
    }
  }
}
process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
const watchdog = setTimeout(() => {
  console.error('transport bench: watchdog (3 min) fired');
  void cleanup().then(() => process.exit(1));
}, 180_000);
watchdog.unref();

async function createDatabase(): Promise<string | undefined> {
  if (args.pglite) return undefined;
  const admin =
    process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const name = `parley_transport_${process.pid}_${randomBytes(3).toString('hex')}`;
  const run = async (sql: string) => {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  cleanups.push(() => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

async function startParley(databaseUrl: string | undefined): Promise<{ url: string; pid: number }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'parley-transport-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const logFile = path.join(dataDir, 'parley.log');
  const fd = openSync(logFile, 'w');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: path.join(ROOT, 'api'),
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        WEB_DIST: path.join(dataDir, 'no-web-build'),
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      },
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  });
  const log = () => readFileSync(logFile, 'utf8');
  const deadline = Date.now() + 60_000;
  for (;;) {
    const m = /parley listening on (http:\/\/[^\s"]+)/.exec(log());
    if (m) return { url: m[1], pid: child.pid! };
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`parley did not start:\n${log().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// ---------------------------------------------------------------------------------------------------- transports

type Transport = { name: 'http' | 'ws'; run(query: string, variables: Record<string, unknown>): Promise<Result> };

function httpTransport(url: string, token: string): Transport {
  const endpoint = `${url}/graphql`;
  return {
    name: 'http',
    async run(query, variables) {
      // What Apollo's HttpLink sends: a JSON POST with the operation, its name and variables.
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({ operationName: /(?:query|mutation) (\w+)/.exec(query)![1], query, variables }),
      });
      return (await res.json()) as Result;
    },
  };
}

async function wsTransport(url: string, token: string): Promise<{ transport: Transport; client: Client }> {
  const client = createClient({
    url: url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: (err) => console.error('graphql-ws:', err),
  });
  await new Promise<void>((resolve, reject) => {
    const off = client.on('connected', () => (off(), resolve()));
    client.on('closed', (e) => reject(new Error(`socket closed: ${(e as { code?: number }).code}`)));
  });
  const transport: Transport = {
    name: 'ws',
    run: (query, variables) =>
      new Promise((resolve, reject) => {
        let result: Result | undefined;
        client.subscribe(
          { operationName: /(?:query|mutation) (\w+)/.exec(query)![1], query, variables },
          {
            next: (value) => void (result = value as Result),
            error: (err) => reject(err instanceof Error ? err : new Error(JSON.stringify(err))),
            complete: () => (result ? resolve(result) : reject(new Error('completed without a result'))),
          },
        );
      }),
  };
  return { transport, client };
}

// ---------------------------------------------------------------------------------------------------- measuring

type Sample = {
  latencies: number[];
  ops: number;
  wallMs: number;
  serverCpuMs: number;
  errors: number;
  firstError?: string;
};
const emptySample = (): Sample => ({ latencies: [], ops: 0, wallMs: 0, serverCpuMs: 0, errors: 0 });

/** One batch: `total` operations by `workers` closed-loop workers; accumulated into `into`. */
async function batch(
  into: Sample,
  serverPid: number,
  workers: number,
  total: number,
  op: (worker: number) => Promise<Result>,
): Promise<void> {
  let left = total;
  const cpu0 = cpuMs(serverPid);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      while (left > 0) {
        left -= 1;
        const s = performance.now();
        try {
          const r = await op(w);
          if (r.errors?.length || !r.data) throw new Error(JSON.stringify(r.errors));
        } catch (err) {
          into.errors += 1;
          into.firstError ??= (err as Error).message;
        }
        into.latencies.push(performance.now() - s);
        into.ops += 1;
      }
    }),
  );
  into.wallMs += performance.now() - t0;
  into.serverCpuMs += cpuMs(serverPid) - cpu0;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}
function summary(s: Sample) {
  const sorted = [...s.latencies].sort((a, b) => a - b);
  return {
    p50: pct(sorted, 50),
    p99: pct(sorted, 99),
    perSec: (s.ops / s.wallMs) * 1000,
    cpuPerOp: s.serverCpuMs / s.ops,
  };
}

// ---------------------------------------------------------------------------------------------------------- main

async function main() {
  const started = performance.now();
  const databaseUrl = await createDatabase();
  const server = await startParley(databaseUrl);

  const signUp = async (prefix: string) => {
    const username = `${prefix}_${randomBytes(4).toString('hex')}`;
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `mutation($u: String!) { signUp(username: $u, password: "correct horse battery") { token user { id } } }`,
        variables: { u: username },
      }),
    });
    const body = (await res.json()) as Result;
    if (!body.data) throw new Error(`signUp: ${JSON.stringify(body.errors)}`);
    return { id: body.data.signUp.user.id as string, token: body.data.signUp.token as string };
  };
  const sender = await signUp('sender');
  const recipients = await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => signUp(`peer${i}`)));

  const http = httpTransport(server.url, sender.token);
  const ws = await wsTransport(server.url, sender.token);
  cleanups.push(() => ws.client.dispose());
  const transports = [http, ws.transport];

  const send = (t: Transport, to: string) =>
    t.run(SEND, { recipientId: to, content: `hello ${randomUUID()}`, clientMessageId: randomUUID() });
  const history = (t: Transport, withUserId: string) => t.run(HISTORY, { withUserId, last: 50 });

  // Warm-up (both paths, both operations), which also fills every conversation beyond 50 messages.
  for (const t of transports) {
    const warm = emptySample();
    await batch(warm, server.pid, CONCURRENCY, CONCURRENCY * 8, (w) => send(t, recipients[w].id));
    await batch(warm, server.pid, CONCURRENCY, CONCURRENCY * 4, (w) => history(t, recipients[w].id));
    if (warm.errors) throw new Error(`warm-up over ${t.name}: ${warm.firstError}`);
  }

  type Scenario = { name: string; workers: number; op: (t: Transport, w: number) => Promise<Result> };
  const scenarios: Scenario[] = [
    { name: 'sendMessage, sequential', workers: 1, op: (t) => send(t, recipients[0].id) },
    { name: `sendMessage, ${CONCURRENCY} concurrent`, workers: CONCURRENCY, op: (t, w) => send(t, recipients[w].id) },
    { name: 'chatHistory(last: 50), sequential', workers: 1, op: (t) => history(t, recipients[0].id) },
    {
      name: `chatHistory(last: 50), ${CONCURRENCY} concurrent`,
      workers: CONCURRENCY,
      op: (t, w) => history(t, recipients[w].id),
    },
  ];
  const results = scenarios.map(() => ({ http: emptySample(), ws: emptySample() }));
  // Interleaved: every round runs each scenario on both transports, alternating which goes first.
  const perRound = Math.max(1, Math.round(N / ROUNDS));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, s] of scenarios.entries()) {
      const order = round % 2 === 0 ? transports : [...transports].reverse();
      for (const t of order) await batch(results[i][t.name], server.pid, s.workers, perRound, (w) => s.op(t, w));
    }
  }

  // ------------------------------------------------------------------------------------------------ report
  const f = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '—');
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const rows: string[][] = [['scenario', 'transport', 'p50 ms', 'p99 ms', 'ops/s', 'server CPU ms/op', 'errors']];
  for (const [i, s] of scenarios.entries()) {
    const h = summary(results[i].http);
    const w = summary(results[i].ws);
    rows.push([
      s.name,
      `http (n=${results[i].http.ops})`,
      f(h.p50),
      f(h.p99),
      f(h.perSec, 0),
      f(h.cpuPerOp),
      String(results[i].http.errors),
    ]);
    rows.push([
      '',
      `ws   (n=${results[i].ws.ops})`,
      f(w.p50),
      f(w.p99),
      f(w.perSec, 0),
      f(w.cpuPerOp),
      String(results[i].ws.errors),
    ]);
    rows.push([
      '',
      'ws / http',
      ratio(w.p50, h.p50),
      ratio(w.p99, h.p99),
      ratio(w.perSec, h.perSec),
      ratio(w.cpuPerOp, h.cpuPerOp),
      '',
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) =>
    r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  console.log(
    `\nparley transport bench — ${databaseUrl ? 'PostgreSQL' : 'PGlite'}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), ` +
      `load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}; ${ROUNDS} interleaved rounds\n`,
  );
  console.log(line(rows[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  rows.slice(1).forEach((r, i) => {
    console.log(line(r));
    if (i % 3 === 2) console.log('');
  });
  console.log(
    'ws / http: latency and CPU below 1× = the socket is faster / cheaper; ops/s above 1× = the socket does more.\n' +
      `http: fetch (undici, keep-alive), up to ${CONCURRENCY} connections; ws: one graphql-ws socket, operations multiplexed. ` +
      `server CPU: parley process user+system (${tickMs} ms ticks).`,
  );
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const errors = results.reduce((n, r) => n + r.http.errors + r.ws.errors, 0);
  if (errors) {
    const first = results.flatMap((r) => [r.http.firstError, r.ws.firstError]).find(Boolean);
    console.error(`${errors} operations failed; first: ${first}`);
    process.exitCode = 1;
  }
}

try {
  await main();
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  await cleanup();
}
