// The inbox scenario (issue #9's acceptance): one user with many conversations and many messages; the inbox's two
// reads, `conversations(first: 20)` (selecting what the web inbox row shows) and `unreadCount`, measured with the
// same readers in the same run as `chatHistory(last: 20)`, and each judged against "within 2× of chatHistory".
//
// Invariants: the data is written with SQL in parley's own tables (as parley's send and markRead statements would
// have left them: Conversation.lastSeq, Message.readAt, one Membership per participant with its unread count and
// read position), deterministically from a seed, and settled (vacuumed, analyzed) before anything is timed. Before
// timing, the answers are checked against what was seeded, so a fast wrong answer cannot pass.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Expect, RunResult } from '../load.ts';
import { insertUsers, settle } from '../lib/db.ts';
import { createGqlHttpClient, firstError } from '../lib/gql-http.ts';
import { CONVERSATIONS, type ConversationsPage, HISTORY_BACK, INBOX, UNREAD_COUNT } from '../lib/ops.ts';
import type { ServerProc } from '../lib/procs.ts';
import { round } from '../lib/stats.ts';
import { num, ratio, table, times } from '../lib/table.ts';

/** The issue's target: each inbox read within this factor of a history page's latency. */
export const TARGET_RATIO = 2;
export const PAGE = 20;

// ── the seed ────────────────────────────────────────────────────────────────────────────────────────────────────

/** A small deterministic PRNG (mulberry32), so every run seeds the same shape. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type InboxSeed = {
  viewerId: string;
  /** Conversations, most recent activity first (the inbox order). */
  byRecency: { id: string; peerId: string; messages: number; unread: number; lastContent: string }[];
  totalUnread: number;
  /** The peer of the conversation with the most messages (the history page is read there). */
  busiestPeerId: string;
  messages: number;
  largest: number;
  smallest: number;
  seedMs: number;
};

const content = (conversation: number, seq: number) => `inbox message ${seq} in conversation ${conversation}`;

/**
 * `conversations` peers for one viewer, `messages` messages over them with a Zipf skew (the k-th busiest gets ∝ 1/k,
 * at least 2 each), in a random order of recency; about 15% of conversations (always the newest) end with 1–20
 * messages from the peer that the viewer has not read. Everything else is read.
 */
