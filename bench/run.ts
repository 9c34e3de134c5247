// `npm run bench [-- --quick | --smoke]`: parley's performance, measured from outside, next to two baselines
// measured in the same run (raw SQL through pg, and a thin GraphQL Yoga + pg server). See bench/README.md.
//
// This process orchestrates: it creates a database, starts the servers under test (separate processes), forks
// the load generator (bench/load.ts, another process) and tells it what to run, reads the servers' CPU and memory
// from /proc, prints a report and writes bench/results/latest.json and bench/results/latency.svg. Whatever
// happens, it stops what it started and drops the database.
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DeliveryResult, RunResult, Sender, Target } from './load.ts';
import { startPgProxy, type PgProxy } from './pg-proxy.ts';
import {
  connect,
  createDatabase,
  dropDatabase,
  insertUsers,
  seedConversation,
  tokenMinter,
  uniqueDatabaseName,
  withDatabase,
} from './lib/db.ts';
import { createGqlHttpClient, firstError, type GqlHttpClient } from './lib/gql-http.ts';
import { GqlWs } from './lib/gql-ws.ts';
import {
  CONVERSATIONS,
  HISTORY_BACK,
  HISTORY_FORWARD,
  type HistoryPage,
  MARK_READ,
  ME,
  MESSAGE_ADDED,
  SEND,
  SIGN_UP,
  UNREAD_COUNT,
} from './lib/ops.ts';
import { killAllNow, type ServerProc, startParley, startThin, stopAll } from './lib/procs.ts';
import { inboxReport, runInbox } from './scenarios/inbox.ts';
import { runSearch, searchReport } from './scenarios/search.ts';
import { pushReport, runPush } from './scenarios/push.ts';
import { CHANGES_PROFILE, changesReport, lifecycleRoundTrips, runChanges } from './scenarios/changes.ts';

import { attachmentsReport, runAttachments } from './scenarios/attachments.ts';
import { type PgbenchSetup, runPgbench, setupPgbench } from './scenarios/pgbench.ts';
import { median, round, summarize } from './lib/stats.ts';
import { lineChart } from './lib/svg.ts';
import { num, ratio, table, times } from './lib/table.ts';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));

// ── options ─────────────────────────────────────────────────────────────────────────────────────────────────────
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
};
if (flag('help')) {
  console.log(`npm run bench [-- options]
  (default)          the full run (1,000,000-message history, 200 active + 1,000 idle subscribers, …; ~10 min)
  --quick            the same scenarios, smaller and shorter (a few minutes)
  --smoke            seconds: one tiny run of each scenario kind, checks only that the harness works and the
                     numbers are sane (exit 1 otherwise); writes its results to a temporary directory
  --only a,b         only these scenarios: sends, history, inbox, search, push, catchup, delivery,
                     changes, roundtrips, memory, coldstart, attachments
  --parley-dir DIR   the parley checkout to run (default: this one)
  --out DIR          where to write latest.json and latency.svg (default bench/results)
  --capacity         instead: sockets per instance under Centrifugo's load, ramped until delivery p99 > 200 ms,
                     then 3 instances behind HAProxy (PostgreSQL + Redis; ~10 min; with --smoke: seconds);
                     --steps a,b,… --window S --workers N --cap N --p99 MS (bench/README.md)
Environment: BENCH_DATABASE_URL (or TEST_DATABASE_URL), a PostgreSQL URL whose user may CREATE DATABASE
(default postgresql://postgres@127.0.0.1:5432/postgres); PGBENCH, the pgbench binary (default /usr/bin/pgbench).`);
  process.exit(0);
}
if (flag('capacity')) {
  const { runCapacity } = await import('./capacity/run.ts');
  process.exit(await runCapacity(argv));
}
const mode: 'full' | 'quick' | 'smoke' = flag('smoke') ? 'smoke' : flag('quick') ? 'quick' : 'full';
const only = option('only')
  ?.split(',')
  .map((s) => s.trim());
const runs = (scenario: string) => !only || only.includes(scenario);
const parleyDir = path.resolve(option('parley-dir') ?? process.env.BENCH_PARLEY_DIR ?? path.join(BENCH_DIR, '..'));
const adminUrl =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

type Profile = {
  sendConcurrency: number[];
  sendWarmMs: number;
  sendMs?: number;
  sendCount?: number;
  historyRows: number;
  historyConcurrency: number;
  historyWarmMs: number;
  historyMs?: number;
  historyCount?: number;
  /** inbox: one user's conversations and the messages over them (readers, warm-up and duration as history's) */
  inboxConversations: number;
  inboxMessages: number;
  /** search: one user's conversations and messages (searchers, warm-up and duration as history's; sends as sends') */
  searchConversations: number;
  searchMessages: number;
  /** push: recipients with a subscription each (senders and durations as sends') */
  pushRecipients: number;
  catchup: number;
  deliveryActive: number;
  deliveryIdle: number;
  rates: number[];
  deliveryWarmMs: number;
  deliveryMs: number;
  memConnections: number;
  coldStarts: number;
  rtReps: number;
  idleWindowMs: number;
  timeoutMin: number;
};
const PROFILES: Record<typeof mode, Profile> = {
  full: {
    sendConcurrency: [1, 8, 32],
    sendWarmMs: 2_000,
    sendMs: 10_000,
    historyRows: 1_000_000,
    historyConcurrency: 8,
    historyWarmMs: 1_000,
    historyMs: 8_000,
    inboxConversations: 1_000,
    inboxMessages: 1_000_000,
    searchConversations: 1_000,
    searchMessages: 1_000_000,
    pushRecipients: 1_000,
    catchup: 10_000,
    deliveryActive: 200,
    deliveryIdle: 1_000,
    rates: [50, 200, 500],
    deliveryWarmMs: 3_000,
    deliveryMs: 15_000,
    memConnections: 1_000,
    coldStarts: 3,
    rtReps: 10,
    idleWindowMs: 5_000,
    timeoutMin: 90,
  },
  quick: {
    sendConcurrency: [1, 8, 32],
    sendWarmMs: 1_000,
    sendMs: 4_000,
    historyRows: 100_000,
    historyConcurrency: 8,
    historyWarmMs: 500,
    historyMs: 3_000,
    inboxConversations: 1_000,
    inboxMessages: 100_000,
    searchConversations: 1_000,
    searchMessages: 100_000,
    pushRecipients: 1_000,
    catchup: 10_000,
    deliveryActive: 50,
    deliveryIdle: 250,
    rates: [50, 200, 500],
    deliveryWarmMs: 1_000,
    deliveryMs: 5_000,
    memConnections: 300,
    coldStarts: 2,
    rtReps: 5,
    idleWindowMs: 3_000,
    timeoutMin: 20,
  },
  smoke: {
    sendConcurrency: [1, 4],
    sendWarmMs: 0,
    sendCount: 20,
    historyRows: 2_000,
    historyConcurrency: 2,
    historyWarmMs: 0,
    historyCount: 10,
    inboxConversations: 30,
    inboxMessages: 3_000,
    searchConversations: 30,
    searchMessages: 3_000,
    pushRecipients: 20,
    catchup: 200,
    deliveryActive: 3,
    deliveryIdle: 5,
    rates: [20],
    deliveryWarmMs: 0,
    deliveryMs: 1_000,
    memConnections: 8,
    coldStarts: 0,
    rtReps: 1,
    idleWindowMs: 1_000,
    timeoutMin: 3,
  },
};
const P = PROFILES[mode];
const outDir = path.resolve(option('out') ?? path.join(BENCH_DIR, 'results'));

// ── progress, checks, cleanup ───────────────────────────────────────────────────────────────────────────────────
const t0 = Date.now();
const step = (msg: string) => console.log(`· [${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s] ${msg}`);
const checks: { name: string; ok: boolean; detail?: string }[] = [];
function check(name: string, ok: boolean, detail?: string) {
  checks.push({ name, ok, detail });
  if (!ok) console.log(`  ✗ check failed: ${name}${detail ? ` — ${detail}` : ''}`);
}

