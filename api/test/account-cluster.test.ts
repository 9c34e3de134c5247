// Account and safety effects across instances (issue #22): two server processes on one PostgreSQL and one Redis.
// A change made through instance A takes effect on sockets and caches of instance B: a password change or a
// logOutSession closes the other session's socket there within a second, a block stops sends and typing through
// B (whose block cache was warm), a new display name and a deleted account's tombstones reach subscribers on B.
import type { TestDatabase } from './support/databases.ts';
import { describeWith } from './support/requirements.ts';
import { useTestDatabase } from './support/suite.ts';
import {
  collect,
  connected,
  gql,
  ok,
  signUp,
  sleep,
  spawnServer,
  wsClient,
  type ServerProcess,
} from './support/server.ts';

const SEND = `mutation($to: ID!, $text: String!) { sendMessage(recipientId: $to, content: $text) { id } }`;
const LOG_IN = `mutation($u: String!, $p: String!) { logIn(username: $u, password: $p) { token } }`;
const code = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;

describeWith(['TEST_DATABASE_URL', 'REDIS_URL'], 'account and safety across two instances', () => {
  let db: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  useTestDatabase((suite) => {
    db = suite;
  });
  beforeAll(async () => {
    const env = { REDIS_URL: process.env.REDIS_URL!, JWT_SECRET: 'account-cluster-test-secret-of-32-chars' };
    [a, b] = [await spawnServer(db, env), await spawnServer(db, env)];
  });
  afterAll(async () => {
    await Promise.all([a?.kill(), b?.kill()]);
  });

  /** A socket on `server` for `token`, and when (and with which code) it closed. */
  async function socketOn(server: ServerProcess, token: string) {
    const client = wsClient(server, token);
    const closed = new Promise<{ code: number; at: number }>((resolve) =>
      client.on('closed', (e) => resolve({ code: (e as { code: number }).code, at: Date.now() })),
    );
    await connected(client, 500);
    return { client, closed };
  }

  test('changePassword on A closes the other session’s socket on B within a second; this one stays', async () => {
    const alice = await signUp(a, 'alice');
    const other = (await ok(b, LOG_IN, { u: alice.username, p: 'correct horse' })).logIn.token as string;
    const onB = await socketOn(b, other);
    const mineOnB = await socketOn(b, alice.token);
    try {
      await ok(
        a,
        `mutation { changePassword(currentPassword: "correct horse", newPassword: "new horse!") }`,
        {},
        alice.token,
      );
      const answered = Date.now();
      const closed = await onB.closed;
      expect(closed.code).toBe(4403);
      // Within a second of the answer (the change itself hashes the password: a few hundred ms on a busy machine).
      expect(closed.at - answered).toBeLessThan(1_000);
      expect(code(await gql(b, `{ me { id } }`, {}, other))).toBe('UNAUTHENTICATED');
      await sleep(300);
      const still = await new Promise<unknown>((resolve) =>
        mineOnB.client.subscribe({ query: '{ me { id } }' }, { next: resolve, error: resolve, complete: () => {} }),
      );
      expect(still).toEqual({ data: { me: { id: alice.id } } });
    } finally {
      await Promise.all([onB.client.dispose(), mineOnB.client.dispose()]);
    }
  });

  test('logOutSession on A closes that session’s socket on B', async () => {
    const alice = await signUp(a, 'alice');
    const other = (await ok(b, LOG_IN, { u: alice.username, p: 'correct horse' })).logIn.token as string;
    const onB = await socketOn(b, other);
    try {
      const { sessions } = await ok(a, `{ sessions { edges { node { id current } } } }`, {}, alice.token);
      const target = sessions.edges.find((e: { node: { current: boolean } }) => !e.node.current).node.id;
      expect(
        (await ok(a, `mutation($id: ID!) { logOutSession(id: $id) }`, { id: target }, alice.token)).logOutSession,
      ).toBe(true);
      const answered = Date.now();
      const closed = await onB.closed;
      expect([closed.code, closed.at - answered < 1_000]).toEqual([4403, true]);
    } finally {
      await onB.client.dispose();
    }
  });

  test('a block made on A stops sends both ways and typing through B (whose cache was warm)', async () => {
    const [alice, bob] = [await signUp(a, 'alice'), await signUp(b, 'bob')];
    await ok(b, SEND, { to: bob.id, text: 'hi' }, alice.token);
    const bobOnB = wsClient(b, bob.token);
    try {
      const typing = collect(bobOnB, `subscription($w: ID) { typing(withUserId: $w) { typing } }`, { w: alice.id });
      await connected(bobOnB, 500);
      // B has read alice's blocks (and passed her typing on) before the block.
      await ok(b, `mutation($w: ID!) { setTyping(withUserId: $w, typing: true) }`, { w: bob.id }, alice.token);
      await typing.waitFor(1, 5_000);
      await ok(a, `mutation($id: ID!) { blockUser(userId: $id) }`, { id: bob.id }, alice.token);
      // The block is announced on the bus: a moment for B to hear it (generous: shared, loaded test machines).
      await sleep(1_500);
      await ok(b, `mutation($w: ID!) { setTyping(withUserId: $w, typing: false) }`, { w: bob.id }, alice.token);
      expect(code(await gql(b, SEND, { to: bob.id, text: 'through B' }, alice.token))).toBe('FORBIDDEN');
      expect(code(await gql(b, SEND, { to: alice.id, text: 'through B' }, bob.token))).toBe('FORBIDDEN');
      await sleep(800);
      expect(typing.events.map((e) => e.data.typing.typing)).toEqual([true]);
      const conv = await ok(
        b,
        `query($w: ID!) { conversation(withUserId: $w) { blockedMe } }`,
        { w: alice.id },
        bob.token,
      );
      expect(conv.conversation.blockedMe).toBe(true);
    } finally {
      await bobOnB.dispose();
    }
  });

  test('a read on A while blocked sends no receipt to the peer on B; the first read after the unblock does', async () => {
    const [alice, bob] = [await signUp(a, 'alice'), await signUp(b, 'bob')];
    const first = (await ok(a, SEND, { to: bob.id, text: 'one' }, alice.token)).sendMessage.id;
    const second = (await ok(a, SEND, { to: bob.id, text: 'two' }, alice.token)).sendMessage.id;
    const aliceOnB = wsClient(b, alice.token);
    try {
      const reads = collect(aliceOnB, `subscription { messagesRead { count upTo { id } } }`);
      const updates = collect(aliceOnB, `subscription { conversationUpdated { peerLastRead { id } } }`);
      await connected(aliceOnB, 500);
      await ok(a, `mutation($id: ID!) { blockUser(userId: $id) }`, { id: alice.id }, bob.token);
      const read = `mutation($from: ID!, $upTo: ID) { markRead(senderId: $from, upToMessageId: $upTo) { count } }`;
      expect((await ok(a, read, { from: alice.id, upTo: first }, bob.token)).markRead.count).toBe(1);
      const history = `query($w: ID!) { chatHistory(withUserId: $w, last: 10) { edges { node { readAt } } } }`;
      const readAts = async () =>
        (await ok(b, history, { w: bob.id }, alice.token)).chatHistory.edges.map((e: any) => e.node.readAt);
      expect(await readAts()).toEqual([null, null]);
      await ok(a, `mutation($id: ID!) { unblockUser(userId: $id) }`, { id: alice.id }, bob.token);
      expect((await ok(a, read, { from: alice.id, upTo: second }, bob.token)).markRead.count).toBe(2);
      // The first receipt alice's socket on B gets is the one after the unblock: none was sent while blocked.
      const [receipt] = await reads.waitFor(1, 5_000);
      expect(receipt.data.messagesRead).toEqual({ count: 2, upTo: { id: second } });
      const deadline = Date.now() + 5_000;
      const positions = () =>
        updates.events.map((e) => e.data.conversationUpdated.peerLastRead).filter((p) => p !== null);
      while (positions().length === 0 && Date.now() < deadline) await sleep(50);
      expect(positions()).toEqual([{ id: second }]);
      expect((await readAts()).every((at: string | null) => at !== null)).toBe(true);
    } finally {
      await aliceOnB.dispose();
    }
  });

  test('a new display name set on A reaches the peer subscribed on B', async () => {
    const [alice, bob] = [await signUp(a, 'alice'), await signUp(b, 'bob')];
    await ok(a, SEND, { to: bob.id, text: 'hi' }, alice.token);
    const bobOnB = wsClient(b, bob.token);
    try {
      const updates = collect(bobOnB, `subscription { conversationUpdated { peer { displayName } } }`);
      await connected(bobOnB, 500);
      await ok(a, `mutation { updateProfile(displayName: "Alice on A") { id } }`, {}, alice.token);
      const [event] = await updates.waitFor(1, 5_000);
      expect(event.data.conversationUpdated.peer.displayName).toBe('Alice on A');
    } finally {
      await bobOnB.dispose();
    }
  });

  test('deleteAccount on A: tombstones reach the peer on B, the account’s socket on B closes', async () => {
    const [alice, bob] = [await signUp(a, 'alice'), await signUp(b, 'bob')];
    const ids = [
      (await ok(a, SEND, { to: bob.id, text: 'one' }, alice.token)).sendMessage.id,
      (await ok(a, SEND, { to: bob.id, text: 'two' }, alice.token)).sendMessage.id,
    ];
    const bobOnB = wsClient(b, bob.token);
    const updates = collect(bobOnB, `subscription { messageUpdated { id content deletedAt } }`);
    await connected(bobOnB, 500);
    const aliceOnB = await socketOn(b, alice.token);
    try {
      await ok(a, `mutation { deleteAccount(password: "correct horse") }`, {}, alice.token);
      const answered = Date.now();
      const events = await updates.waitFor(2, 5_000);
      expect(events.map((e) => e.data.messageUpdated.id).sort()).toEqual([...ids].sort());
      expect(events.every((e) => e.data.messageUpdated.content === '' && e.data.messageUpdated.deletedAt)).toBe(true);
      const closed = await aliceOnB.closed;
      expect([closed.code, closed.at - answered < 1_000]).toEqual([4403, true]);
      expect(code(await gql(b, `{ me { id } }`, {}, alice.token))).toBe('UNAUTHENTICATED');
    } finally {
      await Promise.all([bobOnB.dispose(), aliceOnB.client.dispose()]);
    }
  });
});
