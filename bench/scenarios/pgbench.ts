// The sends ceiling: parley's own send statement (the `SEND` of api/src/chat/send.ts in the checkout under test,
// imported, not copied) run by pgbench — a C client, prepared statements, no server in between — at the same
// concurrencies as the sends scenario. The target is parley sends/s ≥ 0.5 × this.
//
// Invariants: the statement text is parley's, with its parameters as pgbench variables; each pgbench client sends
// in a conversation of its own (like each bench sender), from and to users the bench inserted with ids pgbench can
// derive from an integer (`lpad(to_hex(k), 32, '0')::uuid`: k = 2c + 1 sends to k + 1, so the sender is the
// pair's low id); every transaction carries a fresh random clientMessageId (63-bit). Latencies come from pgbench's
// per-transaction log.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type pg from 'pg';
import { summarize, type Summary } from '../lib/stats.ts';

const run = promisify(execFile);

export const PGBENCH = process.env.PGBENCH ?? '/usr/bin/pgbench';

/** parley's ids: a derived uuid for integer variable `v` (pgbench variables are integers or strings from -D). */
const uuidOf = (v: string) => `lpad(to_hex(:${v}::bigint), 32, '0')::uuid`;

/** $n of parley's SEND ($1 sender, $2 recipient, $3 clientMessageId, $4 content, $5/$6 the participant key). */
const PARAMS: Record<string, string> = {
  $1: uuidOf('sender'),
  $2: uuidOf('recipient'),
  $3: ':cid',
  $4: ':content',
  $5: uuidOf('sender'),
  $6: uuidOf('recipient'),
};

export type PgbenchSetup = { script: string; statementName: string } | { unavailable: string };

/** Writes the script and inserts the users it sends between; `unavailable` says why pgbench cannot run. */
export async function setupPgbench(
  db: pg.Client,
  parleyDir: string,
  maxClients: number,
  dir: string,
): Promise<PgbenchSetup> {
  if (!existsSync(PGBENCH)) return { unavailable: `${PGBENCH} not found (set PGBENCH)` };
  const sendModule = path.join(parleyDir, 'api', 'src', 'chat', 'send.ts');
  let send: { name: string; text: string } | undefined;
  try {
    send = (await import(pathToFileURL(sendModule).href)).SEND;
  } catch (err) {
    return { unavailable: `cannot import ${sendModule}: ${(err as Error).message}` };
  }
  if (!send?.text) return { unavailable: `${sendModule} exports no SEND statement` };
  // One line: pgbench reads a statement up to the semicolon (or end of line without one, before PG 14).
  const text = send.text.replace(/\$([1-6])\b/g, (m) => `(${PARAMS[m]})`).replace(/\s+/g, ' ');
  if (/\$\d/.test(text)) return { unavailable: `${send.name} has parameters beyond $6; the bench maps only $1–$6` };
  const script = path.join(dir, 'parley-send.pgbench');
  writeFileSync(
    script,
    [
      "-- parley's send (api/src/chat/send.ts SEND), one per transaction: client c sends from user 2c+1 to 2c+2",
      '\\set sender 2 * :client_id + 1',
      '\\set recipient 2 * :client_id + 2',
      '\\set cid random(1, 9000000000000000000)',
      `${text};`,
      '',
    ].join('\n'),
  );
  await db.query(
    `INSERT INTO "User" ("id", "username", "displayName", "passwordHash")
     SELECT lpad(to_hex(k), 32, '0')::uuid, 'pgb_' || k, 'pgbench ' || k, 'bench: no password'
     FROM generate_series(1, $1::int) k`,
    [2 * maxClients],
  );
  return { script, statementName: send.name };
}

export type PgbenchResult = {
  clients: number;
  tps: number;
  transactions: number;
  failed: number;
  latency: Summary;
  error?: string;
};

/** One pgbench run: `durationMs` (-T) or `transactions` per client (-t); latencies from its -l log. */
export async function runPgbench(a: {
  databaseUrl: string;
  script: string;
  clients: number;
  durationMs?: number;
  transactions?: number;
  logDir: string;
  content: string;
}): Promise<PgbenchResult> {
  const prefix = `pgbench-${a.clients}-${Date.now()}`;
  const args = [
    '-n',
    '-M',
    'prepared', // parley's statements are named (prepared once per pooled connection)
    '-c',
    String(a.clients),
    '-j',
    String(Math.min(2, a.clients)),
    ...(a.transactions
      ? ['-t', String(a.transactions)]
      : ['-T', String(Math.max(1, Math.round((a.durationMs ?? 1000) / 1000)))]),
    '-D',
    `content=${a.content}`,
    '-f',
    a.script,
    '-l',
    `--log-prefix=${path.join(a.logDir, prefix)}`,
    a.databaseUrl,
  ];
  let stdout = '';
  let error: string | undefined;
  try {
    ({ stdout } = await run(PGBENCH, args, { cwd: a.logDir, maxBuffer: 16 * 2 ** 20 }));
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    stdout = e.stdout ?? '';
    error = (e.stderr || e.message).trim().split('\n').slice(-3).join(' | ');
  }
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1] ?? NaN);
  const transactions = Number(/number of transactions actually processed: (\d+)/.exec(stdout)?.[1] ?? 0);
  const failed = Number(/number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? 0);
  // Log lines: client_id transaction_no time_us script_no epoch epoch_us (time in microseconds).
  const latencies: number[] = [];
  for (const f of readdirSync(a.logDir).filter((f) => f.startsWith(`${prefix}.`))) {
    for (const line of readFileSync(path.join(a.logDir, f), 'utf8').split('\n')) {
      const us = Number(line.split(' ')[2]);
      if (line && Number.isFinite(us)) latencies.push(us / 1000);
    }
  }
  return { clients: a.clients, tps, transactions, failed, latency: summarize(latencies), error };
}
