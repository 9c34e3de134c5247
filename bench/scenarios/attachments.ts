// Attachments (issue #19): "in S3 mode the parley process's CPU and memory do not grow with file size; in embedded
// mode 10 parallel 25 MB uploads add < 30 MB to RSS; a history page with attachments costs within 1.2× of a text
// page". Each part on a parley of its own (started here, on the run's database), sampled from /proc:
//  - embedded: the bytes stream through parley to DATA_DIR/uploads. RSS settled before, then sampled every 10 ms
//    while P uploads of S bytes (createUpload, then the presigned POSTs all at once) go through; peak − before.
//  - S3 (s3rver in this process, as api/test/attachments-s3.test.ts uses it): the bytes go from the client straight
//    to the bucket. For 1 MB and for S, N uploads each (createUpload, POST to s3rver, sendMessage attaching it: the
//    HEAD and the sniff of the first bytes): parley's CPU time (utime + stime) per upload and its RSS peak − before.
//  - history: on each of the two parleys, `chatHistory(last: 50)` in a conversation whose every message carries 2
//    attachments and in one of plain text (same text), alternated, R requests each: p50/p95 and their ratios.
// Smoke: tiny sizes (pages of 5), sanity only (every upload stored, every page full, RSS and CPU read), never timings.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import S3rver from '@20minutes/s3rver';
import { insertUsers } from '../lib/db.ts';
import { startParley, type ServerProc } from '../lib/procs.ts';
import { median, round, summarize } from '../lib/stats.ts';
import { num, ratio, table, times } from '../lib/table.ts';

const MB = 1024 * 1024;
export const TARGET_EMBEDDED_RSS_MB = 30;
export const TARGET_HISTORY_RATIO = 1.2;

export type AttachmentsOptions = {
  db: pg.Client;
  databaseUrl: string;
  parleyDir: string;
  jwtSecret: string;
  mode: 'full' | 'quick' | 'smoke';
  mint: (userId: string) => Promise<string>;
  check: (name: string, ok: boolean, detail?: string) => void;
  step: (msg: string) => void;
};

const SIZES = {
  full: { parallel: 10, big: 25 * MB, small: 1 * MB, s3Uploads: 10, messages: 50, requests: 1000 },
  quick: { parallel: 10, big: 25 * MB, small: 1 * MB, s3Uploads: 5, messages: 50, requests: 60 },
  // A page of 5 (not 50): seeding 50 messages with files takes a while on a loaded machine.
  smoke: { parallel: 2, big: 256 * 1024, small: 16 * 1024, s3Uploads: 2, messages: 5, requests: 3 },
};

const CREATE = `mutation($f: String!, $t: String!, $n: Int!) {
  createUpload(filename: $f, contentType: $t, byteSize: $n) { id url fields { name value } }
}`;
const SEND = `mutation($to: ID!, $text: String!, $ids: [ID!]) {
  sendMessage(recipientId: $to, content: $text, attachmentIds: $ids) { id attachments { id } }
}`;
/** The web app's page: the message's fields with its attachments' (URLs signed per request). */
const PAGE = `query($with: ID!, $last: Int!) { chatHistory(withUserId: $with, last: $last) {
  edges { cursor node { id content createdAt readAt editedAt deletedAt sender { id displayName }
    attachments { id filename contentType byteSize url width height thumbnailUrl } } }
  pageInfo { hasPreviousPage startCursor } } }`;

type Upload = { id: string; url: string; fields: { name: string; value: string }[] };

/** A PDF of exactly `size` bytes (what parley sniffs is its header). */
function pdf(size: number): Uint8Array<ArrayBuffer> {
  const head = Buffer.from('%PDF-1.4\n');
  const tail = Buffer.from('\n%%EOF\n');
  return new Uint8Array(Buffer.concat([head, Buffer.alloc(size - head.length - tail.length, 'x'), tail]));
}

async function gql(url: string, query: string, variables: object, token: string) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`GraphQL: ${body.errors[0].message}`);
  return body.data;
}