const cleanups: { name: string; fn: () => Promise<unknown> | unknown }[] = [];
let cleaningUp: Promise<void> | null = null;
function cleanup(): Promise<void> {
  cleaningUp ??= (async () => {
    for (const c of cleanups.reverse()) {
      try {
        await c.fn();
      } catch (err) {
        console.error(`cleanup (${c.name}) failed: ${(err as Error).message}`);
      }
    }
  })();
  return cleaningUp;
}
process.on('exit', killAllNow);
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (err) => {
    console.error(`\nthe bench failed (${event}): ${(err as Error)?.stack ?? err}`);
    void cleanup().finally(() => process.exit(1));
  });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping servers and dropping the bench database…`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ── the load generator process ──────────────────────────────────────────────────────────────────────────────────
type Load = { call<T = any>(cmd: string, args?: unknown): Promise<T>; pid: number; close(): Promise<void> };

async function startLoad(): Promise<Load> {
  const child: ChildProcess = fork(path.join(BENCH_DIR, 'load.ts'), [], {
    execArgv: ['--import', 'tsx'],
    cwd: path.join(BENCH_DIR, '..'),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited = false;
  child.on('message', (m: { id: number; ok: boolean; result?: unknown; error?: string }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.ok) p.resolve(m.result);
    else p.reject(new Error(`load generator: ${m.error}`));
  });
  child.on('exit', (code) => {
    exited = true;
    for (const p of pending.values()) p.reject(new Error(`load generator exited (${code})`));
    pending.clear();
  });
  const load: Load = {
    pid: child.pid!,
    call: (cmd, args) =>
      new Promise((resolve, reject) => {
        if (exited) return reject(new Error('load generator is not running'));
        const id = nextId++;
        pending.set(id, { resolve, reject });
        child.send({ id, cmd, args });
      }),
    close: async () => {
      if (exited) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.disconnect();
      await Promise.race([gone, sleep(5_000)]);
      if (!exited) child.kill('SIGKILL');
    },
  };
  await load.call('ping');
  return load;
}

// ── helpers ─────────────────────────────────────────────────────────────────────────────────────────────────────
/** argon2id alone (median of 3 after a warm-up): with parley's parameters and with the argon2 package's defaults. */
async function argon2Costs() {
  const { default: argon2 } = await import('argon2');
  const { ARGON2_OPTIONS } = await import('../api/src/users/passwords.ts');
  const time = async (options: object) => {
    await argon2.hash('bench warm-up', options);
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await argon2.hash('bench password 1234', options);
      runs.push(performance.now() - started);
    }
    return round(median(runs), 1);
  };
  const { memoryCost, timeCost, parallelism } = ARGON2_OPTIONS;
  return {
    parley: { params: `m=${memoryCost} KiB, t=${timeCost}, p=${parallelism}`, ms: await time(ARGON2_OPTIONS) },
    defaults: { params: 'm=65536 KiB, t=3, p=4', ms: await time({ type: argon2.argon2id }) },
  };
}

async function gql<T = any>(client: GqlHttpClient, query: string, variables: Record<string, unknown>, token?: string) {
  const r = await client.request<T>(query, variables, token);
  const err = firstError(r);
  if (err) throw new Error(`${query.trim().split('\n')[0].trim()}: ${err}`);
  return r.data as T;
}

/** Server CPU (ms) spent while `fn` ran. */
async function withCpu<T>(
  server: ServerProc | null,
  fn: () => Promise<T>,
): Promise<{ result: T; cpuMs: number | null }> {
  const before = server ? server.cpuMs() : 0;
  const result = await fn();
  return { result, cpuMs: server ? server.cpuMs() - before : null };
}

/**
 * Connections opened (and kept) before the memory scenario's measured ones, as many (none in smoke): the first
 * burst grows V8's young generation to its working size (tens of MiB, once per process, whatever the number of
 * connections), so the measured ones show what each further connection costs.
 */
function memWarmup(n: number): number {
  return mode === 'smoke' ? 0 : n;
}

async function rssSettled(server: ServerProc, samples = 5, gapMs = 200): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < samples; i++) {
    values.push(server.rssKb());
    await sleep(gapMs);
  }
  return median(values);
}

const lat = (r: RunResult) => ({
  p50: round(r.latency.p50, 3),
  p90: round(r.latency.p90, 3),
  p99: round(r.latency.p99, 3),
  max: round(r.latency.max, 2),
  mean: round(r.latency.mean, 3),
});

// ── the run ─────────────────────────────────────────────────────────────────────────────────────────────────────
const results: Record<string, any> = {};

async function main() {
  const parleyCommand = existsSync(path.join(parleyDir, 'api', 'dist', 'main.js'))
    ? 'node api/dist/main.js'
    : 'node --import tsx api/src/main.ts';
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'));
  cleanups.push({ name: 'temporary directory', fn: () => rmSync(tmpDir, { recursive: true, force: true }) });
  const dbName = uniqueDatabaseName();
  const dbUrl = withDatabase(adminUrl, dbName);
  await createDatabase(adminUrl, dbName);
  cleanups.push({ name: `drop database ${dbName}`, fn: () => dropDatabase(adminUrl, dbName) });
  const proxies: PgProxy[] = [];
  cleanups.push({ name: 'proxies', fn: () => Promise.all(proxies.map((p) => p.close())) });
  cleanups.push({ name: 'servers', fn: stopAll });
  const jwtSecret = randomBytes(36).toString('base64url'); // 48 characters
  const pgTarget = { host: new URL(adminUrl).hostname || '127.0.0.1', port: Number(new URL(adminUrl).port || 5432) };
  const viaProxy = (proxy: PgProxy) => {
    const u = new URL(dbUrl);
    u.hostname = '127.0.0.1';
    u.port = String(proxy.port);
    return u.toString();
  };
  const logFile = (name: string) => path.join(tmpDir, `${name}.log`);

  const pgVersion = await (async () => {
    const c = await connect(dbUrl);
    try {
      return (await c.query('SHOW server_version')).rows[0].server_version as string;
    } finally {
      await c.end();
    }
  })();
  results.meta = {
    mode,
    date: new Date().toISOString(),
    node: process.version,
    postgres: pgVersion,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryMb: Math.round(os.totalmem() / 2 ** 20),
    loadAverageAtStart: os.loadavg().map((l) => round(l, 2)),
    parleyDir,
    parleyCommand,
    profile: P,
  };
  step(`${mode} run: parley (${parleyCommand}) in ${parleyDir}; PostgreSQL ${pgVersion}; database ${dbName}`);

  // In a smoke run one parley (behind the counting proxy) serves every scenario; otherwise the timed scenarios
  // get a parley connected straight to PostgreSQL, and round trips, memory and cold start get fresh ones.
  const smoke = mode === 'smoke';
  const newProxy = async () => {
    const p = await startPgProxy({ target: pgTarget });
    proxies.push(p);
    return p;
  };
  const mainProxy = smoke ? await newProxy() : null;
  const thinProxy = smoke ? await newProxy() : null;

  // 1. First start, on the empty database: parley applies its migrations.
  step('starting parley on the empty database (applies migrations)');
  const parley = await startParley({
    parleyDir,
    databaseUrl: mainProxy ? viaProxy(mainProxy) : dbUrl,
    jwtSecret,
    tmpDir,
    logFile: logFile('parley'),
  });
  results.coldStart = { emptyDatabase: { readyMs: round(parley.readyMs, 1), rssKb: parley.rssKb() } };
  const thin = await startThin({
    databaseUrl: thinProxy ? viaProxy(thinProxy) : dbUrl,
    jwtSecret,
    logFile: logFile('thin'),
    benchDir: BENCH_DIR,
  });
  step(`parley ready in ${num(parley.readyMs)} ms (pid ${parley.pid}, ${parley.url}); thin server at ${thin.url}`);
  const parleyHttp = createGqlHttpClient(parley.url, 8);
  const thinHttp = createGqlHttpClient(thin.url, 8);
  cleanups.push({ name: 'http clients', fn: () => (parleyHttp.close(), thinHttp.close()) });

  // 2. Users: one signs up through the API (its token is the model for the others), the rest are inserted with SQL.
  // Sign-up's cost (issue #24): this first one after start, then a few more; and argon2id alone, in this process,
  // with parley's parameters and with the argon2 package's defaults (what parley used before).
  const timedSignUp = async (prefix: string) => {
    const started = performance.now();
    const answer = await gql<{ signUp: { token: string; user: { id: string } } }>(parleyHttp, SIGN_UP, {
      u: `${prefix}_${randomBytes(3).toString('hex')}`,
      p: 'bench password 1234',
    });
    return { answer, ms: performance.now() - started };
  };
  const first = await timedSignUp('bench_probe');
  const probe = first.answer;
  const warm: number[] = [];
  for (let i = 0; i < 3; i++) warm.push((await timedSignUp(`bench_su${i}`)).ms);
  results.signUp = {
    firstMs: round(first.ms, 1),
    warmMs: round(median(warm), 1),
    argon2: await argon2Costs(),
  };
  step(
    `sign-up: first after start ${num(first.ms)} ms, then ${num(median(warm))} ms; argon2id alone ${num(results.signUp.argon2.parley.ms)} ms (${results.signUp.argon2.parley.params}), the package's defaults ${num(results.signUp.argon2.defaults.ms)} ms`,
  );
  const db = await connect(dbUrl);
  cleanups.push({ name: 'database client', fn: () => db.end() });
  const mint = tokenMinter(probe.signUp.token, jwtSecret, db);
  const maxConc = Math.max(...P.sendConcurrency);
  const ids = {
    sendFrom: await insertUsers(db, 'bs', maxConc),
    sendTo: await insertUsers(db, 'br', maxConc),
    history: await insertUsers(db, 'bh', 2),
    catchup: await insertUsers(db, 'bc', 2),
    rt: await insertUsers(db, 'bt', 2),
    deliveryFrom: await insertUsers(db, 'bds', P.deliveryActive),
    deliveryTo: await insertUsers(db, 'bdr', P.deliveryActive),
    idle: await insertUsers(db, 'bi', Math.max(P.deliveryIdle, P.memConnections + memWarmup(P.memConnections))),
  };
  const tokens = new Map<string, string>();
  for (const id of Object.values(ids).flat()) tokens.set(id, await mint(id));
  const token = (id: string) => tokens.get(id)!;
  const me = await gql<{ me: { id: string } }>(parleyHttp, ME, {}, token(ids.history[0]));
  if (me.me?.id !== ids.history[0]) throw new Error('parley did not accept a token minted like its own');
  await gql(thinHttp, HISTORY_BACK, { with: ids.history[1], last: 1 }, token(ids.history[0]));
  step(`${tokens.size} users inserted, tokens accepted by parley and the thin server`);

  const load = await startLoad();
  cleanups.push({ name: 'load generator', fn: () => load.close() });
  const targets: { name: 'parley' | 'thin' | 'raw'; target: Target; server: ServerProc | null }[] = [
    { name: 'parley', target: { kind: 'graphql', url: parley.url }, server: parley },
    { name: 'thin', target: { kind: 'graphql', url: thin.url }, server: thin },
    { name: 'raw', target: { kind: 'raw', databaseUrl: dbUrl, statement: 'tx' }, server: null },
  ];

  // ── sends ──
  if (runs('sends')) {
    const rows: any[] = [];
    const variants = [
      ...targets,
      {
        name: 'raw1' as const,
        target: { kind: 'raw', databaseUrl: dbUrl, statement: 'single' } as Target,
        server: null,
      },
    ];
    // parley's own send statement run by pgbench: the ceiling parley's sends/s is judged against.
    const pgb: PgbenchSetup = await setupPgbench(db, parleyDir, maxConc, tmpDir);
    if ('unavailable' in pgb) step(`sends: no pgbench baseline (${pgb.unavailable})`);
    results.pgbench = 'unavailable' in pgb ? { unavailable: pgb.unavailable } : { statement: pgb.statementName };
    for (const concurrency of P.sendConcurrency) {
      const senders: Sender[] = ids.sendFrom.slice(0, concurrency).map((id, i) => ({
        token: token(id),
        senderId: id,
        recipientId: ids.sendTo[i],
      }));
      for (const v of variants) {
        if (P.sendWarmMs)
          await load.call('sends', { target: v.target, senders, concurrency, durationMs: P.sendWarmMs });
        const { result: r, cpuMs } = await withCpu<RunResult>(v.server, () =>
          load.call('sends', { target: v.target, senders, concurrency, durationMs: P.sendMs, count: P.sendCount }),
        );
        rows.push({
          target: v.name,
          concurrency,
          sends: r.ok,
          errors: r.errors,
          firstError: r.firstError,
          perSecond: round(r.perSecond, 1),
          latencyMs: lat(r),
          serverCpuMsPerOp: cpuMs === null ? null : round(cpuMs / Math.max(1, r.ok), 3),
        });
        check(
          `sends ${v.name} ×${concurrency}: all acknowledged`,
          r.errors === 0 && r.ok > 0 && (!P.sendCount || r.ok === P.sendCount),
          `${r.ok} ok, ${r.errors} errors${r.firstError ? ` (${r.firstError})` : ''}`,
        );
        step(
          `sends ${v.name} ×${concurrency}: ${num(r.perSecond)}/s, p50 ${num(r.latency.p50)} ms, p99 ${num(r.latency.p99)} ms`,
        );
      }
      if ('script' in pgb) {
        const base = {
          databaseUrl: dbUrl,
          script: pgb.script,
          clients: concurrency,
          logDir: tmpDir,
          content: 'bench send',
        };
        if (P.sendWarmMs) await runPgbench({ ...base, durationMs: P.sendWarmMs });
        const r = await runPgbench({
          ...base,
          durationMs: P.sendMs,
          transactions: P.sendCount ? Math.ceil(P.sendCount / concurrency) : undefined,
        });
        rows.push({
          target: 'pgbench',
          concurrency,
          sends: r.transactions,
          errors: r.failed + (r.error ? 1 : 0),
          firstError: r.error,
          perSecond: round(r.tps, 1),
          latencyMs: {
            p50: round(r.latency.p50, 3),
            p90: round(r.latency.p90, 3),
            p99: round(r.latency.p99, 3),
            max: round(r.latency.max, 2),
            mean: round(r.latency.mean, 3),
          },
          serverCpuMsPerOp: null,
        });
        check(
          `sends pgbench ×${concurrency}: parley's statement ran`,
          !r.error && r.failed === 0 && r.transactions > 0 && Number.isFinite(r.tps) && r.latency.n === r.transactions,
          `${r.transactions} transactions, ${r.failed} failed, ${r.latency.n} logged${r.error ? ` (${r.error})` : ''}`,
        );
        step(
          `sends pgbench ×${concurrency}: ${num(r.tps)} tps, p50 ${num(r.latency.p50)} ms, p99 ${num(r.latency.p99)} ms`,
        );
      }
    }
    results.sends = rows;
  }

  // ── history ──
  if (runs('history')) {
    const [a, b] = ids.history;
    step(`seeding ${P.historyRows.toLocaleString('en')} messages with generate_series`);
    const seedStart = performance.now();
    const conversationId = await seedConversation(db, a, b, P.historyRows);
    const seedMs = performance.now() - seedStart;
    step(`seeded in ${num(seedMs / 1000)} s`);
    // A deep position, found through each API: the cursor of the 100th-oldest message.
    const deepCursor = async (client: GqlHttpClient) => {
      const page = await gql<HistoryPage>(client, HISTORY_FORWARD, { with: b, first: 100 }, token(a));
      return page.chatHistory.pageInfo.endCursor!;
    };
    const cursors = { parley: await deepCursor(parleyHttp), thin: await deepCursor(thinHttp) };
    const rows: any[] = [];
    for (const page of ['newest', 'deep'] as const) {
      for (const v of targets) {
        const args = {
          target: v.target,
          token: token(a),
          withUserId: b,
          pageSize: 50,
          concurrency: P.historyConcurrency,
          before: page === 'deep' && v.name !== 'raw' ? cursors[v.name as 'parley' | 'thin'] : undefined,
          conversationId,
          beforeSeq: page === 'deep' ? 100 : undefined,
        };
        if (P.historyWarmMs) await load.call('history', { ...args, durationMs: P.historyWarmMs });
        const { result: r, cpuMs } = await withCpu<RunResult & { edges: number }>(v.server, () =>
          load.call('history', { ...args, durationMs: P.historyMs, count: P.historyCount }),
        );
        rows.push({
          page,
          target: v.name,
          requests: r.ok,
          errors: r.errors,
          firstError: r.firstError,
          perSecond: round(r.perSecond, 1),
          latencyMs: lat(r),
          serverCpuMsPerOp: cpuMs === null ? null : round(cpuMs / Math.max(1, r.ok), 3),
        });
        check(
          `history ${page} ${v.name}: full pages, no errors`,
          r.errors === 0 && r.ok > 0,
          `${r.ok} ok, ${r.errors} errors${r.firstError ? ` (${r.firstError})` : ''}`,
        );
        step(
          `history ${page} ${v.name}: ${num(r.perSecond)}/s, p50 ${num(r.latency.p50)} ms, p99 ${num(r.latency.p99)} ms`,
        );
      }
    }
    results.history = { rows: P.historyRows, seedMs: round(seedMs, 0), concurrency: P.historyConcurrency, pages: rows };
  }

  // ── inbox ── (bench/scenarios/inbox.ts)
  if (runs('inbox')) {
    results.inbox = await runInbox({
      db,
      url: parley.url,
      server: parley,
      mint,
      load,
      conversations: P.inboxConversations,
      messages: P.inboxMessages,
      concurrency: P.historyConcurrency,
      warmMs: P.historyWarmMs,
      durationMs: P.historyMs,
      count: P.historyCount,
      check,
      step,
    });
  }

  // ── search ── (bench/scenarios/search.ts)
  if (runs('search')) {
    results.search = await runSearch({
      db,
      url: parley.url,
      mint,
      load,
      conversations: P.searchConversations,
      messages: P.searchMessages,
      concurrency: P.historyConcurrency === 2 ? 2 : 8,
      warmMs: P.historyWarmMs,
      durationMs: P.historyMs,
      count: P.historyCount,
      sendMs: P.sendMs,
      sendCount: P.sendCount,
      check,
      step,
    });
  }

  // ── push ── (bench/scenarios/push.ts)
  if (runs('push')) {
    results.push =
      (await runPush({
        db,
        url: parley.url,
        parleyPid: parley.pid,
        mint,
        load,
        recipients: P.pushRecipients,
        concurrency: P.historyConcurrency === 2 ? 2 : 8,
        warmMs: P.sendWarmMs,
        sendMs: P.sendMs,
        sendCount: P.sendCount,
        check,
        step,
      })) ?? undefined;
  }

  // ── attachments ── (bench/scenarios/attachments.ts: parleys of its own, embedded and S3)
  if (runs('attachments')) {
    results.attachments = await runAttachments({
      db,
      databaseUrl: dbUrl,
      parleyDir,
      jwtSecret,
      mode,
      mint,
      check,
      step,
    });
  }

  // ── catch-up ──
  if (runs('catchup')) {
    const [a, b] = ids.catchup;
    const n = P.catchup;
    step(`catch-up: seeding ${n + 1} messages`);
    const conversationId = await seedConversation(db, a, b, n + 1);
    const firstCursor = async (client: GqlHttpClient) =>
      (await gql<HistoryPage>(client, HISTORY_FORWARD, { with: b, first: 1 }, token(a))).chatHistory.pageInfo
        .endCursor!;
    const after = { parley: await firstCursor(parleyHttp), thin: await firstCursor(thinHttp) };
    // Warm the paths once with the newest 99 messages.
    const tail = (await gql<HistoryPage>(parleyHttp, HISTORY_BACK, { with: b, last: 100 }, token(a))).chatHistory
      .pageInfo.startCursor!;
    await load.call('catchupSubscription', {
      url: parley.url,
      token: token(a),
      withUserId: b,
      after: tail,
      expect: 99,
      timeoutMs: 30_000,
    });
    const timeoutMs = Math.max(60_000, n * 20);
    const sub = await withCpu(parley, () =>
      load.call('catchupSubscription', {
        url: parley.url,
        token: token(a),
        withUserId: b,
        after: after.parley,
        expect: n,
        timeoutMs,
      }),
    );
    const paging: Record<string, any> = {};
    for (const v of targets) {
      const { result, cpuMs } = await withCpu(v.server, () =>
        load.call('catchupPaging', {
          target: v.target,
          token: token(a),
          withUserId: b,
          after: v.name === 'raw' ? undefined : after[v.name as 'parley' | 'thin'],
          conversationId,
          afterSeq: 1,
          pageSize: 100,
          expect: n,
        }),
      );
      paging[v.name] = { ...result, ms: round(result.ms, 1), serverCpuMs: cpuMs };
      check(
        `catch-up by paging ${v.name}: ${n} messages in order`,
        !result.error && result.received === n && result.inOrder,
        `${result.received} received${result.error ? `, ${result.error}` : ''}${result.inOrder ? '' : ', out of order'}`,
      );
    }
    results.catchup = {
      messages: n,
      subscription: {
        ...sub.result,
        ms: round(sub.result.ms, 1),
        serverCpuMs: sub.cpuMs,
        messagesPerSecond: round((sub.result.received / sub.result.ms) * 1000, 0),
      },
      paging,
    };
    check(
      `catch-up by subscription: ${n} messages, in order, once`,
      !sub.result.error && sub.result.received === n && sub.result.inOrder && sub.result.duplicates === 0,
      `${sub.result.received} received${sub.result.error ? `, ${sub.result.error}` : ''}`,
    );
    step(
      `catch-up ${n}: subscription ${num(sub.result.ms)} ms, paging parley ${num(paging.parley.ms)} ms, thin ${num(paging.thin.ms)} ms, raw ${num(paging.raw.ms)} ms`,
    );
  }

  // ── delivery latency ──
  if (runs('delivery')) {
    const recipients = ids.deliveryTo;
    const idle = ids.idle.slice(0, P.deliveryIdle);
    step(`delivery: opening ${recipients.length} active + ${idle.length} idle subscriptions`);
    const opened = await load.call('wsOpen', {
      key: 'delivery',
      url: parley.url,
      tokens: [...recipients, ...idle].map(token),
      batch: 50,
      subscribe: true,
    });
    check(
      'delivery: every subscriber connected',
      opened.failed === 0,
      `${opened.failed} failed${opened.firstError ? ` (${opened.firstError})` : ''}`,
    );
    await sleep(2_000); // past each subscription's first re-check (1 s)
    const pairs = ids.deliveryFrom.map((s, i) => ({
      senderToken: token(s),
      recipientId: recipients[i],
      subscriber: i,
    }));
    const base = { url: parley.url, key: 'delivery', pairs, drainMs: smoke ? 10_000 : 30_000, maxInFlight: 512 };
    if (P.deliveryWarmMs) await load.call('deliver', { ...base, rate: P.rates[0], durationMs: P.deliveryWarmMs });
    const rows: any[] = [];
    const rssWithSubscribers = parley.rssKb();
    for (const rate of P.rates) {
      const { result: r, cpuMs } = await withCpu<DeliveryResult>(parley, () =>
        load.call('deliver', { ...base, rate, durationMs: P.deliveryMs }),
      );
      const pick = (s: typeof r.ack) => ({
        p50: round(s.p50, 2),
        p90: round(s.p90, 2),
        p99: round(s.p99, 2),
        max: round(s.max, 1),
      });
      rows.push({
        ...r,
        ack: pick(r.ack),
        delivery: pick(r.delivery),
        achievedPerSecond: round(r.achievedPerSecond, 1),
        durationMs: round(r.durationMs, 0),
        serverCpuMsPerMessage: cpuMs === null ? null : round(cpuMs / Math.max(1, r.acked), 3),
        serverCpuPercent: cpuMs === null ? null : round((cpuMs / r.durationMs) * 100, 1),
      });
      check(
        `delivery at ${rate}/s: every acknowledged send delivered once, to its recipient`,
        r.missing === 0 &&
          r.misdelivered === 0 &&
          r.duplicates === 0 &&
          r.subscriptionErrors === 0 &&
          r.acked > 0 &&
          // Tiny smoke rates must all go through; past saturation, refused sends are a result, not a harness failure.
          (!smoke || (r.sendErrors === 0 && r.skipped === 0)),
        `${r.acked} acked, ${r.delivered} delivered, ${r.sendErrors} send errors${r.firstError ? ` (${r.firstError})` : ''}, ${r.misdelivered} misdelivered, ${r.duplicates} duplicates, ${r.subscriptionErrors} subscription errors`,
      );
      step(
        `delivery ${rate}/s offered: ${num(r.achievedPerSecond)}/s acked, delivery p50 ${num(r.delivery.p50)} ms, p99 ${num(r.delivery.p99)} ms${r.skipped ? `, ${r.skipped} not sent (over ${base.maxInFlight} in flight)` : ''}`,
      );
    }
    await load.call('wsClose', { key: 'delivery' });
    results.delivery = {
      active: recipients.length,
      idle: idle.length,
      rssKbWithSubscribers: rssWithSubscribers,
      rates: rows,
    };
  }

  // ── changes ── (bench/scenarios/changes.ts: edits, deletions and reactions, issue #18)
  if (runs('changes')) {
    results.changes = await runChanges({
      db,
      url: parley.url,
      server: parley,
      mint,
      load,
      ...CHANGES_PROFILE[mode],
      concurrency: P.historyConcurrency,
      historyWarmMs: P.historyWarmMs,
      historyMs: P.historyMs,
      historyCount: P.historyCount,
      check,
      step,
    });
  }

  // The timed scenarios are over: free the CPU for the fresh servers.
  if (!smoke) {
    await parley.stop();
    await thin.stop();
  }

  // ── round trips ──
  if (runs('roundtrips')) {
    // parley of its own, without the push queue: its workers poll the database on their own schedule (a heartbeat
    // every 2 s), which no idle-rate subtraction makes whole numbers of. Push's cost is the push scenario's.
    const rtProxy = await newProxy();
    const rtThinProxy = thinProxy ?? (await newProxy());
    const server = await startParley({
      name: 'parley-rt',
      parleyDir,
      databaseUrl: viaProxy(rtProxy),
      jwtSecret,
      tmpDir,
      logFile: logFile('parley-rt'),
      env: { PUSH: 'off' },
    });
    const thinServer = smoke
      ? thin
      : await startThin({
          databaseUrl: viaProxy(rtThinProxy),
          jwtSecret,
          logFile: logFile('thin-rt'),
          benchDir: BENCH_DIR,
        });
    const client = createGqlHttpClient(server.url, 2);
    const thinClient = smoke ? thinHttp : createGqlHttpClient(thinServer.url, 2);
    const [a, b] = ids.rt;
    const send = (c: GqlHttpClient, from: string, to: string) =>
      gql(c, SEND, { to, text: 'round trip', cid: randomBytes(8).toString('hex') }, token(from));
    const history = (c: GqlHttpClient) => gql(c, HISTORY_BACK, { with: b, last: 50 }, token(a));
    const inbox = () => gql(client, CONVERSATIONS, { first: 20 }, token(a));
    const unread = () => gql(client, UNREAD_COUNT, {}, token(a));
    // The web app's subscription: one conversation, resuming from the newest message it holds.
    const subscribe = async (settle: number[]) => {
      const after = (await gql<HistoryPage>(client, HISTORY_BACK, { with: b, last: 1 }, token(a))).chatHistory.pageInfo
        .startCursor;
      const ws = await GqlWs.connect(server.url, token(a));
      const counts: number[] = [];
      const began = performance.now();
      rtProxy.reset();
      const id = ws.subscribe(MESSAGE_ADDED, { with: b, after }, { next: () => {} });
      for (const at of settle) {
        await sleep(Math.max(0, at - (performance.now() - began)));
        counts.push(rtProxy.roundTrips());
      }
      ws.complete(id);
      await ws.close();
      return counts;
    };
    // Warm every path (the pool opens its connections, statements get prepared), then let timers settle.
    for (let i = 0; i < 3; i++) {
      await send(client, a, b);
      await send(client, b, a);
      await history(client);
      await gql(client, MARK_READ, { sender: b }, token(a));
      await inbox();
      await unread();
      await send(thinClient, a, b);
      await history(thinClient);
    }
    await subscribe([50]);
    await sleep(1_500);
    rtProxy.reset();
    rtThinProxy.reset();
    const idleStart = performance.now();
    await sleep(P.idleWindowMs);
    const idleMs = performance.now() - idleStart;
    const idlePerSecond = (rtProxy.roundTrips() / idleMs) * 1000;
    const thinIdlePerSecond = (rtThinProxy.roundTrips() / idleMs) * 1000;
    const measure = async (
      proxy: PgProxy,
      idleRate: number,
      op: () => Promise<unknown>,
      before?: () => Promise<unknown>,
    ) => {
      const values: number[] = [];
      for (let i = 0; i < P.rtReps; i++) {
        if (before) {
          await before();
          await sleep(50);
        }
        proxy.reset();
        const began = performance.now();
        await op();
        await sleep(50); // anything the operation does after answering
        values.push(proxy.roundTrips() - (idleRate * (performance.now() - began)) / 1000);
      }
      return {
        mean: round(summarize(values).mean, 2),
        min: round(Math.min(...values), 2),
        max: round(Math.max(...values), 2),
      };
    };
    // parley caches a session check for a second from when it ran (api/src/auth/sessions.ts): before a measured send
    // or page, that second is waited out and the same request made once, so the check is not counted (see
    // lifecycleRoundTrips, which compares its page with this one).
    const afterSessionCheck = (warm: () => Promise<unknown>) => () => sleep(1_050).then(warm);
    const ops: Record<string, any> = {
      send: await measure(
        rtProxy,
        idlePerSecond,
        () => send(client, a, b),
        afterSessionCheck(() => send(client, a, b)),
      ),
      historyPage: await measure(
        rtProxy,
        idlePerSecond,
        () => history(client),
        afterSessionCheck(() => history(client)),
      ),
      markRead: await measure(
        rtProxy,
        idlePerSecond,
        () => gql(client, MARK_READ, { sender: b }, token(a)),
        () => send(client, b, a),
      ),
      conversations: await measure(rtProxy, idlePerSecond, inbox),
      unreadCount: await measure(rtProxy, idlePerSecond, unread),
    };
    Object.assign(
      ops,
      await lifecycleRoundTrips({
        request: (query, variables, as) => gql(client, query, variables, token(as === 'a' ? a : b)),
        a,
        b,
        measure: (op, before) => measure(rtProxy, idlePerSecond, op, before),
      }),
    );
    const early: number[] = [];
    const late: number[] = [];
    for (let i = 0; i < P.rtReps; i++) {
      const [c300, c1500] = await subscribe([300, 1_500]);
      early.push(c300 - idlePerSecond * 0.3);
      late.push(c1500 - idlePerSecond * 1.5);
    }
    ops.subscriptionStart = {
      mean: round(summarize(early).mean, 2),
      min: round(Math.min(...early), 2),
      max: round(Math.max(...early), 2),
    };
    ops.subscriptionStartWithResync = {
      mean: round(summarize(late).mean, 2),
      min: round(Math.min(...late), 2),
      max: round(Math.max(...late), 2),
    };
    const thinOps = {
      send: await measure(rtThinProxy, thinIdlePerSecond, () => send(thinClient, a, b)),
      historyPage: await measure(rtThinProxy, thinIdlePerSecond, () => history(thinClient)),
    };
    results.roundTrips = {
      reps: P.rtReps,
      idlePerSecond: round(idlePerSecond, 3),
      parley: ops,
      thin: { idlePerSecond: round(thinIdlePerSecond, 3), ...thinOps },
    };
    check(
      'round trips: counted for every operation',
      Object.values(ops).every((o) => Number.isFinite(o.mean)) && ops.send.mean >= 1 && ops.historyPage.mean >= 1,
      JSON.stringify(ops),
    );
    check(
      'round trips: conversations and unreadCount take 1–2 each (issue #7)',
      [ops.conversations, ops.unreadCount].every((o) => Math.round(o.mean) >= 1 && Math.round(o.mean) <= 2),
      JSON.stringify({ conversations: ops.conversations, unreadCount: ops.unreadCount }),
    );
    check(
      'round trips: editMessage, deleteMessage and addReaction one each; a page of reacted replies as many as a plain page (issue #18)',
      [ops.editMessage, ops.deleteMessage, ops.addReaction].every((o) => Math.round(o.mean) === 1) &&
        Math.round(ops.historyPageReactionsReplies.mean) === Math.round(ops.historyPage.mean),
      JSON.stringify({
        edit: ops.editMessage,
        delete: ops.deleteMessage,
        react: ops.addReaction,
        page: ops.historyPageReactionsReplies,
      }),
    );
    check(
      'round trips: the thin server does one per operation (the proxy counts right)',
      Math.round(thinOps.send.mean) === 1 && Math.round(thinOps.historyPage.mean) === 1,
      JSON.stringify(thinOps),
    );
    step(
      `round trips: send ${ops.send.mean}, history ${ops.historyPage.mean}, markRead ${ops.markRead.mean}, conversations ${ops.conversations.mean}, unreadCount ${ops.unreadCount.mean}, edit ${ops.editMessage.mean}, delete ${ops.deleteMessage.mean}, react ${ops.addReaction.mean}, reacted replies page ${ops.historyPageReactionsReplies.mean}, subscribe ${ops.subscriptionStart.mean} (+resync ${ops.subscriptionStartWithResync.mean}); idle ${num(idlePerSecond)}/s`,
    );
    client.close();
    await server.stop();
    if (!smoke) {
      thinClient.close();
      await thinServer.stop();
    }
  }

  // ── memory per idle subscribed WebSocket ──
  if (runs('memory')) {
    const server = smoke
      ? parley
      : await startParley({
          name: 'parley-mem',
          parleyDir,
          databaseUrl: dbUrl,
          jwtSecret,
          tmpDir,
          logFile: logFile('parley-mem'),
        });
    await sleep(smoke ? 200 : 2_000);
    const fresh = await rssSettled(server, smoke ? 2 : 5);
    const n = P.memConnections;
    const subscribed = (key: string, tokens: string[]) =>
      load.call('wsOpen', { key, url: server.url, tokens, batch: 50, subscribe: true });
    // Warm-up: the first connections also pay once for the whole server (V8's young generation grows to its
    // working size, code compiled on first use): not a cost per connection, so it is reported apart.
    const warm = memWarmup(n);
    const warmed = warm ? await subscribed('memory-warmup', ids.idle.slice(n, n + warm).map(token)) : null;
    if (warmed) await sleep(smoke ? 1_500 : 4_000);
    const before = warmed ? await rssSettled(server, smoke ? 2 : 5) : fresh;
    const opened = await subscribed('memory', ids.idle.slice(0, n).map(token));
    await sleep(smoke ? 1_500 : 4_000); // past the subscriptions' first re-check
    const after = await rssSettled(server, smoke ? 2 : 5);
    const closed = await load.call('wsClose', { key: 'memory' });
    const closedWarm = warmed ? await load.call('wsClose', { key: 'memory-warmup' }) : { errors: 0 };
    const all = opened.opened + (warmed?.opened ?? 0);
    results.memory = {
      connections: opened.opened,
      warmupConnections: warmed?.opened ?? 0,
      fresh: !smoke,
      rssKbFresh: fresh,
      rssKbBefore: before,
      rssKbAfter: after,
      kbPerConnection: round((after - before) / Math.max(1, opened.opened), 1),
      kbPerConnectionFromFresh: round((after - fresh) / Math.max(1, all), 1),
      subscriptionErrors: closed.errors + closedWarm.errors,
    };
    check(
      `memory: ${n} subscribed connections opened`,
      opened.failed === 0 && (warmed?.failed ?? 0) === 0 && results.memory.subscriptionErrors === 0,
      `${opened.failed + (warmed?.failed ?? 0)} failed${opened.firstError ? ` (${opened.firstError})` : ''}, ${results.memory.subscriptionErrors} subscription errors`,
    );
    step(
      `memory: ${opened.opened} idle subscribed sockets after ${warmed?.opened ?? 0}, RSS ${num(before / 1024)} → ${num(after / 1024)} MiB, ${num(results.memory.kbPerConnection)} KiB each (${num(results.memory.kbPerConnectionFromFresh)} KiB each counted from the fresh server, ${num(fresh / 1024)} MiB)`,
    );
    if (!smoke) await server.stop();
  }

  // ── cold start ──
  if (runs('coldstart')) {
    const starts: { readyMs: number; listeningMs: number; rssKb: number }[] = [];
    for (let i = 0; i < P.coldStarts; i++) {
      const s = await startParley({
        name: `parley-cold-${i}`,
        parleyDir,
        databaseUrl: dbUrl,
        jwtSecret,
        tmpDir,
        logFile: logFile(`parley-cold-${i}`),
      });
      starts.push({ readyMs: round(s.readyMs, 1), listeningMs: round(s.startMs, 1), rssKb: s.rssKb() });
      await s.stop();
    }
    results.coldStart.migratedDatabase = starts.length
      ? { runs: starts, readyMs: median(starts.map((s) => s.readyMs)), rssKb: median(starts.map((s) => s.rssKb)) }
      : null;
    check(
      'cold start: parley became ready',
      Number.isFinite(results.coldStart.emptyDatabase.readyMs) && starts.every((s) => Number.isFinite(s.readyMs)),
    );
    if (starts.length)
      step(
        `cold start (migrated database): ready in ${num(results.coldStart.migratedDatabase.readyMs)} ms, RSS ${num(results.coldStart.migratedDatabase.rssKb / 1024)} MiB`,
      );
    // The embedded database (PGlite, no DATABASE_URL): the first start creates and migrates its data directory (not
    // counted), the others reopen it.
    const embedded: typeof starts = [];
    for (let i = 0; P.coldStarts > 0 && i <= P.coldStarts; i++) {
      const s = await startParley({
        name: `parley-embedded-${i}`,
        parleyDir,
        jwtSecret,
        tmpDir: path.join(tmpDir, 'embedded'),
        logFile: logFile(`parley-embedded-${i}`),
      });
      if (i > 0) embedded.push({ readyMs: round(s.readyMs, 1), listeningMs: round(s.startMs, 1), rssKb: s.rssKb() });
      await s.stop();
    }
    results.coldStart.embedded = embedded.length
      ? {
          runs: embedded,
          readyMs: median(embedded.map((s) => s.readyMs)),
          rssKb: median(embedded.map((s) => s.rssKb)),
        }
      : null;
    if (embedded.length)
      step(
        `cold start (embedded database): ready in ${num(results.coldStart.embedded.readyMs)} ms, RSS ${num(results.coldStart.embedded.rssKb / 1024)} MiB`,
      );
  }

  if (smoke) {
    parleyHttp.close();
    thinHttp.close();
  }
  results.meta.loadAverageAtEnd = os.loadavg().map((l) => round(l, 2));
  results.meta.seconds = Math.round((Date.now() - t0) / 1000);
}

