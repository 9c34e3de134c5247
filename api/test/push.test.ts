// Web Push, through the public surface: a real server POSTs encrypted, VAPID-signed pushes to a push service on
// loopback (support/push-receiver.ts), which verifies the JWT and decrypts the payload with the subscription's keys.
// The contract (mute, argument checks) runs on every database; delivery needs PostgreSQL (graphile-worker).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { usingPostgres } from './support/databases.ts';
import { startPushReceiver, type PushReceiver, type Subscription } from './support/push-receiver.ts';
import { describeWith } from './support/requirements.ts';
import { gql, ok, signUp, sleep, type TestServer, type TestUser } from './support/server.ts';
import { useTestServer } from './support/suite.ts';

const SEND = `mutation($to: ID!, $text: String!) { sendMessage(recipientId: $to, content: $text) { id } }`;
const REGISTER = `mutation($e: String!, $p: String!, $a: String!) { registerPushSubscription(endpoint: $e, p256dh: $p, auth: $a) }`;
const UNREGISTER = `mutation($e: String!) { unregisterPushSubscription(endpoint: $e) }`;
const MUTE = `mutation($w: ID!, $m: Boolean!) { setConversationMuted(withUserId: $w, muted: $m) { id muted unreadCount peer { id } } }`;
const KEY = `query { pushPublicKey }`;

const register = (server: TestServer, user: TestUser, s: Subscription) =>
  ok(server, REGISTER, { e: s.endpoint, p: s.p256dh, a: s.auth }, user.token);

describe('push contract (every database)', () => {
  let server: TestServer;
  let receiver: PushReceiver;
  useTestServer((s) => {
    server = s.server;
  });
  beforeAll(async () => {
    receiver = await startPushReceiver();
  });
  afterAll(() => receiver.close());

  test('pushPublicKey: the VAPID key on PostgreSQL, null on the embedded database (push needs PostgreSQL)', async () => {
    const alice = await signUp(server, 'alice');
    const { pushPublicKey } = await ok(server, KEY, {}, alice.token);
    if (usingPostgres()) {
      expect(Buffer.from(pushPublicKey, 'base64url')).toHaveLength(65);
      expect(Buffer.from(pushPublicKey, 'base64url')[0]).toBe(4);
    } else expect(pushPublicKey).toBeNull();
    expect((await gql(server, KEY)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    // Registration checks its arguments either way; it answers whether push is on.
    const registered = (await register(server, alice, receiver.subscribe())).registerPushSubscription;
    expect(registered).toBe(usingPostgres());
  });

  test('bad endpoints and keys are BAD_USER_INPUT naming the argument', async () => {
    const alice = await signUp(server, 'alice');
    const good = receiver.subscribe();
    const point = Buffer.from(good.p256dh, 'base64url');
    const offCurve = Buffer.from(point);
    offCurve[64] ^= 1;
    const compressed = Buffer.concat([Buffer.from([2 + (point[64] & 1)]), point.subarray(1, 33)]);
    const cases: [Partial<Subscription>, string][] = [
      [{ endpoint: 'http://push.example.com/x' }, 'endpoint'],
      [{ endpoint: 'ftp://push.example.com/x' }, 'endpoint'],
      [{ endpoint: 'not a url' }, 'endpoint'],
      [{ endpoint: 'https://user:pw@push.example.com/x' }, 'endpoint'],
      [{ endpoint: `https://push.example.com/${'x'.repeat(3000)}` }, 'endpoint'],
      [{ p256dh: point.subarray(0, 64).toString('base64url') }, 'p256dh'],
      [{ p256dh: offCurve.toString('base64url') }, 'p256dh'],
      [{ p256dh: compressed.toString('base64url') }, 'p256dh'],
      [{ p256dh: 'not base64!' }, 'p256dh'],
      [{ auth: randomBytes(15).toString('base64url') }, 'auth'],
      [{ auth: randomBytes(17).toString('base64url') }, 'auth'],
    ];
    for (const [override, argument] of cases) {
      const s = { ...good, ...override };
      const result = await gql(server, REGISTER, { e: s.endpoint, p: s.p256dh, a: s.auth }, alice.token);
      expect([JSON.stringify(override).slice(0, 80), result.errors?.[0].extensions]).toEqual([
        JSON.stringify(override).slice(0, 80),
        expect.objectContaining({ code: 'BAD_USER_INPUT', argument }),
      ]);
    }
    // https: anywhere is fine (nothing is sent to it in this test).
    const https = { ...good, endpoint: `https://push.example.com/${randomBytes(8).toString('hex')}` };
    expect((await register(server, alice, https)).registerPushSubscription).toBe(usingPostgres());
  });

  test('setConversationMuted mutes and unmutes; Conversation.muted is per member; NOT_FOUND before a first message', async () => {
    const [alice, bob] = [await signUp(server, 'alice'), await signUp(server, 'bob')];
    expect((await gql(server, MUTE, { w: bob.id, m: true }, alice.token)).errors?.[0].extensions?.code).toBe(
      'NOT_FOUND',
    );
    await ok(server, SEND, { to: alice.id, text: 'hi' }, bob.token);
    const muted = (await ok(server, MUTE, { w: bob.id, m: true }, alice.token)).setConversationMuted;
    expect(muted).toMatchObject({ muted: true, unreadCount: 1, peer: { id: bob.id } });
    const inbox = `query { conversations { edges { node { muted peer { id } } } } }`;
    expect((await ok(server, inbox, {}, alice.token)).conversations.edges[0].node.muted).toBe(true);
    expect((await ok(server, inbox, {}, bob.token)).conversations.edges[0].node.muted).toBe(false);
    // Still counts unread.
    await ok(server, SEND, { to: alice.id, text: 'again' }, bob.token);
    expect((await ok(server, `query { unreadCount }`, {}, alice.token)).unreadCount).toBe(2);
    expect((await ok(server, MUTE, { w: bob.id, m: false }, alice.token)).setConversationMuted.muted).toBe(false);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await gql(server, MUTE, { w: unknown, m: true }, alice.token)).errors?.[0].extensions?.code).toBe(
      'NOT_FOUND',
    );
    expect((await gql(server, MUTE, { w: alice.id, m: true }, alice.token)).errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'withUserId',
    });
  });
});

