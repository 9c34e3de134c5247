// One ramp of the capacity run: sockets added in steps to a target (one instance, or the balancer), each step held
// under Centrifugo's load (capacity/worker.ts) for a measuring window; it stops at the first step whose delivery
// p99 passes the limit (or that fails to connect, send or deliver), at the socket cap, at the memory bound or when
// its time is up. Each step records what limited it: the load generator (its event loop or CPU) or parley.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { round, summarize } from '../lib/stats.ts';
import { scrape, type Worker } from './fleet.ts';
import type { PairSpec, WorkerStats } from './worker.ts';

export type RampOptions = {
  name: string;
  url: string;
  /** The parley instances behind `url` (one without a balancer): pids for CPU/RSS, urls for /metrics. */
  instances: { pid: number; url: string; cpuMs(): number; rssKb(): number }[];
  metricsToken: string;
  workers: Worker[];
  /** Total sockets after each step. */
  steps: number[];
  pairs: PairSpec[];
  windowMs: number;
  settleMs: number;
  periodMs: number;
  churnPerSocketPerSec: number;
  p99LimitMs: number;
  budgetMs: number;
  /** Stop before a step that would put an instance above this RSS, or the machine below this free memory. */
  maxRssKb: number;
  minAvailableKb: number;
  rssBaseKb: number[];
  log: (msg: string) => void;
};

export type StepResult = {
  sockets: number;
  perInstance: number[];
  connectedAtEnd: number;
  connectFailures: number;
  connectMs: { p50: number; p99: number };
  churned: number;
  serverCloses: Record<string, number>;
  due: number;
  acked: number;
  notSent: number;
  sendErrors: number;
  firstSendError?: string;
  delivered: number;
  duplicates: number;
  delivery: { p50: number; p90: number; p99: number; max: number };
  updates: number;
  parleyCpuPercent: number[];
  parleyLoopLagP99Ms: number[];
  rssMb: number[];
  rssKb: number[];
  rssKbPerSocket: number;
  loadGenCpuPercent: number[];
  loadGenLoopDelayP99Ms: number[];
  loadAverage: number[];
  overdue: number;
  /** connected, sent, delivered everything (nothing overdue), no errors */
  keptUp: boolean;
  p99Ok: boolean;
  /** keptUp and p99Ok: the published criterion */
  pass: boolean;
  /** neither parley nor the load generator used a whole core (a late p99 is the shared machine's) */
  machineBound: boolean;
  why: string;
  limitedBy: string;
};

function availableKb(): number {
  try {
    const m = /MemAvailable:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    /* below */
  }
  return os.freemem() / 1024;
}