async function upload(url: string, token: string, bytes: Uint8Array<ArrayBuffer>, name = 'file.pdf'): Promise<string> {
  const u = (await gql(url, CREATE, { f: name, t: 'application/pdf', n: bytes.length }, token)).createUpload as Upload;
  const form = new FormData();
  for (const { name: field, value } of u.fields) form.append(field, value);
  form.append('file', new Blob([bytes], { type: 'application/pdf' }), name);
  const res = await fetch(new URL(u.url, url), { method: 'POST', body: form });
  await res.arrayBuffer();
  if (res.status >= 300) throw new Error(`upload POST answered ${res.status}`);
  return u.id;
}

/** RSS (KiB) sampled every 10 ms while `work` runs: the peak. */
async function peakRss(server: ServerProc, work: () => Promise<unknown>): Promise<number> {
  let peak = server.rssKb();
  const timer = setInterval(() => (peak = Math.max(peak, server.rssKb())), 10);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, server.rssKb());
}

async function settledRss(server: ServerProc, smoke: boolean): Promise<number> {
  await sleep(smoke ? 200 : 2_000);
  const samples: number[] = [];
  for (let i = 0; i < 5; i++, await sleep(100)) samples.push(server.rssKb());
  return median(samples);
}

type Reader = {
  reader: string;
  readerToken: string;
  withFiles: string;
  withFilesToken: string;
  plain: string;
  plainToken: string;
};

async function users(o: AttachmentsOptions, [reader, withFiles, plain]: string[]): Promise<Reader> {
  const [readerToken, withFilesToken, plainToken] = await Promise.all([reader, withFiles, plain].map(o.mint));
  return { reader, readerToken, withFiles, withFilesToken, plain, plainToken };
}

/**
 * `chatHistory(last: 50)` (smoke: 5) of one reader in two conversations of as many messages with the same text: in one every
 * message carries 2 attachments (tiny PDFs, uploaded and attached through the API), in the other none. Alternated
 * request by request (each first half of the time): both see the same moments of the machine.
 */
async function historyPages(o: AttachmentsOptions, z: (typeof SIZES)['full'], url: string, mode: string, u: Reader) {
  o.step(`attachments ${mode}: seeding ${z.messages} messages with 2 attachments each, and ${z.messages} without`);
  const tiny = pdf(2048);
  for (let i = 0; i < z.messages; i++) {
    const ids = [
      await upload(url, u.withFilesToken, tiny, 'a.pdf'),
      await upload(url, u.withFilesToken, tiny, 'b.pdf'),
    ];
    await gql(url, SEND, { to: u.reader, text: `Message ${i} with its files`, ids }, u.withFilesToken);
    await gql(url, SEND, { to: u.reader, text: `Message ${i} with its files`, ids: [] }, u.plainToken);
  }
  const took = { files: [] as number[], text: [] as number[] };
  let full = true;
  const page = async (peer: string, into: number[]) => {
    const t = performance.now();
    const data = await gql(url, PAGE, { with: peer, last: z.messages }, u.readerToken);
    into.push(performance.now() - t);
    return data.chatHistory.edges as { node: { attachments: unknown[] } }[];
  };
  for (let i = 0; i < 5; i++) await Promise.all([page(u.withFiles, []), page(u.plain, [])]); // warm
  for (let i = 0; i < z.requests; i++) {
    const plainFirst = i % 2 === 1 ? await page(u.plain, took.text) : null;
    const withFiles = await page(u.withFiles, took.files);
    const plain = plainFirst ?? (await page(u.plain, took.text));
    full &&= withFiles.length === z.messages && withFiles.every((e) => e.node.attachments.length === 2);
    full &&= plain.length === z.messages && plain.every((e) => e.node.attachments.length === 0);
  }
  o.check(`attachments history ${mode}: full pages, every message of the one with its 2 attachments`, full);
  const files = summarize(took.files);
  const text = summarize(took.text);
  return {
    messages: z.messages,
    requests: z.requests,
    files: { p50: round(files.p50, 2), p95: round(files.p95, 2) },
    text: { p50: round(text.p50, 2), p95: round(text.p95, 2) },
    p50Ratio: round(files.p50 / text.p50, 3),
    p95Ratio: round(files.p95 / text.p95, 3),
  };
}