describeWith(['TEST_DATABASE_URL'], 'Web Push delivery (PostgreSQL)', () => {
  let server: TestServer;
  let databaseUrl: string;
  let receiver: PushReceiver;
  useTestServer(
    (s) => {
      server = s.server;
      databaseUrl = s.db.databaseUrl!;
    },
    { env: { VAPID_SUBJECT: 'mailto:ops@parley.test' } },
  );
  beforeAll(async () => {
    receiver = await startPushReceiver();
  });
  afterAll(() => receiver.close());

  /** Alice with a subscription, and Bob who writes to her. */
  async function pair(script: Parameters<PushReceiver['subscribe']>[0] = []) {
    const [alice, bob] = [await signUp(server, 'alice'), await signUp(server, 'bob')];
    const subscription = receiver.subscribe(script);
    expect((await register(server, alice, subscription)).registerPushSubscription).toBe(true);
    return { alice, bob, subscription };
  }

  test('a message is pushed: decrypted payload, VAPID JWT, TTL, a Topic per conversation', async () => {
    const { alice, bob, subscription } = await pair();
    const sent = (await ok(server, SEND, { to: alice.id, text: 'Hello Alice 👋' }, bob.token)).sendMessage;
    const [push] = await receiver.waitFor(1, { endpoint: subscription.endpoint });
    expect(push.payload).toEqual({
      conversationWithUserId: bob.id,
      messageId: sent.id,
      title: bob.username,
      body: 'Hello Alice 👋',
      unreadTotal: 1,
    });
    expect(push.claims).toMatchObject({ aud: receiver.url, sub: 'mailto:ops@parley.test' });
    expect(Number(push.headers.ttl)).toBeGreaterThan(0);
    expect(push.headers.topic).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
    const conversation = `query($w: ID!) { conversation(withUserId: $w) { id } }`;
    const { id } = (await ok(server, conversation, { w: bob.id }, alice.token)).conversation;
    expect(push.headers.topic).toBe(id.replaceAll('-', ''));
    // The sender is not pushed their own message; a second message counts unread.
    const back = receiver.subscribe();
    await register(server, bob, back);
    await ok(server, SEND, { to: alice.id, text: 'second' }, bob.token);
    const pushes = await receiver.waitFor(2, { endpoint: subscription.endpoint });
    expect(pushes[1].payload).toMatchObject({ body: 'second', unreadTotal: 2 });
    expect(receiver.received.filter((p) => p.endpoint === back.endpoint)).toHaveLength(0);
  });

  test('every subscription of the recipient gets it; a muted conversation gets none, unmuted again it does', async () => {
    const { alice, bob, subscription } = await pair();
    const other = receiver.subscribe();
    await register(server, alice, other);
    await ok(server, SEND, { to: alice.id, text: 'one' }, bob.token);
    await receiver.waitFor(1, { endpoint: subscription.endpoint });
    await receiver.waitFor(1, { endpoint: other.endpoint });
    await ok(server, MUTE, { w: bob.id, m: true }, alice.token);
    await ok(server, SEND, { to: alice.id, text: 'muted' }, bob.token);
    await ok(server, MUTE, { w: bob.id, m: false }, alice.token);
    await ok(server, SEND, { to: alice.id, text: 'three' }, bob.token);
    const pushes = await receiver.waitFor(2, { endpoint: subscription.endpoint });
    await sleep(1500);
    expect(receiver.accepted.filter((p) => p.endpoint === subscription.endpoint).map((p) => p.payload.body)).toEqual([
      'one',
      'three',
    ]);
    expect(pushes[1].payload.unreadTotal).toBe(3); // the muted one still counts
  });

  test('unregister, log out and log out everywhere stop pushes; an endpoint registered again moves', async () => {
    const { alice, bob, subscription } = await pair();
    expect((await ok(server, UNREGISTER, { e: subscription.endpoint }, bob.token)).unregisterPushSubscription).toBe(
      false, // not Bob's
    );
    expect((await ok(server, UNREGISTER, { e: subscription.endpoint }, alice.token)).unregisterPushSubscription).toBe(
      true,
    );
    await ok(server, SEND, { to: alice.id, text: 'after unregister' }, bob.token);

    // Log out: the session's subscription goes; another session's stays.
    const login = `mutation($u: String!) { logIn(username: $u, password: "correct horse") { token } }`;
    const second = { ...alice, token: (await ok(server, login, { u: alice.username })).logIn.token };
    const a = receiver.subscribe();
    const b = receiver.subscribe();
    await register(server, alice, a);
    await register(server, second, b);
    await ok(server, `mutation { logOut }`, {}, alice.token);
    await ok(server, SEND, { to: alice.id, text: 'after log out' }, bob.token);
    await receiver.waitFor(1, { endpoint: b.endpoint });

    // The same endpoint registered by another user's session moves to it.
    const carol = await signUp(server, 'carol');
    await register(server, carol, b);
    await ok(server, SEND, { to: alice.id, text: 'to alice, b moved' }, bob.token);
    await ok(server, SEND, { to: carol.id, text: 'to carol' }, bob.token);
    await receiver.waitFor(2, { endpoint: b.endpoint });

    // Log out everywhere: nothing left.
    const c = receiver.subscribe();
    await register(server, carol, c);
    await ok(server, `mutation { logOutEverywhere }`, {}, carol.token);
    await ok(server, SEND, { to: carol.id, text: 'after everywhere' }, bob.token);
    await sleep(2000);
    const bodies = (endpoint: string) =>
      receiver.received.filter((p) => p.endpoint === endpoint).map((p) => p.payload.body);
    expect(bodies(subscription.endpoint)).toEqual([]);
    expect(bodies(a.endpoint)).toEqual([]);
    expect(bodies(b.endpoint)).toEqual(['after log out', 'to carol']);
    expect(bodies(c.endpoint)).toEqual([]);
  });

  test('410 Gone deletes the subscription; 500 and 429 are retried with backoff until accepted', async () => {
    const gone = await pair([410, 410, 410]);
    const requests = () => receiver.received.filter((p) => p.endpoint === gone.subscription.endpoint);
    await ok(server, SEND, { to: gone.alice.id, text: 'to a gone browser' }, gone.bob.token);
    for (let i = 0; i < 100 && !requests().length; i++) await sleep(100);
    await sleep(500); // the deletion follows the answer
    await ok(server, SEND, { to: gone.alice.id, text: 'again' }, gone.bob.token);
    await sleep(2500);
    // One request answered 410; the subscription was deleted, so the second message made no job.
    expect(receiver.received.filter((p) => p.endpoint === gone.subscription.endpoint)).toHaveLength(1);
    expect(receiver.accepted.filter((p) => p.endpoint === gone.subscription.endpoint)).toHaveLength(0);

    const flaky = await pair([500, 429]);
    const started = Date.now();
    await ok(server, SEND, { to: flaky.alice.id, text: 'eventually' }, flaky.bob.token);
    const [push] = await receiver.waitFor(1, { endpoint: flaky.subscription.endpoint, ms: 60_000 });
    expect(push.payload.body).toBe('eventually');
    const attempts = receiver.received.filter((p) => p.endpoint === flaky.subscription.endpoint);
    expect(attempts.map((p) => p.status)).toEqual([500, 429, 201]);
    // Backoff: e^1 + e^2 seconds ≈ 10 s between the first attempt and the third.
    expect(attempts[2].at - attempts[0].at).toBeGreaterThan(5_000);
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 90_000);

  test("a 503's or a 429's Retry-After reschedules the push at that time, at most an hour ahead", async () => {
    // 503 with 6 s: the next attempt waits 6 s (graphile-worker's backoff alone would come after e^1 ≈ 2.7 s).
    const busy = await pair([{ status: 503, retryAfter: '6' }]);
    await ok(server, SEND, { to: busy.alice.id, text: 'later' }, busy.bob.token);
    const [push] = await receiver.waitFor(1, { endpoint: busy.subscription.endpoint, ms: 60_000 });
    expect(push.payload.body).toBe('later');
    const attempts = receiver.received.filter((p) => p.endpoint === busy.subscription.endpoint);
    expect(attempts.map((p) => p.status)).toEqual([503, 201]);
    expect(attempts[1].at - attempts[0].at).toBeGreaterThan(5_500);

    // 429 asking for a day (an HTTP date): the push waits in the queue for an hour, not a day.
    const throttled = await pair([{ status: 429, retryAfter: new Date(Date.now() + 86_400_000).toUTCString() }]);
    await ok(server, SEND, { to: throttled.alice.id, text: 'much later' }, throttled.bob.token);
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      let runAt: Date | undefined;
      for (let i = 0; i < 200 && !runAt; i++) {
        const { rows } = await db.query<{ run_at: Date }>(
          `SELECT j.run_at FROM graphile_worker.jobs j JOIN "PushSubscription" s
             ON j.key LIKE 'push:%:' || s."id" WHERE s."endpoint" = $1 AND j.run_at > now() + interval '10 minutes'`,
          [throttled.subscription.endpoint],
        );
        runAt = rows[0]?.run_at;
        if (!runAt) await sleep(100);
      }
      expect(runAt).toBeDefined();
      expect(runAt!.getTime() - Date.now()).toBeGreaterThan(55 * 60_000);
      expect(runAt!.getTime() - Date.now()).toBeLessThanOrEqual(60 * 60_000);
    } finally {
      await db.end();
    }
    expect(receiver.received.filter((p) => p.endpoint === throttled.subscription.endpoint)).toHaveLength(1);
  }, 90_000);
});

describeWith(['TEST_DATABASE_URL'], 'Web Push without previews (PUSH_PREVIEW=off)', () => {
  let server: TestServer;
  let receiver: PushReceiver;
  useTestServer(
    (s) => {
      server = s.server;
    },
    { env: { PUSH_PREVIEW: 'off' } },
  );
  beforeAll(async () => {
    receiver = await startPushReceiver();
  });
  afterAll(() => receiver.close());

  test('the push says who wrote, never what', async () => {
    const [alice, bob] = [await signUp(server, 'alice'), await signUp(server, 'bob')];
    const subscription = receiver.subscribe();
    await register(server, alice, subscription);
    await ok(server, SEND, { to: alice.id, text: 'a secret' }, bob.token);
    const [push] = await receiver.waitFor(1);
    expect(push.payload).toMatchObject({ title: bob.username, body: `New message from ${bob.username}` });
    expect(JSON.stringify(push.payload)).not.toContain('secret');
  });
});
