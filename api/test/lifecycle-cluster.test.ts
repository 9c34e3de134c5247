// The message lifecycle on two instances (PostgreSQL + Redis): races between instances end in one agreed state,
// and messageUpdated delivers every change once, in commit order, wherever it was made.
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { describeWith } from './support/requirements.ts';
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

const FIELDS = `id content deletedAt updateCursor reactions { emoji count }`;
const SEND = `mutation($to: ID!, $text: String!) { sendMessage(recipientId: $to, content: $text) { ${FIELDS} } }`;
const EDIT = `mutation($id: ID!, $text: String!) { editMessage(id: $id, content: $text) { ${FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteMessage(id: $id) { ${FIELDS} } }`;
const REACT = `mutation($id: ID!, $e: String!) { addReaction(messageId: $id, emoji: $e) { ${FIELDS} } }`;
const HISTORY = `query($with: ID!) { chatHistory(withUserId: $with, last: 100) { edges { node { ${FIELDS} } } } }`;
const UPDATED = `subscription($with: ID, $after: String) { messageUpdated(withUserId: $with, after: $after) { ${FIELDS} } }`;

describeWith(['TEST_DATABASE_URL', 'REDIS_URL'], 'message lifecycle on two instances (PostgreSQL + Redis)', () => {
  let db: TestDatabase;
  let a: ServerProcess, b: ServerProcess;
  const env = () => ({ REDIS_URL: process.env.REDIS_URL!, JWT_SECRET: 'lifecycle-test-secret-of-at-least-32-chars' });
  beforeAll(async () => {
    db = await createTestDatabase();
    [a, b] = [await spawnServer(db, env()), await spawnServer(db, env())];
  });
  afterAll(async () => {
    await Promise.all([a?.kill(), b?.kill()]);
    await db?.drop();
  });

  /** Every event of the stream per message id, in arrival order. */
  const byMessage = (events: any[]) => {
    const map = new Map<string, any[]>();
    for (const e of events.map((x) => x.data.messageUpdated)) map.set(e.id, [...(map.get(e.id) ?? []), e]);
    return map;
  };

  test('an edit racing a deletion on the other instance ends deleted, everywhere', async () => {
    const [alice, bob] = [await signUp(a, 'alice'), await signUp(b, 'bob')];
    const socket = wsClient(b, bob.token);
    try {
      const stream = collect(socket, UPDATED, { with: alice.id });
      await connected(socket, 500);
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) {
        const m = (await ok(a, SEND, { to: bob.id, text: `secret ${i}` }, alice.token)).sendMessage;
        ids.push(m.id);
        const [edit, del] = await Promise.all([
          gql(a, EDIT, { id: m.id, text: `edited secret ${i}` }, alice.token),
          gql(b, DELETE, { id: m.id }, alice.token),
        ]);
        expect(del.errors).toBeUndefined();
        // The edit either came first (and was then deleted) or found a tombstone.
        if (edit.errors) expect(edit.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'id' });
      }
      const history = (await ok(b, HISTORY, { with: alice.id }, bob.token)).chatHistory.edges.map((e: any) => e.node);
      expect(history.map((m: any) => [m.content, m.deletedAt !== null])).toEqual(ids.map(() => ['', true]));
      await sleep(1500);
      const events = byMessage(stream.events);
      for (const id of ids) {
        const states = events.get(id)!;
        expect(states.at(-1)).toMatchObject({ content: '', deletedAt: expect.any(String) });
        expect(states.length).toBeLessThanOrEqual(2);
      }
      // Positions only grow along the stream.
      const positions = stream.events.map((e: any) =>
        Buffer.from(e.data.messageUpdated.updateCursor, 'base64url').toString(),
      );
      const seqs = positions.map((p: string) => Number(p.split(':')[2]));
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(seqs.length);
    } finally {
      await socket.dispose();
    }
  });

  test('concurrent reactions from both sides on two instances both stay', async () => {
    const [alice, bob] = [await signUp(a, 'alice'), await signUp(b, 'bob')];
    const socket = wsClient(a, alice.token);
    try {
      const stream = collect(socket, UPDATED, {});
      await connected(socket, 500);
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) {
        const m = (await ok(a, SEND, { to: bob.id, text: `react ${i}` }, alice.token)).sendMessage;
        ids.push(m.id);
        await Promise.all([
          ok(a, REACT, { id: m.id, e: '👍' }, alice.token),
          ok(b, REACT, { id: m.id, e: '❤️' }, bob.token),
        ]);
      }
      const history = (await ok(a, HISTORY, { with: bob.id }, alice.token)).chatHistory.edges.map((e: any) => e.node);
      for (const m of history) expect(m.reactions.map((r: any) => r.emoji).sort()).toEqual(['❤️', '👍'].sort());
      // Each message's changes arrive in commit order, none twice; when the second event overtook the first (they
      // come from two instances), the stream read the message from the database and delivered its newest state
      // once: the first change has no state of its own any more. Either way the last state has both reactions.
      await sleep(1500);
      const events = byMessage(stream.events);
      for (const id of ids) {
        const states = events.get(id)!;
        expect(states.length).toBeGreaterThanOrEqual(1);
        expect(states.length).toBeLessThanOrEqual(2);
        expect(states.at(-1).reactions).toHaveLength(2);
        if (states.length === 2) expect(states[0].reactions).toHaveLength(1);
      }
    } finally {
      await socket.dispose();
    }
  });

  test('a subscriber on one instance resumes on the other with its updateCursor: each missed state once', async () => {
    const [alice, bob] = [await signUp(a, 'alice'), await signUp(b, 'bob')];
    const ms = [];
    for (const text of ['one', 'two', 'three', 'four'])
      ms.push((await ok(a, SEND, { to: bob.id, text }, alice.token)).sendMessage);
    const first = await ok(a, REACT, { id: ms[0].id, e: '👀' }, bob.token);
    const cursor = first.addReaction.updateCursor;

    await ok(a, EDIT, { id: ms[0].id, text: 'one!' }, alice.token);
    await ok(b, DELETE, { id: ms[1].id }, alice.token);
    await ok(a, REACT, { id: ms[2].id, e: '🎉' }, bob.token);
    await ok(b, REACT, { id: ms[3].id, e: '🎉' }, alice.token);

    const socket = wsClient(b, bob.token);
    try {
      const stream = collect(socket, UPDATED, { with: alice.id, after: cursor });
      await connected(socket, 500);
      await ok(a, EDIT, { id: ms[2].id, text: 'three!' }, alice.token); // live, through the other instance
      const events = (await stream.waitFor(5)).map((e: any) => e.data.messageUpdated);
      expect(events.map((e: any) => [e.id, e.content, e.reactions.length])).toEqual([
        [ms[0].id, 'one!', 1],
        [ms[1].id, '', 0],
        [ms[2].id, 'three', 1],
        [ms[3].id, 'four', 1],
        [ms[2].id, 'three!', 1],
      ]);
      await sleep(1500);
      expect(stream.events).toHaveLength(5);
    } finally {
      await socket.dispose();
    }
  });
});