/** parley / thin and parley / raw, for the JSON (the report prints the same). */
function computeRatios() {
  const r = (a: number | null | undefined, b: number | null | undefined) => {
    const x = ratio(a, b);
    return x === null ? null : round(x, 3);
  };
  /** One table's parley row against its thin and raw rows (`get` finds a target's row). */
  const againstBaselines = (get: (target: string) => any) => {
    const p = get('parley'),
      th = get('thin'),
      raw = get('raw');
    return {
      parleyOverThin: {
        p50: r(p?.latencyMs.p50, th?.latencyMs.p50),
        p99: r(p?.latencyMs.p99, th?.latencyMs.p99),
        throughput: r(p?.perSecond, th?.perSecond),
        cpuPerOp: r(p?.serverCpuMsPerOp, th?.serverCpuMsPerOp),
      },
      parleyOverRaw: {
        p50: r(p?.latencyMs.p50, raw?.latencyMs.p50),
        p99: r(p?.latencyMs.p99, raw?.latencyMs.p99),
        throughput: r(p?.perSecond, raw?.perSecond),
      },
    };
  };
  const out: Record<string, any> = {};
  if (results.sends) {
    const rows = results.sends as any[];
    out.sends = Object.fromEntries(
      P.sendConcurrency.map((c) => {
        const get = (t: string) => rows.find((x) => x.concurrency === c && x.target === t);
        return [
          c,
          {
            ...againstBaselines(get),
            // the issue's target: ≥ 0.5
            parleyOverPgbench: { throughput: r(get('parley')?.perSecond, get('pgbench')?.perSecond) },
          },
        ];
      }),
    );
  }
  if (results.push) {
    out.push = {
      sendsOnOverOff: results.push.ratio,
      pushLatencyMs: results.push.pushLatencyMs,
    };
  }
  if (results.search) {
    out.search = {
      p95Ms: Object.fromEntries((results.search.ops as any[]).map((o) => [o.op, o.latencyMs.p95])),
      sendsWithIndexOverWithout: results.search.sends.ratio,
      indexBytes: results.search.indexBytes,
      wordIndexBytes: results.search.wordIndexBytes,
      trigramIndexBytes: results.search.trigramIndexBytes,
      timeIndexBytes: results.search.timeIndexBytes,
    };
  }
  if (results.inbox) {
    out.inbox = Object.fromEntries(
      (results.inbox.ops as any[]).filter((o) => o.overHistory).map((o) => [o.op, o.overHistory]),
    );
  }
  if (results.history) {
    const rows = results.history.pages as any[];
    out.history = Object.fromEntries(
      ['newest', 'deep'].map((page) => {
        const get = (t: string) => rows.find((x) => x.page === page && x.target === t);
        return [page, againstBaselines(get)];
      }),
    );
  }
  if (results.catchup) {
    const c = results.catchup;
    out.catchup = {
      subscriptionOverParleyPaging: r(c.subscription.ms, c.paging.parley?.ms),
      parleyPagingOverThin: r(c.paging.parley?.ms, c.paging.thin?.ms),
      parleyPagingOverRaw: r(c.paging.parley?.ms, c.paging.raw?.ms),
    };
  }
  return out;
}

