// Redis goes away (a private redis-server this test starts): messages are still stored and acknowledged,
// /ready reports it, and when Redis is back events flow again without a restart — subscribers fill the gap.
import { spawn, type ChildProcess } from 'node:child_process';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { freePort } from './support/postgres-server.ts';
import { describeWith } from './support/requirements.ts';
import { collect, connected, ok, signUp, sleep, spawnServer, wsClient } from './support/server.ts';

const SEND = `mutation($to: ID!, $text: String!) { sendMessage(recipientId: $to, content: $text) { id } }`;

describeWith(['TEST_DATABASE_URL', 'REDIS_URL'], 'Redis outage', () => {
  let db: TestDatabase;
  let redis: ChildProcess | undefined;
  let port: number;
  const startRedis = async () => {
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await sleep(300);
  };
  const stopRedis = async () => {
    const exited = new Promise((r) => redis!.once('exit', r));
    redis!.kill('SIGKILL');
    await exited;
  };
  beforeAll(async () => {
    db = await createTestDatabase();
    port = await freePort();
    await startRedis();
  });
  afterAll(async () => {
    if (redis && redis.exitCode === null) await stopRedis();
    await db?.drop();
  });

  test('sends keep working without Redis, and delivery resumes when it returns', async () => {
    const env = { REDIS_URL: `redis://127.0.0.1:${port}` };
    const [a, b] = [await spawnServer(db, env), await spawnServer(db, env)];
    try {
      const [alice, bob] = [await signUp(a, 'alice'), await signUp(a, 'bob')];
      const socket = wsClient(b, bob.token);
      const events = collect(socket, `subscription($w: ID) { messageAdded(withUserId: $w) { content } }`, {
        w: alice.id,
      });
      await connected(socket, 500);
      await ok(a, SEND, { to: bob.id, text: 'one' }, alice.token);
      await events.waitFor(1);

      await stopRedis();
      await ok(a, SEND, { to: bob.id, text: 'two (redis down)' }, alice.token);
      const ready = await fetch(`${a.url}/ready`);
      expect(ready.status).toBe(503);
      expect((await ready.json()).checks.redis).toBe('disconnected');

      await startRedis();
      let back = false;
      for (let i = 0; i < 50 && !back; i++) {
        back = (await fetch(`${a.url}/ready`)).status === 200 && (await fetch(`${b.url}/ready`)).status === 200;
        if (!back) await sleep(200);
      }
      expect(back).toBe(true);
      await ok(a, SEND, { to: bob.id, text: 'three' }, alice.token);
      const got = (await events.waitFor(3)).map((e) => e.data.messageAdded.content);
      expect(got).toEqual(['one', 'two (redis down)', 'three']);
      await socket.dispose();
    } finally {
      await Promise.all([a.kill(), b.kill()]);
    }
  });
});
