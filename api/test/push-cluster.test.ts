// Web Push across processes (PostgreSQL): a push interrupted by kill -9 goes out once after the restart, and two
// instances sharing the queue send each push once. The push service is support/push-receiver.ts on loopback.
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { type TestDatabase } from './support/databases.ts';
import { startPushReceiver, type PushReceiver } from './support/push-receiver.ts';
import { describeWith } from './support/requirements.ts';
import { ok, signUp, sleep, spawnServer, type ServerProcess } from './support/server.ts';
import { useTestDatabase } from './support/suite.ts';

const SEND = `mutation($to: ID!, $text: String!) { sendMessage(recipientId: $to, content: $text) { id } }`;
const REGISTER = `mutation($e: String!, $p: String!, $a: String!) { registerPushSubscription(endpoint: $e, p256dh: $p, auth: $a) }`;

// A worker silent for 3 s is dead (the default, 30 s, is for production).
const ENV = { PUSH_WORKER_TIMEOUT: '3s', VAPID_SUBJECT: 'mailto:ops@parley.test' };

/** From /proc: a process's parent and nice value (null once it is gone). */
function procStat(pid: number): { parent: number; nice: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3 (state)
    return { parent: Number(fields[1]), nice: Number(fields[16]) };
  } catch {
    return null;
  }
}
const childrenOf = (pid: number) =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && procStat(Number(entry))?.parent === pid)
    .map(Number);

