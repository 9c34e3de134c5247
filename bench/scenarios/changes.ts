// The message lifecycle (issue #18): messages that change, measured two ways in one run.
//
// 1. Mixed load: open loop at a fixed offered rate, 80 % sends, 10 % reactions, 5 % edits, 5 % deletions over
//    sender → recipient pairs; every user holds one graphql-ws socket subscribed to `messageAdded` and
//    `messageUpdated` (all conversations). Latency runs from when each operation was **due** to when the other
//    participant's socket received it (a message by messageAdded, a change by messageUpdated), as in the delivery
//    scenario; the target is change delivery p99 ≤ 1.2 × message delivery p99. Each change targets a message of its
//    pair that has no change in flight (so the next messageUpdated of that message at the watcher is its own), and
//    every delivered state is checked (the edited text, the tombstone, the emoji).
// 2. History page: `chatHistory(last: 50)` with the web's fields (reactions, the quoted replyTo) in a conversation
//    where every message has 2 reactions and replies to the one before, against the same query in a conversation of
//    plain messages (today's page), same readers, same run: p50/p95 ratio, target ≤ 1.2×.
//
// The load runs in this (the orchestrator's) process: its sockets and HTTP client are its own, and both latencies it
// compares are measured the same way.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { RunResult } from '../load.ts';
import { insertUsers, seedConversation, settle } from '../lib/db.ts';
import { createGqlHttpClient, firstError } from '../lib/gql-http.ts';
import { GqlWs } from '../lib/gql-ws.ts';
import { ME, MESSAGE_ADDED, SEND } from '../lib/ops.ts';
import type { ServerProc } from '../lib/procs.ts';
import { round, summarize, type Summary } from '../lib/stats.ts';
import { num, table, times } from '../lib/table.ts';

export const TARGET_RATIO = 1.2;
/** How long parley keeps a session check (api/src/auth/sessions.ts SESSION_TTL_MS). */
const SESSION_CHECK_MS = 1_000;

export const EDIT = /* GraphQL */ `
  mutation BenchEdit($id: ID!, $text: String!) {
    editMessage(id: $id, content: $text) {
      id
    }
  }
`;
export const DELETE = /* GraphQL */ `
  mutation BenchDelete($id: ID!) {
    deleteMessage(id: $id) {
      id
    }
  }
`;
export const REACT = /* GraphQL */ `
  mutation BenchReact($id: ID!, $emoji: String!) {
    addReaction(messageId: $id, emoji: $emoji) {
      id
    }
  }
`;
export const REPLY = /* GraphQL */ `
  mutation BenchReply($to: ID!, $text: String!, $reply: ID) {
    sendMessage(recipientId: $to, content: $text, replyToId: $reply) {
      id
    }
  }
`;
const MESSAGE_UPDATED = /* GraphQL */ `
  subscription BenchUpdated {
    messageUpdated {
      id
      content
      deletedAt
      reactions {
        emoji
        count
      }
    }
  }
`;
/** The web app's history page: its bubble's fields, reactions and the quoted message included. */
export const HISTORY_LIFECYCLE = /* GraphQL */ `
  query BenchHistoryLifecycle($with: ID!, $last: Int) {
    chatHistory(withUserId: $with, last: $last) {
      edges {
        cursor
        node {
          id
          content
          createdAt
          readAt
          editedAt
          deletedAt
          updateCursor
          sender {
            id
            displayName
          }
          replyTo {
            id
            content
            deletedAt
            sender {
              id
              displayName
            }
          }
          reactions {
            emoji
            count
            reactedByMe
          }
        }
      }
      pageInfo {
        hasPreviousPage
        startCursor
      }
    }
  }
`;

type Kind = 'send' | 'react' | 'edit' | 'delete';
/** 20 slots: 16 sends, 2 reactions, 1 edit, 1 deletion, spread out. */
const PATTERN: Kind[] = 'SSSSRSSSSESSSSRSSSSD'
  .split('')
  .map((c) => ({ S: 'send', R: 'react', E: 'edit', D: 'delete' })[c] as Kind);