export async function ramp(o: RampOptions): Promise<{ steps: StepResult[]; stoppedBy: string; lost: number }> {
  const began = Date.now();
  const steps: StepResult[] = [];
  let stoppedBy = 'its last step was reached';
  let opened = 0; // pairs handed out
  for (const w of o.workers) await w.call('init', { url: o.url, periodMs: o.periodMs });
  for (const target of o.steps) {
    if (Date.now() - began > o.budgetMs) {
      stoppedBy = `time budget (${Math.round(o.budgetMs / 1000)} s)`;
      break;
    }
    const rss = o.instances.map((i) => i.rssKb());
    if (steps.length && rss.some((r) => (r / steps.at(-1)!.sockets) * target > o.maxRssKb)) {
      stoppedBy = `memory bound (an instance would pass ${Math.round(o.maxRssKb / 1024)} MiB RSS)`;
      break;
    }
    if (availableKb() < o.minAvailableKb) {
      stoppedBy = `memory bound (less than ${Math.round(o.minAvailableKb / 1024)} MiB available on the machine)`;
      break;
    }
    const wantPairs = Math.ceil(target / 2);
    if (wantPairs > o.pairs.length) {
      stoppedBy = `socket cap (${o.pairs.length * 2})`;
      break;
    }
    o.log(`${o.name}: ${opened * 2} → ${wantPairs * 2} sockets`);
    const fresh = o.pairs.slice(opened, wantPairs);
    const grown = await Promise.all(
      o.workers.map((w, i) =>
        w.call<{ opened: number; failed: number }>('grow', {
          pairs: fresh.filter((_, k) => k % o.workers.length === i),
          concurrency: 32,
        }),
      ),
    );
    opened = wantPairs;
    const openFailed = grown.reduce((n, g) => n + g.failed, 0);
    for (const w of o.workers)
      await w.call('start', { churnPerSocketPerSec: o.churnPerSocketPerSec, periodMs: o.periodMs });
    await sleep(o.settleMs);
    for (const w of o.workers) await w.call('stats', { reset: true });
    const cpu0 = o.instances.map((i) => i.cpuMs());
    const gen0 = o.workers.map((w) => w.cpuMs());
    const t0 = performance.now();
    await sleep(o.windowMs);
    const stats = await Promise.all(o.workers.map((w) => w.call<WorkerStats>('stats', { reset: true })));
    const ms = performance.now() - t0;
    const metrics = await Promise.all(o.instances.map((i) => scrape(i.url, o.metricsToken)));
    const step = summarizeStep(o, target, stats, metrics, {
      parleyCpuPercent: o.instances.map((i, k) => round(((i.cpuMs() - cpu0[k]) / ms) * 100, 0)),
      loadGenCpuPercent: o.workers.map((w, k) => round(((w.cpuMs() - gen0[k]) / ms) * 100, 0)),
      rssKb: o.instances.map((i) => i.rssKb()),
      openFailed,
    });
    steps.push(step);
    o.log(
      `${o.name}: ${step.sockets} sockets ${JSON.stringify(step.perInstance)}: delivery p99 ${round(step.delivery.p99, 1)} ms ` +
        `(${step.delivered} delivered of ${step.acked} acked, ${step.due} due), parley CPU ${step.parleyCpuPercent.join('/')} %, load generator CPU ` +
        `${step.loadGenCpuPercent.join('/')} %${Object.keys(step.serverCloses).length ? `, sockets ended: ${JSON.stringify(step.serverCloses)}` : ''} — ${step.pass ? 'pass' : `${step.why}; limited by ${step.limitedBy}`}`,
    );
    // Past the p99 limit the ramp goes on only while that is the shared machine's doing (parley keeps up and no
    // process is saturated): it then finds where parley itself stops keeping up.
    if (!step.pass && !(step.keptUp && step.machineBound)) {
      stoppedBy = `${step.why} — limited by ${step.limitedBy}`;
      break;
    }
  }
  const done = await Promise.all(o.workers.map((w) => w.call<{ lost: number }>('stop', { graceMs: 15_000 })));
  const lost = done.reduce((n, d) => n + d.lost, 0);
  for (const w of o.workers) await w.call('closeAll');
  return { steps, stoppedBy, lost };
}