describeWith(['TEST_DATABASE_URL'], 'Web Push across processes (PostgreSQL)', () => {
  let db: TestDatabase;
  let receiver: PushReceiver;
  const servers: ServerProcess[] = [];
  const spawn = async () => {
    const s = await spawnServer(db, ENV);
    servers.push(s);
    return s;
  };
  useTestDatabase((d) => {
    db = d;
  });
  beforeAll(async () => {
    receiver = await startPushReceiver();
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.kill('SIGKILL')));
  });
  afterAll(() => receiver.close());

  test('kill -9 while a push is in flight: after the restart it is sent exactly once', async () => {
    const a = await spawn();
    const [alice, bob] = [await signUp(a, 'alice'), await signUp(a, 'bob')];
    const subscription = receiver.subscribe(['hang']); // the first request never gets an answer
    await ok(a, REGISTER, { e: subscription.endpoint, p: subscription.p256dh, a: subscription.auth }, alice.token);
    const sent = (await ok(a, SEND, { to: alice.id, text: 'survives a crash' }, bob.token)).sendMessage;
    for (let i = 0; i < 200 && !receiver.received.some((p) => p.endpoint === subscription.endpoint); i++) {
      await sleep(50);
    }
    expect(receiver.received.filter((p) => p.endpoint === subscription.endpoint)).toHaveLength(1);
    await a.kill('SIGKILL'); // the job is committed and locked by a worker that is gone; nothing was accepted

    const restarted = await spawn();
    const [push] = await receiver.waitFor(1, { endpoint: subscription.endpoint, ms: 30_000 });
    expect(push.payload).toMatchObject({ messageId: sent.id, body: 'survives a crash' });
    await sleep(5_000); // longer than the dead-worker timeout: nothing more comes
    expect(receiver.accepted.filter((p) => p.endpoint === subscription.endpoint)).toHaveLength(1);
    expect(restarted.output()).toContain('unlocked the jobs of workers that stopped answering');
  }, 90_000);

  test('kill -9 after the commit, before its push reached the queue: after the restart it is sent exactly once', async () => {
    const a = await spawn();
    const [alice, bob] = [await signUp(a, 'alice'), await signUp(a, 'bob')];
    const subscription = receiver.subscribe();
    await ok(a, REGISTER, { e: subscription.endpoint, p: subscription.p256dh, a: subscription.auth }, alice.token);
    // Nothing may enter graphile-worker's queue meanwhile: the send commits its message and its outbox row, and the
    // relay that claims the row waits on this lock, inside its transaction.
    const lock = new pg.Client({ connectionString: db.databaseUrl });
    await lock.connect();
    try {
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE graphile_worker._private_jobs IN SHARE MODE');
      const sent = (await ok(a, SEND, { to: alice.id, text: 'committed, not queued' }, bob.token)).sendMessage;
      const outbox = (await lock.query<{ n: number }>(`SELECT count(*)::int AS n FROM "PushOutbox"`)).rows[0].n;
      expect(outbox).toBe(1);
      await sleep(500);
      expect(receiver.received.filter((p) => p.endpoint === subscription.endpoint)).toHaveLength(0);
      await a.kill('SIGKILL');
      await lock.query('COMMIT');

      await spawn();
      const [push] = await receiver.waitFor(1, { endpoint: subscription.endpoint, ms: 30_000 });
      expect(push.payload).toMatchObject({ messageId: sent.id, body: 'committed, not queued' });
      await sleep(5_000); // longer than the dead-worker timeout: nothing more comes
      expect(receiver.received.filter((p) => p.endpoint === subscription.endpoint)).toHaveLength(1);
    } finally {
      await lock.end();
    }
  }, 90_000);

  test('two instances share the queue: every push is sent once', async () => {
    const [a, b] = [await spawn(), await spawn()];
    const [alice, bob] = [await signUp(a, 'alice'), await signUp(b, 'bob')];
    const subscriptions = [receiver.subscribe(), receiver.subscribe()];
    for (const s of subscriptions) await ok(b, REGISTER, { e: s.endpoint, p: s.p256dh, a: s.auth }, alice.token);
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const via = i % 2 ? a : b;
      ids.push((await ok(via, SEND, { to: alice.id, text: `m${i}` }, bob.token)).sendMessage.id);
    }
    for (const s of subscriptions) {
      await receiver.waitFor(40, { endpoint: s.endpoint, ms: 30_000 });
    }
    await sleep(3_000);
    for (const s of subscriptions) {
      const got = receiver.accepted.filter((p) => p.endpoint === s.endpoint).map((p) => p.payload.messageId);
      expect(got).toHaveLength(40);
      expect(new Set(got)).toEqual(new Set(ids));
    }
  }, 90_000);

  test('the pushes run in a worker process of lower priority; it is started again when it dies, and dies with the instance', async () => {
    const a = await spawnServer(db, { ...ENV, PUSH_WORKER_NICE: '7' });
    servers.push(a);
    const [alice, bob] = [await signUp(a, 'alice'), await signUp(a, 'bob')];
    const subscription = receiver.subscribe();
    await ok(a, REGISTER, { e: subscription.endpoint, p: subscription.p256dh, a: subscription.auth }, alice.token);
    const [worker] = childrenOf(a.child.pid!);
    expect(procStat(worker)!.nice).toBe(procStat(a.child.pid!)!.nice + 7);

    process.kill(worker, 'SIGKILL');
    // Sent while no worker runs: its outbox row waits, and the next worker's relay moves it.
    const sent = (await ok(a, SEND, { to: alice.id, text: 'after the worker died' }, bob.token)).sendMessage;
    const [push] = await receiver.waitFor(1, { endpoint: subscription.endpoint, ms: 30_000 });
    expect(push.payload).toMatchObject({ messageId: sent.id, body: 'after the worker died' });
    expect(a.output()).toContain('the push worker process exited: starting another');
    const [next] = childrenOf(a.child.pid!);
    expect(next).not.toBe(worker);
    expect(procStat(next)!.nice).toBe(procStat(a.child.pid!)!.nice + 7);

    await a.kill('SIGKILL');
    for (let i = 0; i < 100 && procStat(next); i++) await sleep(50);
    expect(procStat(next)).toBeNull(); // no orphan keeps sending for an instance that is gone
    expect(receiver.accepted.filter((p) => p.endpoint === subscription.endpoint)).toHaveLength(1);
  }, 90_000);
});