const EMOJI = ['👍', '❤️', '😂', '🎉', '😮', '😢', '🔥', '👀'];

export type ChangesOptions = {
  db: pg.Client;
  url: string;
  server: ServerProc;
  mint(userId: string): Promise<string>;
  load: { call<T = any>(cmd: string, args?: unknown): Promise<T> };
  pairs: number;
  rate: number;
  warmMs: number;
  durationMs: number;
  /** history: messages per seeded conversation; readers, warm-up and duration (or count) */
  historyMessages: number;
  concurrency: number;
  historyWarmMs: number;
  historyMs?: number;
  historyCount?: number;
  check(name: string, ok: boolean, detail?: string): void;
  step(msg: string): void;
};

type Pending = { due: number; kind: Kind; watcher: number; expect: (m: any) => boolean };

/** One open-loop window of the mix over the pairs' sockets. */
async function mixedWindow(
  o: ChangesOptions,
  ctx: {
    tokens: string[][];
    ids: string[][];
    sockets: GqlWs[];
    pools: string[][];
    busy: Set<string>;
    reacted: Map<string, number>;
  },
  durationMs: number,
) {
  const client = createGqlHttpClient(o.url, 256);
  const run = randomUUID().slice(0, 8);
  const lat: Record<Kind, number[]> = { send: [], react: [], edit: [], delete: [] };
  const ack: Record<Kind, number[]> = { send: [], react: [], edit: [], delete: [] };
  const counts = { acked: 0, errors: 0, skipped: 0, noTarget: 0, wrong: 0, duplicates: 0 };
  let firstErr: string | undefined;
  const pendingSends = new Map<string, Pending>(); // by content
  const pendingChanges = new Map<string, Pending>(); // by message id (one change in flight per message)
  // Messages with a change in flight, across windows: one a window's drain gave up on stays out of the next.
  const busy = ctx.busy;
  const reacted = ctx.reacted; // emoji already added per message (adding one again would change nothing)
  let delivered = 0;
  let expected = 0;
  let inFlight = 0;
  const onMessage = (socket: number, kind: 'added' | 'updated', m: any) => {
    const now = performance.now();
    const map = kind === 'added' ? pendingSends : pendingChanges;
    const key = kind === 'added' ? m.content : m.id;
    const p = map.get(key);
    if (!p || p.watcher !== socket) return;
    map.delete(key);
    if (!p.expect(m)) counts.wrong++;
    lat[p.kind].push(now - p.due);
    delivered++;
    if (kind === 'updated') busy.delete(m.id);
  };
  const handlers = ctx.sockets.map((ws, s) => {
    const added = ws.subscribe(MESSAGE_ADDED, {}, { next: (d) => onMessage(s, 'added', d.messageAdded) });
    const updated = ws.subscribe(MESSAGE_UPDATED, {}, { next: (d) => onMessage(s, 'updated', d.messageUpdated) });
    return () => (ws.complete(added), ws.complete(updated));
  });
  await sleep(1_500); // past each subscription's first re-check
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff) as number;
  const interval = 1000 / o.rate;
  const started = performance.now();
  const issue = (i: number) => {
    const due = started + i * interval;
    const pair = Math.floor(rand() * ctx.ids.length);
    const recipientId = ctx.ids[pair][1];
    const [senderToken, recipientToken] = ctx.tokens[pair];
    const kind = PATTERN[i % PATTERN.length];
    if (inFlight >= 512) return void counts.skipped++;
    let query: string;
    let variables: Record<string, unknown>;
    let token = senderToken;
    let target: string | undefined;
    if (kind === 'send') {
      const text = `x ${run} ${i}`;
      query = SEND;
      variables = { to: recipientId, text, cid: `${run}-${i}` };
      pendingSends.set(text, { due, kind, watcher: pair * 2 + 1, expect: () => true });
    } else {
      const pool = ctx.pools[pair];
      target = pool.find((id) => !busy.has(id) && (kind !== 'react' || (reacted.get(id) ?? 0) < EMOJI.length));
      if (!target) return void counts.noTarget++;
      busy.add(target);
      const id = target;
      if (kind === 'edit') {
        const text = `e ${run} ${i}`;
        query = EDIT;
        variables = { id, text };
        pendingChanges.set(id, { due, kind, watcher: pair * 2 + 1, expect: (m) => m.content === text });
      } else if (kind === 'delete') {
        query = DELETE;
        variables = { id };
        pool.splice(pool.indexOf(id), 1);
        pendingChanges.set(id, { due, kind, watcher: pair * 2 + 1, expect: (m) => m.deletedAt !== null });
      } else {
        const emoji = EMOJI[reacted.get(id) ?? 0];
        reacted.set(id, (reacted.get(id) ?? 0) + 1);
        query = REACT;
        variables = { id, emoji };
        token = recipientToken; // the recipient reacts; the sender's socket watches
        pendingChanges.set(id, {
          due,
          kind,
          watcher: pair * 2,
          expect: (m) => m.reactions.some((r: any) => r.emoji === emoji),
        });
      }
    }
    expected++;
    inFlight++;
    const fail = (message: string) => {
      counts.errors++;
      firstErr ??= message;
      expected--;
      if (kind === 'send') pendingSends.delete(String(variables.text));
      else if (target) {
        pendingChanges.delete(target);
        busy.delete(target);
      }
    };
    client
      .request(query, variables, token)
      .then((r) => {
        const err = firstError(r);
        if (err) return fail(err);
        counts.acked++;
        ack[kind].push(performance.now() - due);
        if (kind === 'send') ctx.pools[pair].push((r.data as any).sendMessage.id);
      })
      .catch((e: Error) => fail(e.message))
      .finally(() => inFlight--);
  };
  let n = 0;
  const total = Math.ceil(durationMs / interval);
  for (;;) {
    const elapsed = performance.now() - started;
    if (elapsed >= durationMs) break;
    const dueNow = Math.min(Math.floor(elapsed / interval) + 1, total);
    while (n < dueNow) issue(n++);
    await sleep(1);
  }
  const sendingMs = performance.now() - started;
  const answersBy = performance.now() + 120_000;
  while (inFlight > 0 && performance.now() < answersBy) await sleep(10);
  const drainUntil = performance.now() + 30_000;
  while (delivered < expected && performance.now() < drainUntil) await sleep(10);
  handlers.forEach((stop) => stop());
  client.close();
  const changes = [...lat.react, ...lat.edit, ...lat.delete];
  return {
    offeredPerSecond: o.rate,
    achievedPerSecond: (counts.acked / sendingMs) * 1000,
    scheduled: n,
    ...counts,
    firstError: firstErr,
    delivered,
    missing: Math.max(0, expected - delivered),
    perKind: Object.fromEntries(
      (Object.keys(lat) as Kind[]).map((k) => [k, { delivery: summarize(lat[k]), ack: summarize(ack[k]) }]),
    ) as Record<Kind, { delivery: Summary; ack: Summary }>,
    messages: summarize(lat.send),
    changes: summarize(changes),
  };
}