export async function seedInbox(db: pg.Client, conversations: number, messages: number): Promise<InboxSeed> {
  const started = performance.now();
  const rand = prng(9);
  const [viewerId] = await insertUsers(db, 'bv', 1);
  const peers = await insertUsers(db, 'bx', conversations);

  const weights = peers.map((_, k) => 1 / (k + 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.max(2, Math.floor((messages * w) / sum)));
  counts[0] += messages - counts.reduce((a, b) => a + b, 0); // the rounding goes to the busiest
  // Recency: a shuffled order; position r was last active r × 7 minutes (plus jitter) ago.
  const order = peers.map((_, k) => k);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const now = Date.now();
  const rows = order.map((k, r) => {
    const n = counts[k];
    const unread = r === 0 || rand() < 0.15 ? Math.min(n - 1, 1 + Math.floor(rand() * 20)) : 0;
    const id = randomUUID();
    return { k, id, peerId: peers[k], n, unread, last: new Date(now - r * 420_000 - Math.floor(rand() * 60_000)) };
  });

  await db.query('BEGIN');
  await db.query('SET LOCAL synchronous_commit = off');
  const arr = {
    id: rows.map((r) => r.id),
    peer: rows.map((r) => r.peerId),
    k: rows.map((r) => r.k),
    n: rows.map((r) => r.n),
    unread: rows.map((r) => r.unread),
    last: rows.map((r) => r.last.toISOString()),
  };
  await db.query(
    `INSERT INTO "Conversation" ("id", "userLowId", "userHighId", "lastSeq", "lastMessageAt")
     SELECT c.id, LEAST($1::uuid, c.peer), GREATEST($1::uuid, c.peer), c.n, c.last
     FROM unnest($2::uuid[], $3::uuid[], $4::int[], $5::timestamptz[]) AS c(id, peer, n, last)`,
    [viewerId, arr.id, arr.peer, arr.n, arr.last],
  );
  // Alternating senders, one second apart, ending at the conversation's last activity; the unread tail is the
  // peer's. readAt = createdAt for everything read.
  await db.query(
    `INSERT INTO "Message" ("id", "conversationId", "seq", "senderId", "recipientId", "content", "createdAt", "readAt")
     SELECT gen_random_uuid(), c.id, g,
            CASE WHEN f.peer_sent THEN c.peer ELSE $1::uuid END,
            CASE WHEN f.peer_sent THEN $1::uuid ELSE c.peer END,
            'inbox message ' || g || ' in conversation ' || c.k,
            c.last - make_interval(secs => c.n - g),
            CASE WHEN g > c.n - c.unread THEN NULL ELSE c.last - make_interval(secs => c.n - g) END
     FROM unnest($2::uuid[], $3::uuid[], $4::int[], $5::int[], $6::int[], $7::timestamptz[])
            AS c(id, peer, k, n, unread, last)
     CROSS JOIN LATERAL generate_series(1, c.n) g
     CROSS JOIN LATERAL (SELECT g > c.n - c.unread OR g % 2 = 0 AS peer_sent) f`,
    [viewerId, arr.id, arr.peer, arr.k, arr.n, arr.unread, arr.last],
  );
  // The memberships, as parley's statements keep them: per participant, the messages to them not read yet and
  // the newest one read.
  await db.query(
    `WITH agg AS (
       SELECT "conversationId", "recipientId",
              max("seq") FILTER (WHERE "readAt" IS NOT NULL) AS read_seq,
              count(*) FILTER (WHERE "readAt" IS NULL)::int AS unread
       FROM "Message" WHERE "conversationId" = ANY($1::uuid[]) GROUP BY 1, 2
     )
     INSERT INTO "Membership" ("conversationId", "userId", "lastReadSeq", "unreadCount", "lastActivityAt")
     SELECT c."id", p."userId", COALESCE(a.read_seq, 0), COALESCE(a.unread, 0), c."lastMessageAt"
     FROM "Conversation" c
     CROSS JOIN LATERAL (VALUES (c."userLowId"), (c."userHighId")) AS p("userId")
     LEFT JOIN agg a ON a."conversationId" = c."id" AND a."recipientId" = p."userId"
     WHERE c."id" = ANY($1::uuid[])`,
    [arr.id],
  );
  await db.query('COMMIT');
  await settle(db, ['Message', 'Membership'], ['Conversation', 'User']);

  const busiest = rows.reduce((a, b) => (b.n > a.n ? b : a));
  return {
    viewerId,
    byRecency: rows.map((r) => ({
      id: r.id,
      peerId: r.peerId,
      messages: r.n,
      unread: r.unread,
      lastContent: content(r.k, r.n),
    })),
    totalUnread: rows.reduce((a, r) => a + r.unread, 0),
    busiestPeerId: busiest.peerId,
    messages: rows.reduce((a, r) => a + r.n, 0),
    largest: busiest.n,
    smallest: Math.min(...rows.map((r) => r.n)),
    seedMs: performance.now() - started,
  };
}

// ── the run ─────────────────────────────────────────────────────────────────────────────────────────────────────

export type InboxOptions = {
  db: pg.Client;
  /** parley's base URL and process (for its CPU time). */
  url: string;
  server: ServerProc;
  mint(userId: string): Promise<string>;
  load: { call<T = any>(cmd: string, args?: unknown): Promise<T> };
  conversations: number;
  messages: number;
  concurrency: number;
  warmMs: number;
  durationMs?: number;
  count?: number;
  check(name: string, ok: boolean, detail?: string): void;
  step(msg: string): void;
};

export async function runInbox(o: InboxOptions) {
  o.step(
    `inbox: seeding ${o.conversations.toLocaleString('en')} conversations, ${o.messages.toLocaleString('en')} messages`,
  );
  const seed = await seedInbox(o.db, o.conversations, o.messages);
  o.step(
    `inbox: seeded in ${num(seed.seedMs / 1000)} s (${seed.largest.toLocaleString('en')} to ${seed.smallest} messages per conversation, ${seed.totalUnread} unread)`,
  );
  const token = await o.mint(seed.viewerId);
  const pageSize = Math.min(PAGE, o.conversations);

  // Sanity: the first two pages, their order, unread counts and last messages, and the total, as seeded.
  const client = createGqlHttpClient(o.url, 2);
  try {
    const ask = async <T>(query: string, variables: Record<string, unknown>) => {
      const r = await client.request<T>(query, variables, token);
      const err = firstError(r);
      if (err) throw new Error(`inbox: ${err}`);
      return r.data as T;
    };
    const problems: string[] = [];
    const p1 = (await ask<ConversationsPage>(CONVERSATIONS, { first: PAGE })).conversations;
    const after = p1.pageInfo.endCursor;
    const p2 = after ? (await ask<ConversationsPage>(CONVERSATIONS, { first: PAGE, after })).conversations : null;
    const got = [...p1.edges, ...(p2?.edges ?? [])].map((e) => e.node);
    const want = seed.byRecency.slice(0, got.length);
    if (p1.edges.length !== pageSize) problems.push(`first page has ${p1.edges.length} conversations`);
    if (o.conversations > PAGE && p2?.edges.length !== Math.min(PAGE, o.conversations - PAGE))
      problems.push(`second page has ${p2?.edges.length} conversations`);
    got.forEach((c, i) => {
      const w = want[i];
      if (c.peer.id !== w.peerId) problems.push(`#${i + 1}: peer ${c.peer.id}, expected ${w.peerId}`);
      else if (c.unreadCount !== w.unread)
        problems.push(`#${i + 1}: unreadCount ${c.unreadCount}, expected ${w.unread}`);
      else if (c.lastMessage.content !== w.lastContent)
        problems.push(`#${i + 1}: last message "${c.lastMessage.content}", expected "${w.lastContent}"`);
    });
    const { unreadCount } = await ask<{ unreadCount: number }>(UNREAD_COUNT, {});
    if (unreadCount !== seed.totalUnread) problems.push(`unreadCount ${unreadCount}, expected ${seed.totalUnread}`);
    o.check(
      'inbox: pages in order, unread counts, last messages and the unread total as seeded',
      problems.length === 0,
      problems.slice(0, 3).join('; '),
    );
  } finally {
    client.close();
  }

  // The same readers, one operation after the other.
  const ops: { op: string; query: string; variables: Record<string, unknown>; expect: Expect }[] = [
    {
      op: 'chatHistory(last: 20)',
      query: HISTORY_BACK,
      variables: { with: seed.busiestPeerId, last: PAGE },
      expect: { path: 'chatHistory.edges', length: PAGE },
    },
    {
      op: 'conversations(first: 20)',
      query: CONVERSATIONS,
      variables: { first: PAGE },
      expect: { path: 'conversations.edges', length: pageSize },
    },
    {
      op: 'unreadCount',
      query: UNREAD_COUNT,
      variables: {},
      expect: { path: 'unreadCount', equals: seed.totalUnread },
    },
    {
      op: 'web Inbox query (both)',
      query: INBOX,
      variables: { first: PAGE },
      expect: { path: 'unreadCount', equals: seed.totalUnread },
    },
  ];
  const rows: any[] = [];
  for (const op of ops) {
    const args = { url: o.url, token, concurrency: o.concurrency, ...op };
    if (o.warmMs) await o.load.call('query', { ...args, durationMs: o.warmMs });
    const cpuBefore = o.server.cpuMs();
    const r = await o.load.call<RunResult>('query', { ...args, durationMs: o.durationMs, count: o.count });
    const cpuMs = o.server.cpuMs() - cpuBefore;
    rows.push({
      op: op.op,
      requests: r.ok,
      errors: r.errors,
      firstError: r.firstError,
      perSecond: round(r.perSecond, 1),
      latencyMs: {
        p50: round(r.latency.p50, 3),
        p90: round(r.latency.p90, 3),
        p99: round(r.latency.p99, 3),
        max: round(r.latency.max, 2),
      },
      serverCpuMsPerOp: round(cpuMs / Math.max(1, r.ok), 3),
    });
    o.check(
      `inbox ${op.op}: right answers, no errors`,
      r.errors === 0 && r.ok > 0 && (!o.count || r.ok === o.count),
      `${r.ok} ok, ${r.errors} errors${r.firstError ? ` (${r.firstError})` : ''}`,
    );
    o.step(`inbox ${op.op}: ${num(r.perSecond)}/s, p50 ${num(r.latency.p50)} ms, p99 ${num(r.latency.p99)} ms`);
  }

  // Each inbox read against the history page: the issue's target is p50 and p99 within 2×.
  const history = rows[0];
  for (const row of rows.slice(1)) {
    const p50 = ratio(row.latencyMs.p50, history.latencyMs.p50);
    const p99 = ratio(row.latencyMs.p99, history.latencyMs.p99);
    row.overHistory = {
      p50: p50 === null ? null : round(p50, 3),
      p99: p99 === null ? null : round(p99, 3),
      throughput: round(ratio(row.perSecond, history.perSecond) ?? NaN, 3),
    };
    row.withinTarget = p50 !== null && p99 !== null && p50 <= TARGET_RATIO && p99 <= TARGET_RATIO;
  }
  return {
    conversations: o.conversations,
    messages: seed.messages,
    largestConversation: seed.largest,
    smallestConversation: seed.smallest,
    unread: seed.totalUnread,
    seedMs: round(seed.seedMs, 0),
    concurrency: o.concurrency,
    targetRatio: TARGET_RATIO,
    ops: rows,
    // Only the two inbox reads the issue names decide the verdict (the web query is both at once).
    pass: rows.slice(1, 3).every((r) => r.withinTarget),
  };
}

export function inboxReport(r: Awaited<ReturnType<typeof runInbox>>, timed: boolean): string {
  const out = [
    `\nINBOX (one user: ${r.conversations.toLocaleString('en')} conversations, ${r.messages.toLocaleString('en')} messages, ${r.largestConversation.toLocaleString('en')}…${r.smallestConversation} per conversation, ${r.unread} unread; ${r.concurrency} concurrent readers; history page read in the busiest conversation)`,
    table(
      [
        'operation',
        'req/s',
        'p50 ms',
        'p99 ms',
        'server CPU ms/req',
        'p50 ×history',
        'p99 ×history',
        `≤ ${TARGET_RATIO}×`,
        'errors',
      ],
      (r.ops as any[]).map((x) => [
        x.op,
        num(x.perSecond),
        num(x.latencyMs.p50),
        num(x.latencyMs.p99),
        num(x.serverCpuMsPerOp),
        x.overHistory ? times(x.overHistory.p50) : '',
        x.overHistory ? times(x.overHistory.p99) : '',
        !x.overHistory ? '' : !timed ? '—' : x.withinTarget ? 'pass' : 'FAIL',
        x.errors,
      ]),
    ),
    timed
      ? `target (conversations and unreadCount p50 and p99 ≤ ${TARGET_RATIO}× chatHistory(last: 20)): ${r.pass ? 'PASS' : 'FAIL'}`
      : `target not judged in a smoke run (timings of ${r.ops[0]?.requests ?? 0} requests are not a measurement)`,
  ];
  return out.join('\n');
}
