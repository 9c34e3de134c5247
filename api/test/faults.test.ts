// Database faults, injected by a wire-protocol proxy between the server and PostgreSQL (support/pg-proxy.ts):
// connections refused while PostgreSQL recovers or is full, a lost reply to a committed send, an outage during a
// subscription's periodic re-check, and what an outage writes to the log.
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { startPgProxy, type PgProxy } from './support/pg-proxy.ts';
import { describeWith } from './support/requirements.ts';
import {
  collect,
  gql,
  ok,
  signUp,
  sleep,
  spawnServer,
  startServer,
  wsClient,
  type GqlResult,
  type ServerProcess,
  type TestServer,
  type TestUser,
} from './support/server.ts';

const SEND = `mutation($to: ID!, $text: String!, $cid: String) { sendMessage(recipientId: $to, content: $text, clientMessageId: $cid) { id content cursor } }`;
const HISTORY = `query($with: ID!) { chatHistory(withUserId: $with, last: 10) { edges { node { id content } } } }`;
const ADDED = `subscription($with: ID, $after: String) { messageAdded(withUserId: $with, after: $after) { id content } }`;

/** The write of a send, today (an INSERT inside Prisma's transaction, committed by a later COMMIT) and as one
 * statement (autocommit): the proxy withholds the reply to whichever statement commits it. */
const MESSAGE_INSERT = /INSERT\s+INTO\s+(?:"?public"?\.)?"Message"/i;

/** The refusals PostgreSQL answers a new connection with while it cannot take it (FATAL, right after startup). */
const REFUSALS: [sqlstate: string, message: string][] = [
  ['57P03', 'the database system is not yet accepting connections'],
  ['57P03', 'the database system is not accepting connections'],
  ['57P03', 'the database system is in recovery mode'],
  ['53300', 'sorry, too many clients already'],
];

