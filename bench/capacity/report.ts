// The capacity run's console report: one table per ramp, then the figures the README quotes.
import { num, table } from '../lib/table.ts';
import type { StepResult } from './ramp.ts';

type Ramp = { steps: StepResult[]; stoppedBy: string; lost: number; rssBaseKb: number | number[] };

function rampTable(title: string, r: Ramp): string {
  const rows = r.steps.map((s) => [
    s.sockets,
    s.perInstance.join('/'),
    s.delivered,
    num(s.delivery.p50),
    num(s.delivery.p99),
    num(s.delivery.max),
    num(s.connectMs.p99),
    s.churned,
    s.connectFailures + s.sendErrors + s.notSent,
    s.parleyCpuPercent.join('/'),
    s.parleyLoopLagP99Ms.map((l) => num(l)).join('/'),
    s.rssMb.join('/'),
    num(s.rssKbPerSocket),
    s.loadGenCpuPercent.join('/'),
    s.loadGenLoopDelayP99Ms.map((l) => num(l)).join('/'),
    s.loadAverage[0],
    s.pass ? 'pass' : s.keptUp && s.machineBound ? 'p99 over (machine)' : 'STOP',
  ]);
  const stops = r.steps.filter((s) => !s.pass).map((s) => `  at ${s.sockets}: ${s.why} — limited by ${s.limitedBy}`);
  return [
    `\n${title}`,
    table(
      [
        'sockets',
        'per instance',
        'delivered',
        'p50 ms',
        'p99 ms',
        'max ms',
        'connect p99',
        'churned',
        'errors',
        'parley CPU %',
        'parley lag p99',
        'RSS MiB',
        'KiB/socket',
        'loadgen CPU %',
        'loadgen lag p99',
        'load 1m',
        '',
      ],
      rows,
    ),
    ...stops,
    `  ramp ended: ${r.stoppedBy}; messages lost over the ramp: ${r.lost}`,
  ].join('\n');
}

/** What each further socket costs: RSS growth between the ramp's first and last steps ÷ the sockets added (the
 * first step also pays the process's one-off growth, which the per-socket figure from the idle RSS includes). */
function marginal(r?: Ramp): string {
  const steps = r?.steps ?? [];
  if (steps.length < 2) return '— (needs two steps)';
  const [a, b] = [steps[0], steps.at(-1)!];
  const kb = (b.rssKb[0] - a.rssKb[0]) / (b.sockets - a.sockets);
  return `${num(kb)} KiB (${a.sockets} → ${b.sockets} sockets)`;
}

export function capacityReport(results: Record<string, any>, P: { windowMs: number; p99LimitMs: number }): string {
  const m = results.meta;
  const out: string[] = [
    `\nparley capacity — ${m.date}; ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryMb} MiB, node ${m.node}`,
    `load average at start ${m.loadAverageAtStart?.join(' ')}${m.loadAverageAtEnd ? `, at end ${m.loadAverageAtEnd.join(' ')}` : ''} ` +
      `(the machine is shared: a load above the CPU count means every figure here is lower than on an idle machine)`,
    `method: per socket 2 subscriptions (messageAdded(withUserId, after) + conversationUpdated), 1 message of 100 bytes ` +
      `a minute to its partner over HTTP (open loop, latency from when it was due), churn (each socket reconnects ` +
      `every ~5 min on average); steps of ${P.windowMs / 1000} s, until delivery p99 > ${P.p99LimitMs} ms.`,
  ];
  if (results.single) out.push(rampTable('ONE INSTANCE (direct, PostgreSQL + Redis)', results.single));
  if (results.cluster) out.push(rampTable('THREE INSTANCES BEHIND HAPROXY (same machine)', results.cluster));
  const best = (r?: Ramp) => r?.steps.filter((s) => s.pass).at(-1);
  const held = (r?: Ramp) => r?.steps.filter((s) => s.keptUp).at(-1);
  const heldRow = (r?: Ramp) => {
    const h = held(r);
    return h
      ? `${h.sockets}${h.perInstance.length > 1 ? ` (${h.perInstance.join('/')})` : ''}: delivery p50 ${num(h.delivery.p50)} ms, ` +
          `p99 ${num(h.delivery.p99)} ms, parley CPU ${h.parleyCpuPercent.join('/')} %, load average ${h.loadAverage[0]}`
      : 'none';
  };
  const one = best(results.single);
  const three = best(results.cluster);
  const perSocket = best(results.single) ?? held(results.single);
  out.push('\nSUMMARY');
  out.push(
    table(
      ['figure', 'value'],
      [
        [
          `one instance: largest socket count with delivery p99 ≤ ${P.p99LimitMs} ms`,
          one
            ? `${one.sockets} (p99 ${num(one.delivery.p99)} ms, load average ${one.loadAverage[0]})`
            : 'none on this machine now',
        ],
        ['one instance: largest held while keeping up (all delivered, no errors)', heldRow(results.single)],
        ['  the ramp ended', results.single?.stoppedBy ?? '—'],
        ['RSS per further socket (one instance, between its first and last steps)', marginal(results.single)],
        [
          'RSS per socket (RSS above the idle instance ÷ sockets)',
          perSocket ? `${num(perSocket.rssKbPerSocket)} KiB at ${perSocket.sockets} sockets` : '—',
        ],
        [
          `3 instances behind HAProxy: largest total with p99 ≤ ${P.p99LimitMs} ms`,
          three
            ? `${three.sockets} (${three.perInstance.join('/')}; p99 ${num(three.delivery.p99)} ms)`
            : 'none on this machine now',
        ],
        ['3 instances: largest total held while keeping up', heldRow(results.cluster)],
        ['  the ramp ended', results.cluster?.stoppedBy ?? '—'],
        [
          'messages lost (acknowledged, never delivered)',
          `${results.single?.lost ?? '—'} / ${results.cluster?.lost ?? '—'}`,
        ],
      ],
    ),
  );
  return out.join('\n');
}
