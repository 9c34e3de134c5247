// PostgreSQL goes away mid-run (a private server this test starts and stops): sends fail with
// SERVICE_UNAVAILABLE — never acknowledged without being stored — /ready says so, and the server recovers by
// itself when the database is back. Nothing acknowledged is missing.
import { createPrivatePostgres, type PrivatePostgres } from './support/postgres-server.ts';
import { describeWith } from './support/requirements.ts';
import { gql, ok, signUp, spawnServer, sleep, type ServerProcess } from './support/server.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const SEND = `mutation($to: ID!, $text: String!, $cid: String) { sendMessage(recipientId: $to, content: $text, clientMessageId: $cid) { id } }`;

describeWith(['TEST_DATABASE_URL'], 'database outage', () => {
  let pgServer: PrivatePostgres;
  let server: ServerProcess;
  let dataDir: string;
  beforeAll(async () => {
    pgServer = await createPrivatePostgres();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-outage-'));
    server = await spawnServer({ dataDir, databaseUrl: pgServer.url, drop: async () => {} });
  });
  afterAll(async () => {
    await server?.kill();
    await pgServer?.destroy();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('sends fail with SERVICE_UNAVAILABLE during the outage and succeed after it; nothing acknowledged is lost', async () => {
    const [alice, bob] = [await signUp(server, 'alice'), await signUp(server, 'bob')];
    const acknowledged: string[] = [];
    const send = async (i: number) => {
      const r = await gql(server, SEND, { to: bob.id, text: `m${i}`, cid: `o-${i}` }, alice.token);
      if (r.data?.sendMessage) acknowledged.push(r.data.sendMessage.id);
      return r;
    };
    for (let i = 0; i < 10; i++) expect((await send(i)).errors).toBeUndefined();

    pgServer.stop();
    const during = [];
    for (let i = 10; i < 15; i++) during.push(await send(i));
    for (const r of during) {
      expect(r.data?.sendMessage ?? null).toBeNull();
      expect(r.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
      expect(JSON.stringify(r.errors)).not.toMatch(/ECONNREFUSED|prisma|\.ts:\d+/i);
    }
    const readyDuring = await fetch(`${server.url}/ready`);
    expect(readyDuring.status).toBe(503);
    expect((await readyDuring.json()).checks.database).toMatch(/unreachable/);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);

    pgServer.start();
    // Recovers by itself (new pool connections); allow a moment for the first one.
    let recovered = false;
    for (let attempt = 0; attempt < 50 && !recovered; attempt++) {
      recovered = (await fetch(`${server.url}/ready`)).status === 200;
      if (!recovered) await sleep(200);
    }
    expect(recovered).toBe(true);
    for (let i = 10; i < 20; i++) expect((await send(i)).errors).toBeUndefined(); // retries of 10..14 included

    const history = await ok(
      server,
      `query($w: ID!) { chatHistory(withUserId: $w, last: 100) { edges { node { id content } } } }`,
      { w: alice.id },
      bob.token,
    );
    const ids = history.chatHistory.edges.map((e: any) => e.node.id);
    expect(ids).toEqual(acknowledged);
    expect(history.chatHistory.edges.map((e: any) => e.node.content)).toEqual(
      Array.from({ length: 20 }, (_, i) => `m${i}`),
    );
  });
});
