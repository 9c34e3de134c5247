// Several instances on one PostgreSQL and one Redis, as separate processes: fan-out across instances, and a
// crash (kill -9) in the middle of 2,000 sends with retries loses and duplicates nothing.
import { randomUUID } from 'node:crypto';
import { withAdmin, type TestDatabase } from './support/databases.ts';
import { useTestDatabase } from './support/suite.ts';
import { describeWith } from './support/requirements.ts';
import {
  collect,
  connected,
  gql,
  ok,
  signUp,
  spawnServer,
  untilReady,
  wsClient,
  type ServerProcess,
} from './support/server.ts';

const SEND = `mutation($to: ID!, $text: String!, $cid: String) { sendMessage(recipientId: $to, content: $text, clientMessageId: $cid) { id content } }`;
const ADDED = `subscription($with: ID, $after: String) { messageAdded(withUserId: $with, after: $after) { id content } }`;
const PAGE = `query($with: ID!, $first: Int, $after: String, $last: Int) { chatHistory(withUserId: $with, first: $first, after: $after, last: $last) { edges { cursor node { id content } } pageInfo { endCursor hasNextPage } } }`;

describeWith(['TEST_DATABASE_URL', 'REDIS_URL'], 'several instances (PostgreSQL + Redis)', () => {
  let db: TestDatabase;
  const env = () => ({ REDIS_URL: process.env.REDIS_URL!, JWT_SECRET: 'cluster-test-secret-of-at-least-32-chars' });
  useTestDatabase((suite) => {
    db = suite;
  });

  test('a subscriber on instance A receives what was sent through instance B, and the other way round', async () => {
    const [a, b] = [await spawnServer(db, env()), await spawnServer(db, env())];
    try {
      // Each instance listens first and reports ready once its database and both Redis connections are up.
      for (const server of [a, b]) {
        const ready = await untilReady(server);
        expect(ready).toEqual({ status: 200, body: { status: 'ready', checks: { database: 'ok', redis: 'ok' } } });
      }
      const [alice, bob] = [await signUp(a, 'alice'), await signUp(b, 'bob')];
      const onA = wsClient(a, bob.token);
      const onB = wsClient(b, alice.token);
      try {
        const bobEvents = collect(onA, ADDED, {});
        const aliceEvents = collect(onB, ADDED, {});
        await Promise.all([connected(onA, 500), connected(onB, 500)]);
        await ok(b, SEND, { to: bob.id, text: 'via B' }, alice.token);
        await ok(a, SEND, { to: alice.id, text: 'via A' }, bob.token);
        const content = (e: any) => e.data.messageAdded.content;
        expect((await bobEvents.waitFor(2)).map(content)).toEqual(['via B', 'via A']);
        expect((await aliceEvents.waitFor(2)).map(content)).toEqual(['via B', 'via A']);
      } finally {
        await Promise.all([onA.dispose(), onB.dispose()]);
      }
    } finally {
      await Promise.all([a.kill(), b.kill()]);
    }
  });

  test('kill -9 of one instance during 2,000 sends with retries: every acknowledged message stored once, streams complete and ordered', async () => {
    const TOTAL = 2000;
    const servers: ServerProcess[] = [await spawnServer(db, env()), await spawnServer(db, env())];
    const [alice, bob] = [await signUp(servers[0], 'alice'), await signUp(servers[1], 'bob')];
    await ok(servers[0], SEND, { to: bob.id, text: 'hello' }, alice.token);
    const start = (await ok(servers[0], PAGE, { with: bob.id, last: 1 }, alice.token)).chatHistory.edges[0].cursor;

    // Bob listens on the instance that survives; a second listener on the victim reconnects to the survivor
    // and catches up from the last message it holds.
    const survivorSocket = wsClient(servers[1], bob.token);
    const survivorStream = collect(survivorSocket, ADDED, { with: alice.id, after: start });
    const victimSocket = wsClient(servers[0], bob.token);
    const beforeCrash = collect(victimSocket, ADDED, { with: alice.id, after: start });

    // Senders spread over both instances; a failed request is retried (same clientMessageId) on the other one.
    let next = 0;
    const acknowledged = new Map<string, string>(); // clientMessageId -> message id
    let retries = 0;
    const sendOne = async (i: number) => {
      const cid = `crash-${i}-${randomUUID()}`;
      for (let attempt = 0; ; attempt++) {
        const target = servers[(i + attempt) % 2];
        if (target.child.exitCode !== null || target.child.signalCode !== null) continue;
        try {
          const r = await gql(target, SEND, { to: bob.id, text: `m${i}`, cid }, alice.token);
          if (r.data?.sendMessage) {
            acknowledged.set(cid, r.data.sendMessage.id);
            return;
          }
          throw new Error(JSON.stringify(r.errors));
        } catch {
          retries++;
          if (attempt > 20) throw new Error(`message ${i} could not be sent`);
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    };
    const workers = Array.from({ length: 16 }, async () => {
      while (next < TOTAL) await sendOne(next++);
    });
    const killer = (async () => {
      while (acknowledged.size < TOTAL / 3) await new Promise((r) => setTimeout(r, 20));
      await servers[0].kill('SIGKILL');
    })();
    await Promise.all([...workers, killer]);
    await victimSocket.dispose();
    expect(acknowledged.size).toBe(TOTAL);

    // Stored exactly once: one row per acknowledged clientMessageId, with the acknowledged id.
    const rows = await withAdmin(db.databaseUrl!, (c) =>
      c.query<{ clientMessageId: string; id: string }>(
        `SELECT "clientMessageId", id FROM "Message" WHERE "clientMessageId" LIKE 'crash-%'`,
      ),
    );
    expect(rows.rows).toHaveLength(TOTAL);
    expect(new Map(rows.rows.map((r) => [r.clientMessageId, r.id]))).toEqual(acknowledged);

    // History (the order every reader agrees on).
    const history: string[] = [];
    let after = start;
    for (;;) {
      const page = await ok(servers[1], PAGE, { with: alice.id, first: 100, after }, bob.token);
      history.push(...page.chatHistory.edges.map((e: any) => e.node.id));
      if (!page.chatHistory.pageInfo.hasNextPage) break;
      after = page.chatHistory.pageInfo.endCursor;
    }
    expect(history).toHaveLength(TOTAL);

    // The victim's listener resumes on the survivor with after = the last message it holds.
    const held = beforeCrash.events.filter((e) => e.data).map((e) => e.data.messageAdded.id);
    expect(held).toEqual(history.slice(0, held.length));
    const resumeSocket = wsClient(servers[1], bob.token);
    try {
      const resumeAfter = held.length ? await cursorOf(servers[1], bob.token, alice.id, start, held.length) : start;
      const resumed = collect(resumeSocket, ADDED, { with: alice.id, after: resumeAfter });
      const rest = (await resumed.waitFor(TOTAL - held.length, 60_000)).map((e) => e.data.messageAdded.id);
      expect([...held, ...rest]).toEqual(history);
      const live = (await survivorStream.waitFor(TOTAL, 60_000)).map((e) => e.data.messageAdded.id);
      expect(live).toEqual(history);
    } finally {
      await Promise.all([resumeSocket.dispose(), survivorSocket.dispose()]);
      await servers[1].kill();
    }
    console.log(
      `crash test: ${TOTAL} messages, ${retries} retried requests, ${held.length} held by the crashed listener`,
    );
  });
});

/** The cursor of the n-th message after `start` (n ≥ 1). */
async function cursorOf(
  server: { url: string },
  token: string,
  withUser: string,
  start: string,
  n: number,
): Promise<string> {
  let after = start;
  let remaining = n;
  for (;;) {
    const take = Math.min(100, remaining);
    const page = await ok(server, PAGE, { with: withUser, first: take, after }, token);
    remaining -= page.chatHistory.edges.length;
    after = page.chatHistory.pageInfo.endCursor;
    if (remaining === 0) return after;
  }
}