// ── the report ──────────────────────────────────────────────────────────────────────────────────────────────────
function report(): string {
  const out: string[] = [];
  const m = results.meta ?? {};
  out.push(`\nparley bench — ${mode} run, ${m.date ?? ''}`);
  out.push(
    `node ${m.node}, PostgreSQL ${m.postgres}, ${m.cpus} CPUs (${m.cpuModel}), load average at start ${m.loadAverageAtStart?.join(' ')}`,
  );
  out.push(`parley: ${m.parleyCommand} (${m.parleyDir}); thin = bench/thin-server.ts; raw = pg, parley's statements`);

  if (results.sends) {
    const rows = results.sends as any[];
    out.push('\nSENDS (closed loop; each sender in its own conversation; latency = request → answer)');
    out.push(
      table(
        ['senders', 'target', 'sends/s', 'p50 ms', 'p99 ms', 'server CPU ms/send', 'errors'],
        rows.map((r) => [
          r.concurrency,
          r.target === 'raw1' ? 'raw (1 stmt)' : r.target === 'pgbench' ? "pgbench (parley's SEND)" : r.target,
          num(r.perSecond),
          num(r.latencyMs.p50),
          num(r.latencyMs.p99),
          num(r.serverCpuMsPerOp),
          r.errors,
        ]),
      ),
    );
    const ratioRows = P.sendConcurrency.map((c) => {
      const get = (t: string) => rows.find((r) => r.concurrency === c && r.target === t);
      const p = get('parley'),
        th = get('thin'),
        raw = get('raw'),
        pgb = get('pgbench');
      const overPgbench = ratio(p?.perSecond, pgb?.perSecond);
      return [
        c,
        times(overPgbench),
        overPgbench === null || mode === 'smoke' ? '—' : overPgbench >= 0.5 ? 'pass' : 'FAIL', // smoke: not judged
        times(ratio(p?.latencyMs.p50, th?.latencyMs.p50)),
        times(ratio(p?.latencyMs.p99, th?.latencyMs.p99)),
        times(ratio(p?.perSecond, th?.perSecond)),
        times(ratio(p?.serverCpuMsPerOp, th?.serverCpuMsPerOp)),
        times(ratio(p?.latencyMs.p50, raw?.latencyMs.p50)),
        times(ratio(p?.perSecond, raw?.perSecond)),
      ];
    });
    out.push('');
    out.push(
      table(
        [
          'senders',
          'sends/s parley/pgbench',
          '≥ 0.5×',
          'p50 parley/thin',
          'p99 parley/thin',
          'sends/s parley/thin',
          'CPU parley/thin',
          'p50 parley/raw',
          'sends/s parley/raw',
        ],
        ratioRows,
      ),
    );
  }
  if (results.history) {
    const h = results.history;
    out.push(
      `\nHISTORY PAGE (50 messages with senders; ${h.rows.toLocaleString('en')}-message conversation; ${h.concurrency} concurrent readers; deep = 50 before the 100th-oldest)`,
    );
    out.push(
      table(
        ['page', 'target', 'pages/s', 'p50 ms', 'p99 ms', 'server CPU ms/page', 'p50 parley/×', 'errors'],
        (h.pages as any[]).map((r) => {
          const p = (h.pages as any[]).find((x) => x.page === r.page && x.target === 'parley');
          return [
            r.page,
            r.target,
            num(r.perSecond),
            num(r.latencyMs.p50),
            num(r.latencyMs.p99),
            num(r.serverCpuMsPerOp),
            r.target === 'parley' ? '' : times(ratio(p?.latencyMs.p50, r.latencyMs.p50)),
            r.errors,
          ];
        }),
      ),
    );
  }
  if (results.inbox) out.push(inboxReport(results.inbox, mode !== 'smoke'));
  if (results.search) out.push(searchReport(results.search, mode !== 'smoke'));
  if (results.push) out.push(pushReport(results.push, mode !== 'smoke'));
  if (results.changes) out.push(changesReport(results.changes, mode !== 'smoke'));
  if (results.attachments) out.push(attachmentsReport(results.attachments, mode !== 'smoke'));
  if (results.catchup) {
    const c = results.catchup;
    out.push(`\nCATCH-UP (${c.messages.toLocaleString('en')} stored messages after a cursor)`);
    const rows: any[] = [
      [
        'parley messageAdded(after:) over graphql-ws',
        c.subscription.ms,
        c.subscription.received,
        '',
        c.subscription.serverCpuMs,
      ],
    ];
    for (const t of ['parley', 'thin', 'raw']) {
      const p = c.paging[t];
      if (p) rows.push([`${t} chatHistory(first: 100, after:) pages`, p.ms, p.received, p.pages, p.serverCpuMs]);
    }
    out.push(
      table(
        ['how', 'ms to receive all', 'received', 'requests', 'server CPU ms'],
        rows.map((r) => [r[0], num(r[1]), r[2], r[3], num(r[4])]),
      ),
    );
    out.push(
      `subscription / parley paging: ${times(ratio(c.subscription.ms, c.paging.parley?.ms))}; parley paging / thin: ${times(ratio(c.paging.parley?.ms, c.paging.thin?.ms))}; parley paging / raw: ${times(ratio(c.paging.parley?.ms, c.paging.raw?.ms))}`,
    );
  }
  if (results.delivery) {
    const d = results.delivery;
    out.push(
      `\nDELIVERY LATENCY (open loop; ${d.active} active + ${d.idle} idle subscribers; latency from when a send was due)`,
    );
    out.push(
      table(
        [
          'offered/s',
          'acked/s',
          'ack p50',
          'ack p99',
          'deliv p50',
          'deliv p90',
          'deliv p99',
          'deliv max',
          'CPU ms/msg',
          'server CPU %',
          'not sent',
          'errors',
          'lost',
        ],
        (d.rates as any[]).map((r) => [
          r.rate,
          num(r.achievedPerSecond),
          num(r.ack.p50),
          num(r.ack.p99),
          num(r.delivery.p50),
          num(r.delivery.p90),
          num(r.delivery.p99),
          num(r.delivery.max),
          num(r.serverCpuMsPerMessage),
          num(r.serverCpuPercent),
          r.skipped,
          r.sendErrors,
          r.missing,
        ]),
      ),
    );
  }
  if (results.roundTrips) {
    const r = results.roundTrips;
    out.push(
      `\nDATABASE ROUND TRIPS PER OPERATION (Sync + Query messages at a counting proxy; mean of ${r.reps}, idle traffic subtracted)`,
    );
    const row = (name: string, p: any, t?: any) => [
      name,
      p ? `${num(p.mean)} (${num(p.min)}–${num(p.max)})` : '—',
      t ? num(t.mean) : '—',
    ];
    out.push(
      table(
        ['operation', 'parley', 'thin'],
        [
          row('sendMessage', r.parley.send, r.thin.send),
          row('chatHistory newest page', r.parley.historyPage, r.thin.historyPage),
          row('markRead', r.parley.markRead),
          row('conversations(first: 20)', r.parley.conversations),
          row('unreadCount', r.parley.unreadCount),
          row('editMessage', r.parley.editMessage),
          row('deleteMessage', r.parley.deleteMessage),
          row('addReaction', r.parley.addReaction),
          row('chatHistory page, 50 replies with 2 reactions each', r.parley.historyPageReactionsReplies),
          row('messageAdded start (first 300 ms)', r.parley.subscriptionStart),
          row('messageAdded start (1.5 s, incl. re-check)', r.parley.subscriptionStartWithResync),
          ['idle, per second', num(r.idlePerSecond), num(r.thin.idlePerSecond)],
        ],
      ),
    );
  }
  if (results.signUp) {
    const su = results.signUp;
    out.push('\nSIGN-UP (request → answer; argon2id alone measured in the bench process)');
    out.push(
      table(
        ['what', 'ms'],
        [
          ['first sign-up after start (first hash, first writes)', num(su.firstMs)],
          ['sign-up, median of the next 3', num(su.warmMs)],
          [`argon2id, parley's parameters (${su.argon2.parley.params}; OWASP's minimum)`, num(su.argon2.parley.ms)],
          [
            `argon2id, the argon2 package's defaults (${su.argon2.defaults.params}; before)`,
            num(su.argon2.defaults.ms),
          ],
        ],
      ),
    );
  }
  if (results.memory || results.coldStart) {
    out.push('\nMEMORY AND START');
    const rows: any[] = [];
    if (results.memory) {
      const mm = results.memory;
      rows.push([
        `per idle subscribed WebSocket (${mm.connections} more on a ${mm.fresh ? 'fresh' : 'used'} server holding ${mm.warmupConnections})`,
        `${num(mm.kbPerConnection)} KiB`,
      ]);
      rows.push(['RSS before → after', `${num(mm.rssKbBefore / 1024)} → ${num(mm.rssKbAfter / 1024)} MiB`]);
      if (mm.warmupConnections)
        rows.push([
          `  counted from the fresh server (${num(mm.rssKbFresh / 1024)} MiB), first connections' one-off growth in`,
          `${num(mm.kbPerConnectionFromFresh)} KiB`,
        ]);
    }
    if (results.delivery)
      rows.push([
        `RSS with ${results.delivery.active + results.delivery.idle} subscribers (delivery)`,
        `${num(results.delivery.rssKbWithSubscribers / 1024)} MiB`,
      ]);
    const cs = results.coldStart;
    if (cs?.emptyDatabase)
      rows.push([
        'start to /ready, empty database (migrations)',
        `${num(cs.emptyDatabase.readyMs)} ms, RSS ${num(cs.emptyDatabase.rssKb / 1024)} MiB`,
      ]);
    if (cs?.migratedDatabase)
      rows.push([
        `cold start to /ready (median of ${cs.migratedDatabase.runs.length})`,
        `${num(cs.migratedDatabase.readyMs)} ms, RSS at ready ${num(cs.migratedDatabase.rssKb / 1024)} MiB`,
      ]);
    if (cs?.embedded)
      rows.push([
        `cold start to /ready, embedded PGlite (median of ${cs.embedded.runs.length})`,
        `${num(cs.embedded.readyMs)} ms, RSS at ready ${num(cs.embedded.rssKb / 1024)} MiB`,
      ]);
    out.push(table(['what', 'measured'], rows));
  }
  const failed = checks.filter((c) => !c.ok);
  out.push(`\nchecks: ${checks.length - failed.length}/${checks.length} passed${failed.length ? '' : ''}`);
  for (const f of failed) out.push(`  FAILED ${f.name}${f.detail ? ` — ${f.detail}` : ''}`);
  return out.join('\n');
}