function summarizeStep(
  o: RampOptions,
  target: number,
  stats: WorkerStats[],
  metrics: { sockets: number; loopLagP99Ms: number }[],
  x: { parleyCpuPercent: number[]; loadGenCpuPercent: number[]; rssKb: number[]; openFailed: number },
): StepResult {
  const sum = (f: (s: WorkerStats) => number) => stats.reduce((n, s) => n + f(s), 0);
  const d = summarize(stats.flatMap((s) => s.delivery));
  const c = {
    p50: Math.max(...stats.map((s) => s.connectMs.p50 || 0)),
    p99: Math.max(...stats.map((s) => s.connectMs.p99 || 0)),
  };
  const serverCloses: Record<string, number> = {};
  for (const s of stats)
    for (const [k, v] of Object.entries(s.serverCloses)) serverCloses[k] = (serverCloses[k] ?? 0) + v;
  const sockets = sum((s) => s.sockets);
  const step: StepResult = {
    sockets,
    perInstance: metrics.map((m) => m.sockets),
    connectedAtEnd: sum((s) => s.connected),
    connectFailures: sum((s) => s.connectFailures) + x.openFailed,
    connectMs: { p50: round(c.p50, 1), p99: round(c.p99, 1) },
    churned: sum((s) => s.churned),
    serverCloses,
    due: sum((s) => s.due),
    acked: sum((s) => s.acked),
    notSent: sum((s) => s.notSent),
    sendErrors: sum((s) => s.sendErrors),
    firstSendError: stats.find((s) => s.firstSendError)?.firstSendError,
    delivered: sum((s) => s.delivered),
    duplicates: sum((s) => s.duplicates),
    delivery: { p50: round(d.p50, 1), p90: round(d.p90, 1), p99: round(d.p99, 1), max: round(d.max, 1) },
    updates: sum((s) => s.updates),
    parleyCpuPercent: x.parleyCpuPercent,
    parleyLoopLagP99Ms: metrics.map((m) => round(m.loopLagP99Ms, 1)),
    rssMb: x.rssKb.map((r) => round(r / 1024, 0)),
    rssKb: x.rssKb,
    rssKbPerSocket: round(x.rssKb.reduce((n, r, i) => n + r - o.rssBaseKb[i], 0) / Math.max(1, sockets), 1),
    loadGenCpuPercent: x.loadGenCpuPercent,
    loadGenLoopDelayP99Ms: stats.map((s) => round(s.loopDelayP99Ms, 1)),
    loadAverage: os.loadavg().map((l) => round(l, 1)),
    overdue: sum((s) => s.overdue),
    keptUp: true,
    p99Ok: true,
    pass: true,
    machineBound: false,
    why: '',
    limitedBy: '—',
  };
  const problems: string[] = [];
  if (step.delivered < 20) problems.push(`too few deliveries to judge (${step.delivered})`);
  if (step.connectFailures)
    problems.push(
      `${step.connectFailures} connection attempts failed (${stats.find((s) => s.firstConnectError)?.firstConnectError})`,
    );
  if (step.sendErrors) problems.push(`${step.sendErrors} sends failed (${step.firstSendError})`);
  if (step.notSent) problems.push(`${step.notSent} sends not made (256 in flight)`);
  if (step.duplicates) problems.push(`${step.duplicates} duplicate deliveries`);
  if (step.overdue) problems.push(`${step.overdue} messages undelivered after 5 s (falling behind)`);
  if (step.connectedAtEnd < sockets * 0.99) problems.push(`only ${step.connectedAtEnd}/${sockets} sockets open`);
  step.keptUp = problems.length === 0;
  step.p99Ok = d.p99 <= o.p99LimitMs;
  if (!step.p99Ok) problems.unshift(`delivery p99 ${round(d.p99, 0)} ms > ${o.p99LimitMs} ms`);
  step.pass = step.keptUp && step.p99Ok;
  step.why = problems.join('; ');
  // A process is saturated when it uses (nearly) a whole core. An event loop that is late while its process
  // uses little CPU is waiting for a CPU: the machine (shared with PostgreSQL, Redis and other work) is the limit.
  const gen = step.loadGenCpuPercent.some((p) => p >= 85);
  const parley = step.parleyCpuPercent.some((p) => p >= 85);
  step.machineBound = !gen && !parley;
  step.limitedBy =
    gen && !parley
      ? 'the load generator, not parley'
      : parley && !gen
        ? 'parley (an instance uses a whole core)'
        : gen
          ? 'both parley and the load generator (each uses a whole core)'
          : `the machine: no process uses a whole core, event loops late (parley ${step.parleyLoopLagP99Ms.join('/')} ms, ` +
            `load generator ${step.loadGenLoopDelayP99Ms.join('/')} ms at p99) waiting for a CPU — load average ` +
            `${step.loadAverage[0]} on ${os.cpus().length} CPUs`;
  return step;
}