/** Two conversations of `n` messages: plain, and one where every message has 2 reactions and replies to the one before. */
async function seedHistories(db: pg.Client, n: number) {
  const [p1, p2, r1, r2] = await insertUsers(db, 'bhl', 4);
  await seedConversation(db, p1, p2, n);
  const rich = await seedConversation(db, r1, r2, n);
  await db.query(
    `UPDATE "Message" m SET "replyToId" = p.prev, "changeSeq" = m."seq",
       "reactions" = jsonb_build_array(jsonb_build_object('emoji', '👍', 'userIds', jsonb_build_array(m."senderId")),
                                       jsonb_build_object('emoji', '❤️', 'userIds', jsonb_build_array(m."recipientId")))
     FROM (SELECT "id", lag("id") OVER (ORDER BY "seq") AS prev FROM "Message" WHERE "conversationId" = $1) p
     WHERE m."id" = p."id"`,
    [rich],
  );
  await db.query(`UPDATE "Conversation" SET "lastChangeSeq" = $2 WHERE "id" = $1`, [rich, n]);
  await settle(db, ['Message'], ['Conversation']);
  return { plain: [p1, p2], rich: [r1, r2] };
}

export async function runChanges(o: ChangesOptions) {
  // ── 1. the mix ──
  const ids: string[][] = [];
  const senders = await insertUsers(o.db, 'bcs', o.pairs);
  const recipients = await insertUsers(o.db, 'bcr', o.pairs);
  for (let i = 0; i < o.pairs; i++) ids.push([senders[i], recipients[i]]);
  const tokens = await Promise.all(ids.map(async (pair) => Promise.all(pair.map((id) => o.mint(id)))));
  const sockets = await Promise.all(tokens.flat().map((t) => GqlWs.connect(o.url, t, 30_000)));
  const pools: string[][] = ids.map(() => []);
  const http = createGqlHttpClient(o.url, 8);
  try {
    // Every pair starts with messages to change.
    for (let k = 0; k < 10; k++) {
      await Promise.all(
        ids.map(async ([, to], p) => {
          const r = await http.request(SEND, { to, text: `pool ${k}`, cid: randomUUID() }, tokens[p][0]);
          if (firstError(r)) throw new Error(`changes: seeding a pool: ${firstError(r)}`);
          pools[p].push((r.data as any).sendMessage.id);
        }),
      );
    }
    o.step(`changes: ${o.pairs} pairs, ${sockets.length} sockets (messageAdded + messageUpdated each)`);
    const ctx = { tokens, ids, sockets, pools, busy: new Set<string>(), reacted: new Map<string, number>() };
    if (o.warmMs) await mixedWindow(o, ctx, o.warmMs);
    const cpuBefore = o.server.cpuMs();
    const mix = await mixedWindow(o, ctx, o.durationMs);
    const cpuMs = o.server.cpuMs() - cpuBefore;
    o.check(
      'changes: every acknowledged send and change delivered once, to the other participant, in its new state',
      mix.missing === 0 && mix.wrong === 0 && mix.errors === 0 && mix.perKind.send.delivery.n > 0 && mix.changes.n > 0,
      `${mix.acked} acked, ${mix.delivered} delivered, ${mix.missing} missing, ${mix.wrong} wrong state, ${mix.errors} errors${mix.firstError ? ` (${mix.firstError})` : ''}`,
    );
    const ratioP99 = mix.changes.p99 / mix.messages.p99;
    o.step(
      `changes mix at ${o.rate}/s: messages p50 ${num(mix.messages.p50)} / p99 ${num(mix.messages.p99)} ms, changes p50 ${num(mix.changes.p50)} / p99 ${num(mix.changes.p99)} ms (p99 ${times(ratioP99)})`,
    );

    // ── 2. the history page ──
    o.step(`changes: seeding two conversations of ${o.historyMessages} messages (plain; reactions and replies)`);
    const seeded = await seedHistories(o.db, o.historyMessages);
    const pages: Record<string, any> = {};
    for (const [name, [viewer, peer]] of [
      ['plain', seeded.plain],
      ['reactions + replies', seeded.rich],
    ] as const) {
      const args = {
        url: o.url,
        token: await o.mint(viewer),
        concurrency: o.concurrency,
        query: HISTORY_LIFECYCLE,
        variables: { with: peer, last: 50 },
        expect: { path: 'chatHistory.edges', length: 50 },
      };
      if (o.historyWarmMs) await o.load.call('query', { ...args, durationMs: o.historyWarmMs });
      const before = o.server.cpuMs();
      const r = await o.load.call<RunResult>('query', { ...args, durationMs: o.historyMs, count: o.historyCount });
      pages[name] = {
        requests: r.ok,
        errors: r.errors,
        firstError: r.firstError,
        perSecond: round(r.perSecond, 1),
        latencyMs: { p50: round(r.latency.p50, 3), p95: round(r.latency.p95, 3), p99: round(r.latency.p99, 3) },
        serverCpuMsPerOp: round((o.server.cpuMs() - before) / Math.max(1, r.ok), 3),
      };
      o.check(`changes: history page (${name}) answered in full`, r.errors === 0 && r.ok > 0, r.firstError);
    }
    const plain = pages.plain.latencyMs;
    const rich = pages['reactions + replies'].latencyMs;
    const history = { p50: round(rich.p50 / plain.p50, 3), p95: round(rich.p95 / plain.p95, 3) };
    o.step(`changes: history page with reactions and replies ${times(history.p50)} p50, ${times(history.p95)} p95`);

    const pick = (s: Summary) => ({ n: s.n, p50: round(s.p50, 2), p99: round(s.p99, 2), max: round(s.max, 1) });
    return {
      pairs: o.pairs,
      rate: o.rate,
      durationMs: o.durationMs,
      targetRatio: TARGET_RATIO,
      mix: {
        ...mix,
        achievedPerSecond: round(mix.achievedPerSecond, 1),
        messages: pick(mix.messages),
        changes: pick(mix.changes),
        perKind: Object.fromEntries(
          Object.entries(mix.perKind).map(([k, v]) => [k, { delivery: pick(v.delivery), ack: pick(v.ack) }]),
        ),
        serverCpuPercent: round((cpuMs / o.durationMs) * 100, 1),
        changesOverMessagesP99: round(ratioP99, 3),
        pass: ratioP99 <= TARGET_RATIO,
      },
      history: {
        messages: o.historyMessages,
        concurrency: o.concurrency,
        pages,
        richOverPlain: history,
        pass: history.p50 <= TARGET_RATIO && history.p95 <= TARGET_RATIO,
      },
    };
  } finally {
    http.close();
    await Promise.all(sockets.map((s) => s.close()));
  }
}

