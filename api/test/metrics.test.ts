// /metrics (Prometheus text format) and request ids in the log, through a running server: the named series move
// when a message is sent and delivered; /metrics is refused without the token, and off without METRICS_TOKEN.
import { createServer } from 'node:net';
import { useTestServer } from './support/suite.ts';
import {
  collect,
  connected,
  ok,
  signUp,
  sleep,
  wsClient,
  type ServerProcess,
  type TestServer,
} from './support/server.ts';

const TOKEN = 'metrics-token-for-the-test-suite';
const SEND = `mutation Send($to: ID!, $text: String!) { sendMessage(recipientId: $to, content: $text) { id } }`;
const ADDED = `subscription Added { messageAdded { id content } }`;

/** A port free right now (for METRICS_PORT). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** The samples of a scrape: `name{labels}` → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

describe('with METRICS_TOKEN and METRICS_PORT', () => {
  let server: ServerProcess;
  let metricsPort: number;
  const scrape = async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return samples(await res.text());
  };
  beforeAll(async () => {
    metricsPort = await freePort();
  });
  useTestServer(
    (s) => {
      server = s.server as ServerProcess;
    },
    {
      spawn: true,
      env: {
        METRICS_TOKEN: TOKEN,
        get METRICS_PORT() {
          return String(metricsPort);
        },
      },
    },
  );

  test('refused without the token or with another one', async () => {
    const none = await fetch(`${server.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await none.text()).not.toMatch(/parley_/);
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
  });

  test('METRICS_PORT serves the same series on a port of its own, without a token', async () => {
    const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(res.status).toBe(200);
    const m = samples(await res.text());
    expect(m.get('parley_process_cpu_seconds_total')).toBeGreaterThan(0);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/graphql`)).status).toBe(404);
  });

  test('a message sent and delivered moves the operation, message, subscription and socket series', async () => {
    const [alice, bob] = [await signUp(server, 'alice'), await signUp(server, 'bob')];
    const socket = wsClient(server, bob.token);
    try {
      const events = collect(socket, ADDED);
      await connected(socket);
      const before = await scrape();
      expect(before.get('parley_active_subscriptions{field="messageAdded"}')).toBe(1);
      expect(before.get('parley_websockets_open')).toBe(1);
      await ok(server, SEND, { to: bob.id, text: 'counted' }, alice.token);
      await events.waitFor(1);
      await sleep(50); // the delivery is counted as the event is sent
      const after = await scrape();
      const moved = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
      expect(moved('parley_graphql_operations_total{operation="Send",type="mutation",code="OK"}')).toBe(1);
      expect(moved('parley_graphql_operation_duration_seconds_count{operation="Send",type="mutation"}')).toBe(1);
      expect(moved('parley_messages_stored_total')).toBe(1);
      expect(moved('parley_messages_delivered_total')).toBe(1);
      expect(moved('parley_subscription_events_total{field="messageAdded"}')).toBe(1);
      if (process.env.REDIS_URL) expect(moved('parley_message_delivery_lag_seconds_count')).toBeGreaterThanOrEqual(1);
      if (process.env.TEST_DATABASE_URL) {
        expect(after.get('parley_db_pool_connections_open')).toBeGreaterThan(0);
        expect(after.has('parley_db_pool_waiting')).toBe(true);
      }
      // A refused operation is counted under its code.
      const refused = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.token}` },
        body: JSON.stringify({ query: SEND, variables: { to: alice.id, text: 'to myself' } }),
      });
      expect(refused.status).toBe(200);
      const code = (await refused.json()).errors[0].extensions.code;
      const third = await scrape();
      expect(third.get(`parley_graphql_operations_total{operation="Send",type="mutation",code="${code}"}`)).toBe(1);
    } finally {
      await socket.dispose();
    }
    await sleep(100);
    const closed = await scrape();
    expect(closed.get('parley_active_subscriptions{field="messageAdded"}')).toBe(0);
    expect(closed.get('parley_websockets_open')).toBe(0);
  });

  test("the balancer's X-Request-Id is answered and carried by the operation's log line, with its name", async () => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'lb-1234-abcd' },
      body: JSON.stringify({ query: 'query Probe { __typename }' }),
    });
    expect(res.headers.get('x-request-id')).toBe('lb-1234-abcd');
    const own = await fetch(`${server.url}/graphql?query=${encodeURIComponent('query Own { __typename }')}`, {
      headers: { 'x-request-id': 'not an id, \u00e9' },
    });
    const made = own.headers.get('x-request-id')!;
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
    await sleep(200);
    const lines = server
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    const probe = lines.find((l) => l.msg === 'graphql' && l.requestId === 'lb-1234-abcd');
    expect(probe).toMatchObject({ operation: 'Probe', type: 'query' });
    expect(lines.find((l) => l.msg === 'graphql' && l.requestId === made)).toMatchObject({ operation: 'Own' });
  });
});

describe('without METRICS_TOKEN', () => {
  let server: TestServer;
  useTestServer((s) => {
    server = s.server;
  });

  test('/metrics is off on the main port', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    const withSomeToken = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(withSomeToken.status).toBe(404);
  });
});