function chart(): string | null {
  const d = results.delivery;
  if (!d) return null;
  const rates = d.rates as any[];
  const s = (name: string, key: 'delivery' | 'ack', p: 'p50' | 'p90' | 'p99', color: string, dashed = false) => ({
    name,
    color,
    dashed,
    points: rates.map((r) => [r.rate, r[key][p]] as [number, number]),
  });
  return lineChart({
    title: 'parley: delivery latency against offered send rate',
    subtitle: `${d.active} active + ${d.idle} idle subscribers, ${mode} run, ${results.meta?.date?.slice(0, 16) ?? ''}`,
    xLabel: 'offered sends per second (open loop)',
    yLabel: 'ms from when the send was due',
    series: [
      s('delivery p50', 'delivery', 'p50', '#1f77b4'),
      s('delivery p90', 'delivery', 'p90', '#ff7f0e'),
      s('delivery p99', 'delivery', 'p99', '#d62728'),
      s('ack p50', 'ack', 'p50', '#2ca02c', true),
      s('ack p99', 'ack', 'p99', '#9467bd', true),
    ],
  });
}

const watchdog = setTimeout(() => {
  console.error(`\nthe ${mode} run did not finish in ${P.timeoutMin} minutes: stopping`);
  checks.push({ name: 'finished in time', ok: false });
  void cleanup().finally(() => process.exit(1));
}, P.timeoutMin * 60_000);
watchdog.unref();