export function changesReport(r: Awaited<ReturnType<typeof runChanges>>, timed: boolean): string {
  const verdict = (pass: boolean) => (!timed ? '—' : pass ? 'pass' : 'FAIL');
  const kinds = r.mix.perKind as Record<string, { delivery: any; ack: any }>;
  return [
    `\nCHANGES (issue #18: ${r.pairs} pairs, open loop at ${r.rate}/s offered for ${num(r.durationMs / 1000)} s: 80 % sends, 10 % reactions, 5 % edits, 5 % deletions; latency from when each was due to the other participant's socket)`,
    table(
      ['operation', 'n', 'delivery p50 ms', 'delivery p99 ms', 'max ms', 'answer p50 ms', 'answer p99 ms'],
      Object.entries(kinds).map(([k, v]) => [
        k,
        v.delivery.n,
        num(v.delivery.p50),
        num(v.delivery.p99),
        num(v.delivery.max),
        num(v.ack.p50),
        num(v.ack.p99),
      ]),
    ),
    `messages p50 ${num(r.mix.messages.p50)} / p99 ${num(r.mix.messages.p99)} ms; changes p50 ${num(r.mix.changes.p50)} / p99 ${num(r.mix.changes.p99)} ms; change p99 ${times(r.mix.changesOverMessagesP99)} message p99 (≤ ${TARGET_RATIO}×: ${verdict(r.mix.pass)}); ${num(r.mix.achievedPerSecond)}/s answered, parley CPU ${num(r.mix.serverCpuPercent)} %${r.mix.skipped ? `, ${r.mix.skipped} not sent (over 512 in flight)` : ''}${r.mix.noTarget ? `, ${r.mix.noTarget} changes without a free message` : ''}`,
    table(
      ['history page (last: 50)', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'server CPU ms/req'],
      Object.entries(r.history.pages).map(([k, v]: [string, any]) => [
        k,
        num(v.perSecond),
        num(v.latencyMs.p50),
        num(v.latencyMs.p95),
        num(v.latencyMs.p99),
        num(v.serverCpuMsPerOp),
      ]),
    ),
    `history page with reactions and replies: ${times(r.history.richOverPlain.p50)} p50, ${times(r.history.richOverPlain.p95)} p95 of plain (≤ ${TARGET_RATIO}×: ${verdict(r.history.pass)})`,
  ].join('\n');
}

