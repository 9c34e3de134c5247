// `npm run bench -- --capacity`: how many sockets parley holds on this machine under Centrifugo's load (two
// subscriptions per socket, one ~100-byte message per socket per minute, connection churn), ramped until delivery
// p99 passes 200 ms: first one instance on its own, then three behind HAProxy. See bench/README.md.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, createDatabase, dropDatabase, insertUsers, uniqueDatabaseName, withDatabase } from '../lib/db.ts';
import { createGqlHttpClient, firstError } from '../lib/gql-http.ts';
import { SIGN_UP } from '../lib/ops.ts';
import { killAllNow, type ServerProc, startParley, stopAll } from '../lib/procs.ts';
import { round } from '../lib/stats.ts';
import { mintTokens, startHaproxy, startWorker } from './fleet.ts';
import { ramp } from './ramp.ts';
import { capacityReport } from './report.ts';
import type { PairSpec } from './worker.ts';

const BENCH_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const TOKEN = randomBytes(24).toString('hex');

/** Each instance's first distinct warnings and errors (pino levels ≥ 40), before its log is removed. */
function instanceWarnings(dir: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.log'))) {
    const seen = new Map<string, string>();
    for (const line of readFileSync(path.join(dir, f), 'utf8').split('\n')) {
      if (!/"level":(4|5|6)0/.test(line)) continue;
      const msg = /"msg":"([^"]*)"/.exec(line)?.[1] ?? line.slice(0, 200);
      if (!seen.has(msg)) seen.set(msg, line.slice(0, 400));
    }
    out[f.replace(/\.log$/, '')] = [...seen.values()].slice(0, 5);
  }
  return out;
}

