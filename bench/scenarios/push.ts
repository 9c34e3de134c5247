// Web Push (issue #21): N recipients, each with a push subscription on a push service on loopback (the tests' own
// receiver, api/test/support/push-receiver.ts: it verifies every VAPID JWT and decrypts every payload, as a push
// service and a browser would). Sends rotate over the recipients (8 senders), with push on, then with push off (the
// trigger that enqueues pushes dropped, as PUSH=off does; the workers stay up), then the trigger back. Reported:
// sends/s both ways and their ratio (target ≥ 0.9×), and for every push the time from the message's createdAt (the
// send statement's clock) to the push request's arrival at the push service: p50, p99, max.
import type pg from 'pg';
import type { RunResult, Sender } from '../load.ts';
import { startPushReceiver } from '../../api/test/support/push-receiver.ts';
import { insertUsers } from '../lib/db.ts';
import { cpuMsOf, cpuMsOfTree } from '../lib/procs.ts';
import { percentile, round } from '../lib/stats.ts';
import { num, ratio, table, times } from '../lib/table.ts';

export const TARGET_PUSH_RATIO = 0.9;
const SENDERS = 8;
const REGISTER = `mutation($e: String!, $p: String!, $a: String!) { registerPushSubscription(endpoint: $e, p256dh: $p, auth: $a) }`;
const TRIGGER = `CREATE OR REPLACE TRIGGER parley_push AFTER INSERT ON "Message" FOR EACH ROW EXECUTE FUNCTION parley_push_enqueue()`;

export type PushOptions = {
  db: pg.Client;
  url: string;
  mint: (userId: string) => Promise<string>;
  load: { call<T>(cmd: string, args: unknown): Promise<T>; pid: number };
  /** parley's process: its CPU time per send is reported beside PostgreSQL's. */
  parleyPid: number;
  recipients: number;
  concurrency: number;
  warmMs: number;
  sendMs?: number;
  sendCount?: number;
  check: (name: string, ok: boolean, detail?: string) => void;
  step: (msg: string) => void;
};

async function gql(url: string, query: string, variables: object, token: string) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: any; errors?: unknown[] };
}

/** CPU time (ms) so far of parley, of this database's PostgreSQL backends, of the load generator and of this process
 * (the push receiver, which answers at once and checks later). */
async function cpu(o: PushOptions) {
  const { rows } = await o.db.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  );
  const safe = (pid: number) => {
    try {
      return cpuMsOf(pid);
    } catch {
      return 0; // a backend that ended meanwhile
    }
  };
  const own = process.cpuUsage();
  return {
    parley: cpuMsOfTree(o.parleyPid), // with its push worker process
    postgres: new Map(rows.map((r) => [r.pid, safe(r.pid)])),
    load: safe(o.load.pid),
    receiver: (own.user + own.system) / 1000,
  };
}
type Cpu = Awaited<ReturnType<typeof cpu>>;
/** CPU ms per send between two snapshots (a backend that ended in between is missed: the pools keep theirs). */
const perSend = (a: Cpu, b: Cpu, sends: number) => {
  let postgres = 0;
  for (const [pid, ms] of b.postgres) postgres += ms - (a.postgres.get(pid) ?? 0);
  const per = (ms: number) => round(ms / sends, 3);
  return {
    parley: per(b.parley - a.parley),
    postgres: per(postgres),
    load: per(b.load - a.load),
    receiver: per(b.receiver - a.receiver),
  };
};