/** The scenario's sizes per run mode (readers and history durations are the history scenario's). */
export const CHANGES_PROFILE = {
  full: { pairs: 100, rate: 200, warmMs: 2_000, durationMs: 15_000, historyMessages: 1_000 },
  quick: { pairs: 25, rate: 50, warmMs: 1_000, durationMs: 5_000, historyMessages: 200 },
  smoke: { pairs: 2, rate: 20, warmMs: 0, durationMs: 1_000, historyMessages: 60 },
};

/**
 * Round trips (run.ts's roundtrips scenario): editMessage, deleteMessage and addReaction on a fresh message each,
 * and the web's history page once each of its 50 messages replies to the one before and has two reactions.
 */
export async function lifecycleRoundTrips(o: {
  request(query: string, variables: Record<string, unknown>, as: 'a' | 'b'): Promise<any>;
  /** the other user (of `as: 'a'`), and a's */
  a: string;
  b: string;
  measure(op: () => Promise<unknown>, before?: () => Promise<unknown>): Promise<unknown>;
}) {
  let id = '';
  const fresh = async () => {
    id = (await o.request(SEND, { to: o.b, text: 'to change', cid: randomUUID() }, 'a')).sendMessage.id;
  };
  const edit = () => o.request(EDIT, { id, text: 'changed' }, 'a');
  const del = () => o.request(DELETE, { id }, 'a');
  const react = () => o.request(REACT, { id, emoji: '👍' }, 'b');
  // Warm each path (statements prepared), then a page of replies, each with two reactions.
  for (const op of [edit, react, del]) await fresh().then(op);
  let previous: string | null = null;
  for (let i = 0; i < 50; i++) {
    const from = i % 2 ? 'a' : 'b';
    const to = from === 'a' ? o.b : o.a;
    previous = (await o.request(REPLY, { to, text: `reply ${i}`, reply: previous }, from)).sendMessage.id;
    await o.request(REACT, { id: previous, emoji: '👍' }, 'a');
    await o.request(REACT, { id: previous, emoji: '❤️' }, 'b');
  }
  const page = () => o.request(HISTORY_LIFECYCLE, { with: o.b, last: 50 }, 'a');
  await page();
  // parley checks a session at most once a second (api/src/auth/sessions.ts: a check is cached for a second from
  // when it ran, not from the session's last use). Before each measured operation, that second is waited out and
  // the acting user makes a request, which checks the session again: the operation finds it checked, and its own
  // statements are all that is counted. (A request alone was not enough: served from a check 0.9 s old, it left the
  // operation to check again.)
  const afterSessionCheck = (prepare: () => Promise<unknown>, as: 'a' | 'b') => async () => {
    await new Promise((r) => setTimeout(r, SESSION_CHECK_MS + 50));
    await prepare();
    if (as === 'b') await o.request(ME, {}, 'b');
  };
  return {
    editMessage: await o.measure(edit, afterSessionCheck(fresh, 'a')),
    deleteMessage: await o.measure(del, afterSessionCheck(fresh, 'a')),
    addReaction: await o.measure(react, afterSessionCheck(fresh, 'b')),
    historyPageReactionsReplies: await o.measure(page, afterSessionCheck(page, 'a')),
  };
}