export async function runCapacity(argv: string[]): Promise<number> {
  const option = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  };
  const list = (v: string | undefined) => v?.split(',').map(Number);
  const smoke = argv.includes('--smoke');
  const cap = Number(option('cap') ?? (smoke ? 40 : 9_000));
  const P = {
    smoke,
    /** one instance: total sockets after each step */
    steps: list(option('steps')) ?? (smoke ? [20] : [250, 500, 1_000, 2_000, 3_000, 4_500, 6_000, 8_000, 9_000]),
    /** three instances behind HAProxy: multiples of the one instance's largest passing count */
    clusterFactors: smoke ? [1] : [1, 1.5, 2, 3],
    clusterSteps: list(option('cluster-steps')),
    windowMs: Number(option('window') ?? (smoke ? 4 : 30)) * 1000,
    settleMs: smoke ? 1_000 : 3_000,
    /** 1 message per socket per minute (smoke: every second, so that a few seconds have deliveries to time) */
    periodMs: smoke ? 1_000 : 60_000,
    /** each socket reconnects every 5 minutes on average (smoke: every 20 s) */
    churnPerSocketPerSec: smoke ? 1 / 20 : 1 / 300,
    p99LimitMs: Number(option('p99') ?? 200),
    workers: Number(option('workers') ?? Math.max(2, os.cpus().length)),
    budgetMs: (smoke ? 60 : 270) * 1000,
    cap,
    instances: 3,
  };
  const adminUrl =
    process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const parleyDir = path.resolve(option('parley-dir') ?? path.join(BENCH_DIR, '..'));
  const t0 = Date.now();
  const log = (msg: string) => console.log(`· [${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}s] ${msg}`);

  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'parley-capacity-'));
  const dbName = uniqueDatabaseName();
  const dbUrl = withDatabase(adminUrl, dbName);
  const workers: Awaited<ReturnType<typeof startWorker>>[] = [];
  let balancer: Awaited<ReturnType<typeof startHaproxy>> | undefined;
  const cleanup = async () => {
    await balancer?.stop();
    for (const w of workers) w.close();
    await stopAll();
    await dropDatabase(adminUrl, dbName).catch((e) => console.error(`drop ${dbName}: ${e.message}`));
    rmSync(tmpDir, { recursive: true, force: true });
  };
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void cleanup().finally(() => process.exit(130)));

  const results: Record<string, any> = {
    meta: {
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryMb: Math.round(os.totalmem() / 2 ** 20),
      loadAverageAtStart: os.loadavg().map((l) => round(l, 2)),
      profile: P,
    },
  };
  let failure: unknown = null;
  try {
    await createDatabase(adminUrl, dbName);
    const jwtSecret = randomBytes(36).toString('base64url');
    const start = (i: number) =>
      startParley({
        name: `parley${i + 1}`,
        parleyDir,
        databaseUrl: dbUrl,
        jwtSecret,
        tmpDir,
        logFile: path.join(tmpDir, `parley${i + 1}.log`),
        env: { REDIS_URL: redisUrl, METRICS_TOKEN: TOKEN, TRUST_PROXY: 'true', MAX_SOCKETS_PER_USER: '20' },
      });
    log(`capacity run${smoke ? ' (smoke)' : ''}: database ${dbName}, Redis ${redisUrl}, ${P.workers} load generators`);
    const first = await start(0);
    const instances: ServerProc[] = [first];

    // Users: one signs up (its token is the model), the others are inserted with SQL, their tokens minted.
    const http = createGqlHttpClient(first.url, 4);
    const signed = await http.request(SIGN_UP, { u: 'capacity_model', p: 'capacity password 1234' });
    if (firstError(signed)) throw new Error(`sign-up: ${firstError(signed)}`);
    http.close();
    const db = await connect(dbUrl);
    const pairs: PairSpec[] = [];
    try {
      const ids = await insertUsers(db, 'cap', Math.ceil(P.cap / 2) * 2);
      const tokens = await mintTokens(db, signed.data.signUp.token, jwtSecret, ids);
      for (let i = 0; i + 1 < ids.length; i += 2)
        pairs.push({ a: { id: ids[i], token: tokens[i] }, b: { id: ids[i + 1], token: tokens[i + 1] } });
    } finally {
      await db.end();
    }
    log(`${pairs.length * 2} users with tokens`);
    for (let i = 0; i < P.workers; i++) workers.push(await startWorker());

    const common = {
      metricsToken: TOKEN,
      workers,
      pairs,
      windowMs: P.windowMs,
      settleMs: P.settleMs,
      periodMs: P.periodMs,
      churnPerSocketPerSec: P.churnPerSocketPerSec,
      p99LimitMs: P.p99LimitMs,
      budgetMs: P.budgetMs,
      maxRssKb: 2 * 1024 * 1024,
      minAvailableKb: 1024 * 1024,
      log,
    };
    const base1 = first.rssKb();
    const single = await ramp({
      ...common,
      name: 'one instance',
      url: first.url,
      instances: [first],
      steps: P.steps.filter((n) => n <= P.cap),
      rssBaseKb: [base1],
    });
    results.single = { ...single, rssBaseKb: base1 };
    // The cluster ramp starts from what one instance held (within p99, else while keeping up on a loaded machine).
    const best =
      single.steps.filter((s) => s.pass).at(-1)?.sockets ?? single.steps.filter((s) => s.keptUp).at(-1)?.sockets ?? 0;

    for (let i = 1; i < P.instances; i++) instances.push(await start(i));
    balancer = await startHaproxy(
      instances.map((i) => i.url),
      tmpDir,
      Math.min(9_500, P.cap + 500),
    );
    const clusterSteps = P.clusterSteps ?? [
      ...new Set(P.clusterFactors.map((f) => Math.min(P.cap, Math.round((f * Math.max(best, 20)) / 100) * 100 || 20))),
    ];
    const bases = instances.map((i) => i.rssKb());
    const cluster = await ramp({
      ...common,
      name: `${P.instances} instances behind HAProxy`,
      url: balancer.url,
      instances,
      steps: clusterSteps,
      rssBaseKb: bases,
    });
    results.cluster = { ...cluster, rssBaseKb: bases };
    results.meta.loadAverageAtEnd = os.loadavg().map((l) => round(l, 2));
    results.meta.seconds = Math.round((Date.now() - t0) / 1000);
  } catch (err) {
    failure = err;
  }
  results.instanceWarnings = instanceWarnings(tmpDir);
  await cleanup();
  console.log(capacityReport(results, P));
  for (const [name, lines] of Object.entries(results.instanceWarnings as Record<string, string[]>))
    if (lines.length) console.log(`${name} logged warnings/errors, e.g.:\n  ${lines.join('\n  ')}`);
  const ok =
    !failure &&
    results.single?.steps.length > 0 &&
    results.cluster?.steps.length > 0 &&
    results.single.lost === 0 &&
    results.cluster.lost === 0 &&
    // smoke: the harness works (sockets held, messages timed, nothing lost); timings are not judged
    (!smoke ||
      [results.single, results.cluster].every(
        (r) => r.steps[0].delivered > 0 && r.steps[0].connectedAtEnd >= r.steps[0].sockets * 0.5,
      ));
  if (failure) console.error(`\nthe capacity run failed: ${(failure as Error).stack ?? failure}`);
  if (!smoke) {
    const dir = path.resolve(option('out') ?? path.join(BENCH_DIR, 'results'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'capacity.json'), JSON.stringify(results, null, 2) + '\n');
    console.log(`\nwrote ${path.relative(process.cwd(), path.join(dir, 'capacity.json'))}`);
  }
  console.log(ok ? `capacity${smoke ? ' smoke' : ''}: OK` : `capacity${smoke ? ' smoke' : ''}: FAILED`);
  return ok ? 0 : 1;
}