let failure: unknown = null;
try {
  await main();
} catch (err) {
  failure = err;
}
await cleanup();
clearTimeout(watchdog);

results.ratios = computeRatios();
console.log(report());
results.checks = checks;
if (failure) {
  console.error(`\nthe bench failed: ${(failure as Error).stack ?? failure}`);
  results.error = String((failure as Error).message ?? failure);
}
const dir = mode === 'smoke' && !option('out') ? mkdtempSync(path.join(os.tmpdir(), 'parley-bench-smoke-')) : outDir;
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
const svg = chart();
if (svg) writeFileSync(path.join(dir, 'latency.svg'), svg);
if (mode === 'smoke') {
  // The outputs themselves are part of what the smoke run checks.
  const json = JSON.parse(readFileSync(path.join(dir, 'latest.json'), 'utf8'));
  const okJson = json.meta?.mode === 'smoke' && Array.isArray(json.checks);
  const okSvg = !results.delivery || readFileSync(path.join(dir, 'latency.svg'), 'utf8').includes('</svg>');
  if (!okJson || !okSvg) {
    console.log('  FAILED writing latest.json / latency.svg');
    failure ??= new Error('outputs');
  }
  if (!option('out')) rmSync(dir, { recursive: true, force: true });
  else console.log(`\nwrote ${path.join(dir, 'latest.json')}${svg ? ` and ${path.join(dir, 'latency.svg')}` : ''}`);
} else {
  console.log(
    `\nwrote ${path.relative(process.cwd(), path.join(dir, 'latest.json'))}${svg ? ` and ${path.relative(process.cwd(), path.join(dir, 'latency.svg'))}` : ''}`,
  );
}
const ok = !failure && checks.every((c) => c.ok);
console.log(ok ? `bench ${mode}: OK (${Math.round((Date.now() - t0) / 1000)} s)` : `bench ${mode}: FAILED`);
process.exit(ok ? 0 : 1);