const codes = (r: GqlResult) => (r.errors ?? []).map((e) => e.extensions?.code ?? 'none');
/** A subscription's failure, readable in an assertion: its GraphQL errors, or how the socket closed. */
const failure = (err: unknown) => {
  if (err === undefined) return null;
  if (Array.isArray(err)) return err.map((e) => `${e?.extensions?.code ?? 'none'}: ${e?.message}`);
  const close = err as { code?: unknown; reason?: unknown };
  return close.code !== undefined ? `socket closed ${close.code} ${close.reason ?? ''}` : String(err);
};
/** Nothing internal in what a client sees: no stack frames, SQL, driver or Prisma details. */
const INTERNALS =
  /\bat [\w.<>]+ \(|\.[cm]?[jt]s:\d+|prisma|\b(SELECT|INSERT|UPDATE)\b|57P03|53300|driverAdapter|ECONN|stack/i;
const leaks = (r: GqlResult) =>
  (r.errors ?? [])
    .flatMap((e) => [e.message, JSON.stringify(e.extensions ?? {})])
    .filter((text) => INTERNALS.test(text));

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Retries `run` until it succeeds (a server may wait a moment before trying a recovered database again). */
async function eventually(run: () => Promise<GqlResult>, ms = 5_000): Promise<GqlResult> {
  const deadline = Date.now() + ms;
  for (;;) {
    const result = await run();
    if (!result.errors?.length || Date.now() > deadline) return result;
    await sleep(100);
  }
}

/** Resolves once the proxy saw no round trip for `quietMs` (the server finished what it was doing). */
async function quiesce(proxy: PgProxy, quietMs = 150, maxMs = 5_000) {
  const deadline = Date.now() + maxMs;
  let last = proxy.roundTrips();
  let since = Date.now();
  while (Date.now() - since < quietMs && Date.now() < deadline) {
    await sleep(25);
    if (proxy.roundTrips() !== last) {
      last = proxy.roundTrips();
      since = Date.now();
    }
  }
}

describeWith(['TEST_DATABASE_URL'], 'database faults (through a PostgreSQL wire-protocol proxy)', () => {
  let db: TestDatabase;
  let proxy: PgProxy;
  let server: TestServer;
  let alice: TestUser, bob: TestUser;

  beforeAll(async () => {
    db = await createTestDatabase();
    proxy = await startPgProxy(db.databaseUrl!);
    server = await startServer({ ...db, databaseUrl: proxy.urlFor(db.databaseUrl!) });
    [alice, bob] = [await signUp(server, 'alice'), await signUp(server, 'bob')];
    await ok(server, SEND, { to: bob.id, text: 'hello' }, alice.token);
  });
  afterEach(() => proxy?.acceptNew());
  afterAll(async () => {
    await server?.close();
    await proxy?.close();
    await db?.drop();
  });

  describe('while PostgreSQL refuses connections as it recovers, operations answer SERVICE_UNAVAILABLE, not INTERNAL_SERVER_ERROR, and work again once it accepts', () => {
    test.each(REFUSALS)('%s "%s"', async (sqlstate, message) => {
      proxy.refuseNew(sqlstate, message);
      await proxy.killAll(); // the pool's connections are gone: every operation needs a new one
      await sleep(200); // the pool notices its closed connections
      const refusedBefore = proxy.refusals();
      const cid = `refused-${sqlstate}-${message.length}`;

      const history = await gql(server, HISTORY, { with: bob.id }, alice.token);
      const send = await gql(server, SEND, { to: bob.id, text: `during ${message}`, cid }, alice.token);

      expect(proxy.refusals()).toBeGreaterThan(refusedBefore); // the operations did meet the refusal
      for (const [name, result] of [
        ['chatHistory', history],
        ['sendMessage', send],
      ] as const) {
        expect({ name, data: result.data ?? null, codes: codes(result) }).toEqual({
          name,
          data: null,
          codes: ['SERVICE_UNAVAILABLE'],
        });
        expect(leaks(result)).toEqual([]);
      }

      proxy.acceptNew();
      const after = await eventually(() => gql(server, HISTORY, { with: bob.id }, alice.token));
      expect(after.errors).toBeUndefined();
      const retried = await gql(server, SEND, { to: bob.id, text: `during ${message}`, cid }, alice.token);
      expect(retried.errors).toBeUndefined();
      expect(retried.data!.sendMessage.content).toBe(`during ${message}`);
    });
  });

  test('when the reply to a send is lost, the retry with the same clientMessageId returns the stored message and subscribers get it at once (not at the next periodic re-check)', async () => {
    // A subscriber that has certainly started: it caught up from a cursor (one message) before going live.
    const from = await ok(server, SEND, { to: bob.id, text: 'before the lost reply' }, alice.token);
    const caughtUp = await ok(server, SEND, { to: bob.id, text: 'caught up' }, alice.token);
    const bobSocket = wsClient(server, bob.token);
    try {
      const live = collect(bobSocket, ADDED, { with: alice.id, after: from.sendMessage.cursor });
      await live.waitFor(1);
      expect(live.events.map((e) => e.data?.messageAdded.id)).toEqual([caughtUp.sendMessage.id]);
      await sleep(2_500); // past the re-check the server makes soon (1–2 s) after a subscription starts
      await quiesce(proxy);

      const dropped = proxy.dropReplyOnce(MESSAGE_INSERT);
      const vars = { to: bob.id, text: 'was the reply lost?', cid: 'lost-reply-1' };
      const first = await gql(server, SEND, vars, alice.token);
      expect(first.errors?.length).toBeGreaterThan(0); // the sender never heard back: it failed, somehow
      const lost = await within(dropped, 1_000, 'the proxy withheld the reply to the committing statement');
      expect(lost.tag).not.toBe('ROLLBACK');

      const retry = await ok(server, SEND, vars, alice.token);
      const history = await ok(server, HISTORY, { with: alice.id }, bob.token);
      const stored = history.chatHistory.edges.map((e: any) => e.node).filter((n: any) => n.content === vars.text);
      expect(stored).toEqual([{ id: retry.sendMessage.id, content: vars.text }]); // stored once, and that is what the retry returned

      const events = await live.waitFor(2, 3_000).catch(() => {
        throw new Error(
          'the subscriber did not get the message within 3 s of the retry (it would at the next periodic re-check, 60 s)',
        );
      });
      expect(failure(live.error)).toBeNull();
      expect(events.slice(1).map((e) => e.data?.messageAdded)).toEqual([
        { id: retry.sendMessage.id, content: vars.text },
      ]);
      await sleep(1_000);
      expect(live.events).toHaveLength(2); // exactly once
    } finally {
      await bobSocket.dispose();
    }
  });

  test('a periodic re-check that fails during an outage does not end the subscription', async () => {
    const from = await ok(server, SEND, { to: bob.id, text: 'before the outage' }, alice.token);
    const caughtUp = await ok(server, SEND, { to: bob.id, text: 'caught up' }, alice.token);
    const bobSocket = wsClient(server, bob.token);
    try {
      const live = collect(bobSocket, ADDED, { with: alice.id, after: from.sendMessage.cursor });
      // Once it caught up, the subscription has started; its re-check (1–2 s after the start) is still to come.
      await live.waitFor(1);
      expect(live.events.map((e) => e.data?.messageAdded.id)).toEqual([caughtUp.sendMessage.id]);
      proxy.refuseNew('57P03', 'the database system is not yet accepting connections');
      await proxy.killAll();
      const refusedBefore = proxy.refusals();
      await sleep(3_000);
      // The re-check did run during the outage (and met the refusal): otherwise this test tests nothing.
      expect(proxy.refusals()).toBeGreaterThan(refusedBefore);
      proxy.acceptNew();

      const sendAfter = await eventually(() =>
        gql(server, SEND, { to: bob.id, text: 'after the outage', cid: 'after-outage-1' }, alice.token),
      );
      expect(sendAfter.errors).toBeUndefined();
      const sent = sendAfter.data!;
      const events = await live.waitFor(2, 5_000).catch(() => live.events);
      expect({ error: failure(live.error), completed: live.completed }).toEqual({ error: null, completed: false });
      expect(events.slice(1).map((e) => e.errors ?? e.data?.messageAdded)).toEqual([
        { id: sent.sendMessage.id, content: 'after the outage' },
      ]);
    } finally {
      await bobSocket.dispose();
    }
  });

  describe('an outage writes one warning, not an error with a stack per request', () => {
    let proxy2: PgProxy;
    let child: ServerProcess;
    beforeAll(async () => {
      proxy2 = await startPgProxy(db.databaseUrl!);
      child = await spawnServer({ ...db, databaseUrl: proxy2.urlFor(db.databaseUrl!) }, { LOG_LEVEL: 'info' });
    });
    afterAll(async () => {
      await child?.kill();
      await proxy2?.close();
    });

    type LogLine = { level: number; msg?: string; err?: unknown; [key: string]: unknown };
    /** A log line in an assertion: level, first line of the message, last line of the error it carries. */
    const brief = (l: LogLine) => {
      const err = l.err as { type?: string; code?: string; message?: string } | string | undefined;
      const detail = typeof err === 'string' ? err : err && `${err.type ?? ''} ${err.code ?? ''} ${err.message ?? ''}`;
      const line = (text: string, which: 'first' | 'last') => {
        const lines = text.trim().split('\n').filter(Boolean);
        return (which === 'first' ? lines[0] : lines.at(-1)) ?? '';
      };
      return `${l.level} ${line(l.msg ?? '', 'first')}${detail ? ` — ${line(detail, 'last')}` : ''}`.slice(0, 240);
    };
    const linesOf = (text: string): LogLine[] =>
      text
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as LogLine);
    const DATABASE = /database|postgres|prisma|sql|connect|57P03|P\d{4}/i;

    /** One outage episode: `count` operations while new connections are refused; returns its results and log. */
    async function outage(user: TestUser, other: TestUser, count: number) {
      await sleep(100);
      const mark = child.output().length;
      proxy2.refuseNew('57P03', 'the database system is not yet accepting connections');
      await proxy2.killAll();
      await sleep(200);
      const results: GqlResult[] = [];
      for (let i = 0; i < count; i++) {
        results.push(
          i % 2
            ? await gql(child, HISTORY, { with: other.id }, user.token)
            : await gql(child, SEND, { to: other.id, text: `outage ${i}`, cid: `outage-${mark}-${i}` }, user.token),
        );
      }
      await sleep(300); // the child's log reaches us
      const log = linesOf(child.output().slice(mark));
      proxy2.acceptNew();
      return {
        results,
        errors: log.filter((l) => l.level >= 50 && DATABASE.test(JSON.stringify(l))),
        warnings: log.filter((l) => l.level === 40 && DATABASE.test(JSON.stringify(l))),
      };
    }

    test('ten failing requests in one outage: no error lines, at most a couple of "database unavailable" warnings; a later outage may warn again', async () => {
      const [carol, dan] = [await signUp(child, 'carol'), await signUp(child, 'dan')];
      await ok(child, SEND, { to: dan.id, text: 'before' }, carol.token);

      const first = await outage(carol, dan, 10);
      expect(first.errors.map(brief)).toEqual([]);
      expect(first.warnings.length).toBeGreaterThanOrEqual(1); // the outage is reported…
      expect(first.warnings.length).toBeLessThanOrEqual(2); // …once, not per request
      expect(first.results.map(codes)).toEqual(Array(10).fill(['SERVICE_UNAVAILABLE']));

      // Recovered; a second outage is a new episode: it may warn again, still never per request.
      expect(
        (
          await eventually(() =>
            gql(child, SEND, { to: dan.id, text: 'between outages', cid: 'between-1' }, carol.token),
          )
        ).errors,
      ).toBeUndefined();
      await ok(child, HISTORY, { with: dan.id }, carol.token);
      const second = await outage(carol, dan, 6);
      expect(second.errors.map(brief)).toEqual([]);
      expect(second.warnings.length).toBeLessThanOrEqual(2);
      expect(second.results.map(codes)).toEqual(Array(6).fill(['SERVICE_UNAVAILABLE']));
      expect(
        (await eventually(() => gql(child, SEND, { to: dan.id, text: 'after', cid: 'after-1' }, carol.token))).errors,
      ).toBeUndefined();
    });
  });
});
