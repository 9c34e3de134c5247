// Issue #22's benchmark (`npm run bench:account`): the retention sweep and the data export, on PostgreSQL.
//
// 1. Retention: M messages older than MESSAGE_RETENTION_DAYS are seeded with SQL (spread over 100 conversations);
//    8 closed-loop senders send for T seconds to their own recipients without a sweep (baseline), then parley is
//    restarted with MESSAGE_RETENTION_DAYS=30 — its sweep starts a second later — and the same senders send for T
//    seconds while it runs. Reported: send p50/p99 both ways and their ratio (issue: p99 within 1.2×), how many
//    messages the sweep had removed by the end of the window and how long the whole sweep took (or, after S seconds,
//    how far it got: `finished` false).
// 2. Export: one user with N messages (one conversation, seeded with SQL); GET /export is read to the end.
//    Reported: time, bytes, and parley's RSS before and at its peak while it streamed (sampled every 50 ms).
//
//   npm run bench:account -- [--quick] [--messages M] [--export-messages N] [--seconds T] [--max-sweep-seconds S]
// Full: M = 1,000,000, N = 1,000,000, T = 10. Quick: M = 100,000, N = 100,000, T = 5.
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  connect,
  createDatabase,
  dropDatabase,
  insertUsers,
  seedConversation,
  settle,
  tokenMinter,
  uniqueDatabaseName,
  withDatabase,
} from './lib/db.ts';
import { createGqlHttpClient } from './lib/gql-http.ts';
import { SEND, SIGN_UP } from './lib/ops.ts';
import { startParley, stopAll, type ServerProc } from './lib/procs.ts';
import { round, summarize } from './lib/stats.ts';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = flag('quick');
const OLD = Number(option('messages') ?? (quick ? 100_000 : 1_000_000));
const EXPORTED = Number(option('export-messages') ?? (quick ? 100_000 : 1_000_000));
const SECONDS = Number(option('seconds') ?? (quick ? 5 : 10));
// How long to wait for the whole sweep after the window (default: until it is done); the rate is reported either way.
const MAX_SWEEP_SECONDS = Number(option('max-sweep-seconds') ?? Infinity);
const SENDERS = 8;
const CONVERSATIONS = 100;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const adminUrl =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const jwtSecret = randomBytes(36).toString('base64url');

async function sendLoop(url: string, tokens: string[], to: string[], seconds: number) {
  const client = createGqlHttpClient(url, SENDERS * 2);
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    tokens.map(async (token, i) => {
      while (performance.now() < until) {
        const t0 = performance.now();
        const r = await client.request(
          SEND,
          { to: to[i], text: 'bench send', cid: randomBytes(8).toString('hex') },
          token,
        );
        if (r.errors?.length) errors += 1;
        else latencies.push(performance.now() - t0);
      }
    }),
  );
  client.close();
  const s = summarize(latencies);
  return { sends: s.n, perSecond: round(s.n / seconds, 1), p50: round(s.p50), p99: round(s.p99), errors };
}

/** Reads GET /export to its end: time, bytes, and the server's RSS (KiB) sampled meanwhile. */
function download(server: ServerProc, token: string): Promise<{ ms: number; bytes: number; peakRssKb: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let peak = server.rssKb();
    const sampler = setInterval(() => (peak = Math.max(peak, server.rssKb())), 50);
    const url = new URL('/export', server.url);
    http
      .get(
        { host: url.hostname, port: url.port, path: url.pathname, headers: { authorization: `Bearer ${token}` } },
        (res) => {
          let bytes = 0;
          res.on('data', (chunk: Buffer) => (bytes += chunk.length));
          res.on('end', () => {
            clearInterval(sampler);
            if (res.statusCode !== 200) return reject(new Error(`export: HTTP ${res.statusCode}`));
            resolve({ ms: round(performance.now() - started, 0), bytes, peakRssKb: peak });
          });
          res.on('error', reject);
        },
      )
      .on('error', reject);
  });
}