export async function runAttachments(o: AttachmentsOptions) {
  const z = SIZES[o.mode];
  const smoke = o.mode === 'smoke';
  const dirs: string[] = [];
  const tmp = (prefix: string) => {
    const d = mkdtempSync(path.join(os.tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
  const [alice, bob] = await insertUsers(o.db, 'att', 2);
  const token = await o.mint(alice);
  const env = { UPLOAD_BYTES_PER_DAY: String(2 ** 31 - 1), MAX_UPLOAD_BYTES: String(z.big) };
  const servers: ServerProc[] = [];
  let s3rver: S3rver | null = null;
  try {
    // ── embedded ──
    o.step(`attachments: embedded store, ${z.parallel} parallel uploads of ${num(z.big / MB)} MB`);
    const embeddedDir = tmp('parley-bench-att-');
    const embedded = await startParley({
      name: 'parley-embedded',
      parleyDir: o.parleyDir,
      databaseUrl: o.databaseUrl,
      jwtSecret: o.jwtSecret,
      tmpDir: embeddedDir,
      logFile: path.join(embeddedDir, 'parley.log'),
      env,
    });
    servers.push(embedded);
    await upload(embedded.url, token, pdf(64 * 1024)); // warm: the paths loaded once
    const big = pdf(z.big);
    const before = await settledRss(embedded, smoke);
    const started = performance.now();
    let stored = 0;
    const peak = await peakRss(embedded, () =>
      Promise.all(Array.from({ length: z.parallel }, () => upload(embedded.url, token, big).then(() => stored++))),
    );
    const embeddedResult = {
      parallel: z.parallel,
      bytes: z.big,
      ms: round(performance.now() - started, 0),
      rssBeforeMb: round(before / 1024, 1),
      rssPeakMb: round(peak / 1024, 1),
      addedMb: round((peak - before) / 1024, 1),
      pass: (peak - before) / 1024 < TARGET_EMBEDDED_RSS_MB,
    };
    o.check('attachments embedded: every parallel upload stored', stored === z.parallel, `${stored}/${z.parallel}`);
    o.check('attachments embedded: RSS read', before > 0 && peak >= before, `${before} → ${peak} KiB`);
    o.step(`attachments embedded: RSS ${embeddedResult.rssBeforeMb} → peak ${embeddedResult.rssPeakMb} MB`);
    const embeddedHistory = await historyPages(
      o,
      z,
      embedded.url,
      'embedded',
      await users(o, await insertUsers(o.db, 'ate', 3)),
    );
    await embedded.stop();

    // ── S3 ──
    const bucketDir = tmp('parley-bench-s3rver-');
    s3rver = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: bucketDir,
      configureBuckets: [{ name: 'parley-bench' }],
    });
    const { port } = (await s3rver.run()) as AddressInfo;
    const s3Dir = tmp('parley-bench-att-s3-');
    const s3 = await startParley({
      name: 'parley-s3',
      parleyDir: o.parleyDir,
      databaseUrl: o.databaseUrl,
      jwtSecret: o.jwtSecret,
      tmpDir: s3Dir,
      logFile: path.join(s3Dir, 'parley.log'),
      env: {
        ...env,
        S3_ENDPOINT: `http://127.0.0.1:${port}`,
        S3_BUCKET: 'parley-bench',
        S3_REGION: 'us-east-1',
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
        S3_FORCE_PATH_STYLE: 'true',
      },
    });
    servers.push(s3);
    await gql(s3.url, SEND, { to: bob, text: 'warm', ids: [await upload(s3.url, token, pdf(64 * 1024))] }, token);
    const s3Rows = [];
    for (const size of [z.small, z.big]) {
      const bytes = pdf(size);
      const rssBefore = await settledRss(s3, smoke);
      const cpuBefore = s3.cpuMs();
      let sent = 0;
      const rssPeak = await peakRss(s3, async () => {
        for (let i = 0; i < z.s3Uploads; i++) {
          const id = await upload(s3.url, token, bytes);
          const m = (await gql(s3.url, SEND, { to: bob, text: `s3 ${size}`, ids: [id] }, token)).sendMessage;
          if (m.attachments[0]?.id === id) sent++;
        }
      });
      const cpuMs = s3.cpuMs() - cpuBefore;
      s3Rows.push({
        bytes: size,
        uploads: z.s3Uploads,
        cpuMsPerUpload: round(cpuMs / z.s3Uploads, 2),
        rssBeforeMb: round(rssBefore / 1024, 1),
        rssPeakMb: round(rssPeak / 1024, 1),
        addedMb: round((rssPeak - rssBefore) / 1024, 1),
      });
      o.check(`attachments S3 ${num(size / MB)} MB: every upload attached`, sent === z.s3Uploads, `${sent}`);
    }
    const [small, large] = s3Rows;
    o.check(
      'attachments S3: CPU read',
      s3Rows.every((r) => r.cpuMsPerUpload >= 0),
    );

    const history = {
      embedded: embeddedHistory,
      s3: await historyPages(o, z, s3.url, 'S3', await users(o, await insertUsers(o.db, 'ath', 3))),
    };
    return {
      embedded: embeddedResult,
      s3: { rows: s3Rows, cpuRatio: round(large.cpuMsPerUpload / small.cpuMsPerUpload, 3) },
      history,
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop().catch(() => {})));
    await s3rver?.close().catch(() => {});
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

export function attachmentsReport(r: Awaited<ReturnType<typeof runAttachments>>, judged: boolean): string {
  const verdict = (pass: boolean) => (judged ? (pass ? 'PASS' : 'FAIL') : '—');
  const e = r.embedded;
  const out = [`\nATTACHMENTS (issue #19)`];
  out.push(
    `embedded store: ${e.parallel} parallel uploads of ${num(e.bytes / MB)} MB in ${num(e.ms)} ms; parley RSS ` +
      `${e.rssBeforeMb} → peak ${e.rssPeakMb} MB: +${e.addedMb} MB (target < ${TARGET_EMBEDDED_RSS_MB} MB: ` +
      `${verdict(e.pass)})`,
  );
  out.push(
    table(
      ['S3 (s3rver): upload + attach', 'uploads', 'parley CPU ms/upload', 'RSS before MB', 'RSS peak MB', '+MB'],
      r.s3.rows.map((x) => [
        `${num(x.bytes / MB)} MB`,
        x.uploads,
        num(x.cpuMsPerUpload),
        x.rssBeforeMb,
        x.rssPeakMb,
        x.addedMb,
      ]),
    ),
  );
  out.push(`S3 CPU per upload, large / small: ${times(r.s3.cpuRatio)} (the bytes never reach parley: ~1×)`);
  for (const [mode, h] of Object.entries(r.history)) {
    out.push(
      table(
        [`chatHistory(last: ${h.messages}), ${mode}`, 'requests', 'p50 ms', 'p95 ms'],
        [
          ['2 attachments per message', h.requests, num(h.files.p50), num(h.files.p95)],
          ['plain text', h.requests, num(h.text.p50), num(h.text.p95)],
          ['ratio', '', times(ratio(h.files.p50, h.text.p50)), times(ratio(h.files.p95, h.text.p95))],
        ],
      ),
    );
    out.push(
      `history with attachments within ${TARGET_HISTORY_RATIO}× of text, ${mode} (p50 and p95): ` +
        verdict(h.p50Ratio <= TARGET_HISTORY_RATIO && h.p95Ratio <= TARGET_HISTORY_RATIO),
    );
  }
  return out.join('\n');
}