export async function runPush(o: PushOptions) {
  const receiver = await startPushReceiver({ deferChecks: true });
  try {
    const { rows } = await o.db.query<{ on: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'parley_push') AS "on"`,
    );
    o.check('push: the server runs with push on (its trigger exists)', rows[0].on);
    if (!rows[0].on) return null;
    const senders = await insertUsers(o.db, 'ps', SENDERS);
    const recipients = await insertUsers(o.db, 'pr', o.recipients);
    const senderTokens = await Promise.all(senders.map((id) => o.mint(id)));
    o.step(`push: registering ${o.recipients} subscriptions`);
    let registered = 0;
    for (let i = 0; i < recipients.length; i += 50) {
      const batch = recipients.slice(i, i + 50);
      const answers = await Promise.all(
        batch.map(async (id) => {
          const s = receiver.subscribe();
          return gql(o.url, REGISTER, { e: s.endpoint, p: s.p256dh, a: s.auth }, await o.mint(id));
        }),
      );
      registered += answers.filter((a) => a.data?.registerPushSubscription === true).length;
    }
    o.check('push: every subscription registered', registered === o.recipients, `${registered}/${o.recipients}`);
    const list: Sender[] = recipients.map((recipientId, k) => ({
      token: senderTokens[k % SENDERS],
      senderId: senders[k % SENDERS],
      recipientId,
    }));
    const sendRun = (durationMs?: number, count?: number) =>
      o.load.call<RunResult>('sends', {
        target: { kind: 'graphql', url: o.url },
        senders: list,
        rotate: true,
        concurrency: o.concurrency,
        durationMs,
        count,
      });
    // Waits for the pushes, then verifies and decrypts them (after the timed window).
    const drain = async (expected: number) => {
      const deadline = Date.now() + 60_000;
      while (receiver.arrivals() < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      receiver.check();
    };

    if (o.warmMs) {
      const warm = await sendRun(o.warmMs);
      await drain(warm.ok);
    }
    const before = receiver.accepted.length;
    const since = new Date();
    const cpu0 = await cpu(o);
    const on = await sendRun(o.sendMs, o.sendCount);
    const cpu1 = await cpu(o);
    await drain(before + on.ok);
    // The pushes still queued when the sends stopped were part of the work: counted up to the last push.
    const cpu2 = await cpu(o);
    const pushes = receiver.accepted.slice(before);
    // The latency of each push: from the message's createdAt to the push request's arrival.
    const { rows: created } = await o.db.query<{ id: string; at: Date }>(
      `SELECT "id", "createdAt" AS "at" FROM "Message" WHERE "senderId" = ANY($1::uuid[]) AND "createdAt" >= $2`,
      [senders, since],
    );
    const createdAt = new Map(created.map((r) => [r.id, r.at.getTime()]));
    const lat = pushes.flatMap((p) =>
      createdAt.has(p.payload.messageId) ? [p.at - createdAt.get(p.payload.messageId)!] : [],
    );
    const ids = pushes.map((p) => p.payload.messageId as string);
    o.check(
      'push: every message sent with push on was pushed once',
      new Set(ids).size === ids.length &&
        ids.length === on.ok &&
        lat.length === on.ok &&
        receiver.rejected.length === 0,
      `${ids.length} pushes (${new Set(ids).size} distinct) for ${on.ok} sends; ${receiver.rejected.length} rejected`,
    );

    await o.db.query(`DROP TRIGGER parley_push ON "Message"`);
    let off: RunResult;
    let cpu3: Cpu, cpu4: Cpu;
    try {
      cpu3 = await cpu(o);
      off = await sendRun(o.sendMs, o.sendCount);
      cpu4 = await cpu(o);
    } finally {
      await o.db.query(TRIGGER);
    }
    o.check(
      'push: sends with push on and off, no errors',
      on.errors === 0 && off.errors === 0 && on.ok > 0 && off.ok > 0,
      `${on.errors} + ${off.errors} errors`,
    );
    const sorted = [...lat].sort((a, b) => a - b);
    const r = ratio(on.perSecond, off.perSecond);
    o.step(
      `push: sends/s on ${num(on.perSecond)}, off ${num(off.perSecond)}; push p99 ${num(percentile(sorted, 99))} ms`,
    );
    return {
      recipients: o.recipients,
      concurrency: o.concurrency,
      on: { perSecond: round(on.perSecond, 1), p50: round(on.latency.p50, 3), p99: round(on.latency.p99, 3) },
      off: { perSecond: round(off.perSecond, 1), p50: round(off.latency.p50, 3), p99: round(off.latency.p99, 3) },
      ratio: r === null ? null : round(r, 3),
      cpuMsPerSend: {
        on: perSend(cpu0, cpu2, on.ok),
        onDuringSends: perSend(cpu0, cpu1, on.ok),
        off: perSend(cpu3, cpu4, off.ok),
      },
      pushes: ids.length,
      pushLatencyMs: {
        p50: round(percentile(sorted, 50), 1),
        p99: round(percentile(sorted, 99), 1),
        max: round(sorted.at(-1) ?? 0, 1),
      },
      pass: r !== null && r >= TARGET_PUSH_RATIO,
    };
  } finally {
    await receiver.close();
  }
}

export function pushReport(r: NonNullable<Awaited<ReturnType<typeof runPush>>>, timed: boolean): string {
  return [
    `\nPUSH (${r.recipients.toLocaleString('en')} recipients with a subscription each; ${r.concurrency} senders rotating over them; push service on loopback)`,
    table(
      ['push', 'sends/s', 'p50 ms', 'p99 ms'],
      [
        ['on', num(r.on.perSecond), num(r.on.p50), num(r.on.p99)],
        ['off', num(r.off.perSecond), num(r.off.p50), num(r.off.p99)],
      ],
    ),
    `sends/s with push on over off: ${times(r.ratio)} (target ≥ ${TARGET_PUSH_RATIO}×)`,
    `CPU ms per send (push on counted until the last push arrived):`,
    table(
      ['push', 'parley', 'PostgreSQL', 'load generator', 'receiver'],
      (['on', 'off'] as const).map((k) => {
        const c = r.cpuMsPerSend[k];
        return [k, num(c.parley), num(c.postgres), num(c.load), num(c.receiver)];
      }),
    ),
    `message stored → push request (${r.pushes} pushes): p50 ${num(r.pushLatencyMs.p50)} ms, p99 ${num(r.pushLatencyMs.p99)} ms, max ${num(r.pushLatencyMs.max)} ms`,
    timed
      ? `target (sends ≥ ${TARGET_PUSH_RATIO}× with push on): ${r.pass ? 'PASS' : 'FAIL'}`
      : 'targets not judged in a smoke run',
  ].join('\n');
}