async function main() {
  const name = uniqueDatabaseName();
  const dbUrl = withDatabase(adminUrl, name);
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), 'parley-bench-account-'));
  await createDatabase(adminUrl, name);
  const db = await connect(dbUrl);
  const start = (label: string, env: Record<string, string> = {}) => {
    Object.assign(process.env, env); // startParley passes the environment on (baseEnv)
    return startParley({
      name: label,
      parleyDir: ROOT,
      databaseUrl: dbUrl,
      jwtSecret,
      tmpDir,
      logFile: path.join(tmpDir, `${label}.log`),
    });
  };
  const results: Record<string, unknown> = { quick, oldMessages: OLD, exportMessages: EXPORTED, seconds: SECONDS };
  try {
    let parley = await start('parley-seed');
    const client = createGqlHttpClient(parley.url);
    const signUp = await client.request(SIGN_UP, { u: `bench_${randomBytes(3).toString('hex')}`, p: 'bench password' });
    client.close();
    const mint = tokenMinter(signUp.data.signUp.token, jwtSecret, db);
    const senders = await insertUsers(db, 'sender', SENDERS);
    const recipients = await insertUsers(db, 'recipient', SENDERS);
    const tokens: string[] = [];
    for (const sender of senders) tokens.push(await mint(sender)); // one client: one query at a time

    // Old messages: CONVERSATIONS conversations between other users, 40 days old, unread, in three statements.
    console.log(`seeding ${OLD.toLocaleString()} old messages…`);
    const olds = await insertUsers(db, 'old', CONVERSATIONS + 1);
    const per = Math.ceil(OLD / CONVERSATIONS);
    await db.query(
      `INSERT INTO "Conversation" ("id", "userLowId", "userHighId", "lastSeq", "lastMessageAt")
       SELECT gen_random_uuid(), LEAST($1::uuid, p), GREATEST($1::uuid, p), $2::int, now() - interval '40 days'
       FROM unnest($3::uuid[]) p`,
      [olds[0], per, olds.slice(1)],
    );
    await db.query(
      `INSERT INTO "Message" ("id", "conversationId", "seq", "senderId", "recipientId", "content", "createdAt")
       SELECT gen_random_uuid(), c."id", g,
         CASE WHEN g % 2 = 0 THEN c."userLowId" ELSE c."userHighId" END,
         CASE WHEN g % 2 = 0 THEN c."userHighId" ELSE c."userLowId" END,
         'an old message number ' || g, now() - interval '40 days' - make_interval(secs => $2::int - g)
       FROM "Conversation" c CROSS JOIN generate_series(1, $2::int) g
       WHERE $1::uuid IN (c."userLowId", c."userHighId")`,
      [olds[0], per],
    );
    await db.query(
      `INSERT INTO "Membership" ("conversationId", "userId", "unreadCount", "lastReadSeq", "lastActivityAt")
       SELECT c."id", u, $2::int / 2, 0, c."lastMessageAt"
       FROM "Conversation" c CROSS JOIN LATERAL unnest(ARRAY[c."userLowId", c."userHighId"]) u
       WHERE $1::uuid IN (c."userLowId", c."userHighId")`,
      [olds[0], per],
    );
    await settle(db, ['Message', 'Membership', 'Conversation']);
    await parley.stop();

    // Baseline, then the same load during the sweep.
    parley = await start('parley-baseline');
    results.baseline = await sendLoop(parley.url, tokens, recipients, SECONDS);
    await parley.stop();
    const sweepStarted = performance.now();
    parley = await start('parley-retention', { MESSAGE_RETENTION_DAYS: '30', RETENTION_SWEEP_INTERVAL: '24h' });
    await sleep(1_200); // the sweep starts a second after start
    const during = await sendLoop(parley.url, tokens, recipients, SECONDS);
    const left = async () =>
      Number(
        (await db.query(`SELECT count(*) FROM "Message" WHERE "createdAt" < now() - interval '30 days'`)).rows[0].count,
      );
    const leftAtEnd = await left();
    let leftNow = leftAtEnd;
    while (leftNow > 0 && performance.now() - sweepStarted < MAX_SWEEP_SECONDS * 1000) {
      await sleep(500);
      leftNow = await left();
    }
    const sweepMs = performance.now() - sweepStarted;
    await parley.stop();
    const baseline = results.baseline as { p99: number; p50: number };
    results.duringSweep = { ...during, removedDuringWindow: OLD - leftAtEnd };
    results.sweep = {
      removed: OLD - leftNow,
      finished: leftNow === 0,
      seconds: round(sweepMs / 1000, 1),
      perSecond: round((OLD - leftNow) / (sweepMs / 1000), 0),
    };
    results.p99Ratio = round(during.p99 / baseline.p99, 2);
    results.p50Ratio = round(during.p50 / baseline.p50, 2);

    // Export.
    console.log(`seeding ${EXPORTED.toLocaleString()} messages to export…`);
    const [owner, peer] = await insertUsers(db, 'exporter', 2);
    const conversation = await seedConversation(db, owner, peer, EXPORTED);
    await db.query(
      `INSERT INTO "Membership" ("conversationId", "userId", "unreadCount", "lastReadSeq", "lastActivityAt")
       SELECT $1, u, 0, $2::int, now() FROM unnest(ARRAY[$3::uuid, $4::uuid]) u`,
      [conversation, EXPORTED, owner, peer],
    );
    const ownerToken = await mint(owner);
    parley = await start('parley-export', { MESSAGE_RETENTION_DAYS: '' });
    await sleep(1_000);
    const idleRssKb = parley.rssKb();
    const exported = await download(parley, ownerToken);
    results.export = {
      messages: EXPORTED,
      seconds: round(exported.ms / 1000, 1),
      megabytes: round(exported.bytes / 1024 / 1024, 1),
      messagesPerSecond: round(EXPORTED / (exported.ms / 1000), 0),
      rssBeforeMiB: round(idleRssKb / 1024, 1),
      peakRssMiB: round(exported.peakRssKb / 1024, 1),
    };
    await parley.stop();
  } finally {
    await stopAll();
    await db.end();
    await dropDatabase(adminUrl, name);
  }
  console.log(JSON.stringify(results, null, 2));
  const out = path.join(ROOT, 'bench', 'results');
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, `account-${quick ? 'quick' : 'full'}.json`), JSON.stringify(results, null, 2) + '\n');
}

main().then(
  () => process.exit(0),
  async (err) => {
    console.error(err);
    await stopAll();
    process.exit(1);
  },
);
