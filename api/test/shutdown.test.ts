// Graceful shutdown: on SIGTERM the server stops accepting, lets in-flight requests finish, closes WebSockets
// with 1012 (which graphql-ws clients treat as "reconnect"), and exits 0.
import http from 'node:http';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { collect, connected, gql, signUp, spawnServer, wsClient } from './support/server.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

test('SIGTERM closes WebSockets with a reconnect code, ends SSE streams and exits cleanly, without waiting out the drain timeout', async () => {
  const server = await spawnServer(db);
  const alice = await signUp(server, 'alice');
  const closes: number[] = [];
  const socket = wsClient(server, alice.token, { on: { closed: (e) => void closes.push((e as { code: number }).code) } });
  collect(socket, `subscription { messageAdded { id } }`);
  await connected(socket);
  // An SSE subscription too: its stream must be ended, not left to the 10 s drain timeout.
  const sse = await fetch(`${server.url}/graphql?query=${encodeURIComponent('subscription { messageAdded { id } }')}`, {
    headers: { accept: 'text/event-stream', authorization: `Bearer ${alice.token}` },
  });
  expect(sse.status).toBe(200);
  const reader = sse.body!.getReader();
  const streamEnded = (async () => {
    for (;;) if ((await reader.read().catch(() => ({ done: true }))).done) return true;
  })();

  const sigtermAt = Date.now();
  const exitCode = await server.kill('SIGTERM');
  expect({ exitCode, log: exitCode === 0 ? '' : server.output() }).toEqual({ exitCode: 0, log: '' });
  await expect(streamEnded).resolves.toBe(true);
  expect(Date.now() - sigtermAt).toBeLessThan(5_000);
  await new Promise((r) => setTimeout(r, 200));
  expect(closes[0]).toBe(1012);
  await socket.dispose();
  await expect(fetch(`${server.url}/health`)).rejects.toThrow();
});

/** One POST on its own connection (no pooling), so a dropped connection shows as this request's error. */
function postOnOwnConnection(url: string, body: unknown, token: string) {
  const payload = JSON.stringify(body);
  let flushed!: () => void;
  const written = new Promise<void>((r) => (flushed = r));
  const answer = new Promise<{ status: number; body: string; at: number }>((resolve, reject) => {
    const req = http.request(
      `${url}/graphql`,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), authorization: `Bearer ${token}` },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, at: Date.now() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload, flushed);
  });
  return { written, answer };
}

test('SIGTERM lets every request already received finish with its full answer, and each acknowledged message is stored', async () => {
  const server = await spawnServer(db);
  // Enough sends to still be in progress at SIGTERM, few enough to finish well inside the 10 s drain on a loaded
  // CI machine (the drain cuts off what outlasts it, which is not what is tested here); ten senders, so ten
  // conversations, since one conversation's sends queue on its row lock.
  const senders = await Promise.all(Array.from({ length: 10 }, (_, i) => signUp(server, `drain-${i}`)));
  const bob = await signUp(server, 'drain-bob');
  const N = 60;
  const senderOf = (i: number) => senders[i % senders.length]!;
  const requests = Array.from({ length: N }, (_, i) =>
    postOnOwnConnection(
      server.url,
      {
        query: `mutation($to: ID!, $t: String!, $c: String) { sendMessage(recipientId: $to, content: $t, clientMessageId: $c) { id clientMessageId } }`,
        variables: { to: bob.id, t: `in flight ${i}`, c: `drain-${i}` },
      },
      senderOf(i).token,
    ),
  );
  // Every request is on the wire and the server is answering them: now stop it.
  await Promise.all(requests.map((r) => r.written));
  await Promise.race(requests.map((r) => r.answer));
  const sigtermAt = Date.now();
  const exited = server.kill('SIGTERM');

  const answers = await Promise.allSettled(requests.map((r) => r.answer));
  expect({ exitCode: await exited }).toEqual({ exitCode: 0 });
  expect(Date.now() - sigtermAt).toBeLessThan(10_000); // finished by draining, not cut off at the deadline
  const failures = answers.flatMap((a, i) => (a.status === 'rejected' ? [`#${i}: ${(a.reason as Error).message}`] : []));
  expect(failures).toEqual([]);
  const ok = answers.map((a) => (a as PromiseFulfilledResult<{ status: number; body: string; at: number }>).value);
  const acknowledged = ok.map((a) => {
    const body = JSON.parse(a.body) as { data?: { sendMessage?: { clientMessageId: string } }; errors?: { message: string; extensions?: { code?: string } }[] };
    return body.data?.sendMessage
      ? { status: a.status, id: body.data.sendMessage.clientMessageId }
      : { status: a.status, error: `${body.errors?.[0]?.extensions?.code}: ${body.errors?.[0]?.message}` };
  });
  expect(acknowledged).toEqual(Array.from({ length: N }, (_, i) => ({ status: 200, id: `drain-${i}` })));
  // Not vacuous: some of those answers were still being worked on when SIGTERM arrived.
  expect(ok.filter((a) => a.at > sigtermAt).length).toBeGreaterThan(0);

  // After a restart on the same database, every acknowledged message is there, once.
  const again = await spawnServer(db);
  try {
    const stored: string[] = [];
    for (const sender of senders) {
      const page = await gql(again, `query($w: ID!) { chatHistory(withUserId: $w, last: 100) { edges { node { clientMessageId } } } }`, { w: bob.id }, sender.token);
      stored.push(...page.data!.chatHistory.edges.map((e: { node: { clientMessageId: string } }) => e.node.clientMessageId));
    }
    expect([...stored].sort()).toEqual(Array.from({ length: N }, (_, i) => `drain-${i}`).sort());
  } finally {
    await again.kill('SIGTERM');
  }
}, 120_000);
