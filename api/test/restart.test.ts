// Messages acknowledged before a restart are there after it — the embedded data directory always, and
// PostgreSQL when TEST_DATABASE_URL is set. Tokens survive the restart too (the JWT secret is persisted).
import { usingPostgres, type TestDatabase } from './support/databases.ts';
import { useTestDatabase } from './support/suite.ts';
import { ok, signUp, spawnServer } from './support/server.ts';

let db: TestDatabase;
useTestDatabase((suite) => {
  db = suite;
});

test(`messages survive a server restart (${usingPostgres() ? 'PostgreSQL' : 'embedded PGlite'})`, async () => {
  const first = await spawnServer(db);
  let ids: string[];
  let alice, bob;
  try {
    [alice, bob] = [await signUp(first, 'alice'), await signUp(first, 'bob')];
    ids = [];
    for (let i = 0; i < 20; i++) {
      const r = await ok(
        first,
        `mutation($to: ID!, $t: String!) { sendMessage(recipientId: $to, content: $t) { id } }`,
        { to: bob.id, t: `before restart ${i}` },
        alice.token,
      );
      ids.push(r.sendMessage.id);
    }
  } finally {
    // SIGKILL: no graceful shutdown, nothing flushed on the way out — acknowledged means stored.
    await first.kill('SIGKILL');
  }
  const second = await spawnServer(db);
  try {
    const history = await ok(
      second,
      `query($w: ID!) { chatHistory(withUserId: $w) { edges { node { id content } } } }`,
      { w: alice.id },
      bob.token,
    );
    expect(history.chatHistory.edges.map((e: any) => e.node.id)).toEqual(ids);
    // And the conversation continues where it was.
    await ok(
      second,
      `mutation($to: ID!) { sendMessage(recipientId: $to, content: "after restart") { id } }`,
      { to: alice.id },
      bob.token,
    );
    const after = await ok(
      second,
      `query($w: ID!) { chatHistory(withUserId: $w, last: 2) { edges { node { content } } } }`,
      { w: bob.id },
      alice.token,
    );
    expect(after.chatHistory.edges.map((e: any) => e.node.content)).toEqual(['before restart 19', 'after restart']);
  } finally {
    await second.kill();
  }
});
