// Exactly-once from the user's point of view: idempotent sends, catch-up with `after`, and commit order.
import { collect, connected, gql, ok, signUp, wsClient, type TestServer, type TestUser } from './support/server.ts';
import { useTestServer } from './support/suite.ts';

const SEND = `mutation($to: ID!, $text: String!, $cid: String) { sendMessage(recipientId: $to, content: $text, clientMessageId: $cid) { id content clientMessageId } }`;
const ADDED = `subscription($with: ID, $after: String) { messageAdded(withUserId: $with, after: $after) { id content } }`;
const PAGE = `query($with: ID!, $first: Int, $after: String, $last: Int) { chatHistory(withUserId: $with, first: $first, after: $after, last: $last) { edges { cursor node { id content } } pageInfo { endCursor hasNextPage } } }`;

let server: TestServer;
let alice: TestUser, bob: TestUser;
useTestServer(async (suite) => {
  server = suite.server;
  [alice, bob] = await Promise.all([signUp(server, 'alice'), signUp(server, 'bob')]);
});

const code = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;

test('concurrent retries with one clientMessageId store one message and return it to every caller', async () => {
  const cid = `dup-${Date.now()}`;
  const results = await Promise.all(
    Array.from({ length: 12 }, () => gql(server, SEND, { to: bob.id, text: 'only once', cid }, alice.token)),
  );
  const ids = new Set(results.map((r) => r.data?.sendMessage.id));
  expect(results.map(code)).toEqual(Array(12).fill(undefined));
  expect(ids.size).toBe(1);
  const history = await ok(server, PAGE, { with: bob.id, last: 100 }, alice.token);
  expect(history.chatHistory.edges.filter((e: any) => e.node.content === 'only once')).toHaveLength(1);
});

test('a retry publishes nothing new; reusing an id for other content or recipient is BAD_USER_INPUT', async () => {
  const carol = await signUp(server, 'carol');
  const socket = wsClient(server, bob.token);
  try {
    const events = collect(socket, ADDED, { with: alice.id });
    await connected(socket);
    const first = await ok(server, SEND, { to: bob.id, text: 'retry me', cid: 'r-1' }, alice.token);
    const retry = await ok(server, SEND, { to: bob.id, text: 'retry me', cid: 'r-1' }, alice.token);
    expect(retry.sendMessage.id).toBe(first.sendMessage.id);
    await ok(server, SEND, { to: bob.id, text: 'next', cid: 'r-2' }, alice.token);
    await events.waitFor(2);
    await new Promise((r) => setTimeout(r, 300));
    expect(events.events.map((e) => e.data.messageAdded.content)).toEqual(['retry me', 'next']);
  } finally {
    await socket.dispose();
  }
  expect(code(await gql(server, SEND, { to: bob.id, text: 'different', cid: 'r-1' }, alice.token))).toBe(
    'BAD_USER_INPUT',
  );
  expect(code(await gql(server, SEND, { to: carol.id, text: 'retry me', cid: 'r-1' }, alice.token))).toBe(
    'BAD_USER_INPUT',
  );
  // Ids are per sender: Bob may use the same one.
  expect(code(await gql(server, SEND, { to: alice.id, text: 'mine', cid: 'r-1' }, bob.token))).toBeUndefined();
});

test('messageAdded(after) replays what was missed, then continues live, with no gap or duplicate', async () => {
  const [dan, eve] = await Promise.all([signUp(server, 'dan'), signUp(server, 'eve')]);
  for (let i = 0; i < 5; i++) await ok(server, SEND, { to: eve.id, text: `old ${i}` }, dan.token);
  const held = await ok(server, PAGE, { with: dan.id, last: 2 }, eve.token); // eve "holds" up to old 4
  const cursor = held.chatHistory.edges[0].cursor; // ...or resumes from old 3
  for (let i = 0; i < 150; i++) await ok(server, SEND, { to: eve.id, text: `missed ${i}` }, dan.token);

  const socket = wsClient(server, eve.token);
  try {
    const sub = collect(socket, ADDED, { with: dan.id, after: cursor });
    // Messages sent while the replay runs must appear exactly once, after the replayed ones.
    const during = Promise.all(
      Array.from({ length: 20 }, (_, i) => ok(server, SEND, { to: eve.id, text: `during ${i}` }, dan.token)),
    );
    await during;
    const expected = ['old 4', ...Array.from({ length: 150 }, (_, i) => `missed ${i}`)];
    const events = await sub.waitFor(expected.length + 20, 20_000);
    await new Promise((r) => setTimeout(r, 1_500)); // let any late duplicate show up
    const contents = events.map((e) => e.data.messageAdded.content);
    expect(contents.slice(0, expected.length)).toEqual(expected);
    expect(new Set(contents.slice(expected.length))).toEqual(
      new Set(Array.from({ length: 20 }, (_, i) => `during ${i}`)),
    );
    expect(contents).toHaveLength(expected.length + 20);
    // The stream order is the history order.
    const all = await ok(server, PAGE, { with: dan.id, first: 100, after: cursor }, eve.token);
    const next = await ok(
      server,
      PAGE,
      { with: dan.id, first: 100, after: all.chatHistory.pageInfo.endCursor },
      eve.token,
    );
    expect(contents).toEqual([...all.chatHistory.edges, ...next.chatHistory.edges].map((e: any) => e.node.content));
  } finally {
    await socket.dispose();
  }
});

test('Message.cursor is the message’s history cursor: a client resumes right after the last message it got live', async () => {
  const [fay, gus] = await Promise.all([signUp(server, 'fay'), signUp(server, 'gus')]);
  const WITH_CURSOR = `subscription($with: ID, $after: String) { messageAdded(withUserId: $with, after: $after) { id content cursor } }`;
  const sent = await ok(
    server,
    `mutation($to: ID!) { sendMessage(recipientId: $to, content: "one") { id cursor } }`,
    { to: gus.id },
    fay.token,
  );

  // Gus holds "one" and "two", the second only from the live stream.
  const first = wsClient(server, gus.token);
  let lastHeld: { content: string; cursor: string };
  try {
    const live = collect(first, WITH_CURSOR, { with: fay.id, after: sent.sendMessage.cursor });
    await connected(first);
    await ok(server, SEND, { to: gus.id, text: 'two' }, fay.token);
    lastHeld = (await live.waitFor(1))[0]!.data.messageAdded;
    expect(lastHeld.content).toBe('two');
  } finally {
    await first.dispose();
  }
  // While Gus is offline: three and four.
  await ok(server, SEND, { to: gus.id, text: 'three' }, fay.token);
  await ok(server, SEND, { to: fay.id, text: 'four' }, gus.token);

  const history = await ok(server, PAGE, { with: fay.id, last: 10 }, gus.token);
  expect(history.chatHistory.edges.map((e: any) => e.cursor)).toHaveLength(4);
  expect(history.chatHistory.edges[0].cursor).toBe(sent.sendMessage.cursor);
  expect(history.chatHistory.edges[1].cursor).toBe(lastHeld.cursor);
  const again = wsClient(server, gus.token);
  try {
    const resumed = collect(again, WITH_CURSOR, { with: fay.id, after: lastHeld.cursor });
    const events = await resumed.waitFor(2);
    await new Promise((r) => setTimeout(r, 500)); // nothing else (no replay of what Gus holds)
    expect(events.map((e) => e.data.messageAdded.content)).toEqual(['three', 'four']);
    expect(events.map((e) => e.data.messageAdded.cursor)).toEqual(
      history.chatHistory.edges.slice(2).map((e: any) => e.cursor),
    );
  } finally {
    await again.dispose();
  }
});

test('after needs withUserId and a cursor of that conversation', async () => {
  const carol = await signUp(server, 'carol2');
  await ok(server, SEND, { to: carol.id, text: 'x' }, alice.token);
  const foreign = (await ok(server, PAGE, { with: bob.id, last: 1 }, alice.token)).chatHistory.edges[0].cursor;
  const socket = wsClient(server, alice.token);
  try {
    for (const vars of [{ after: foreign }, { with: carol.id, after: foreign }, { with: carol.id, after: 'junk' }]) {
      const sub = collect(socket, ADDED, vars);
      const [event] = await sub.waitFor(1);
      expect([vars, event.errors?.[0]?.extensions?.code]).toEqual([vars, 'BAD_USER_INPUT']);
    }
  } finally {
    await socket.dispose();
  }
});

test('commit order: readers paging with after and catching up never miss a row sent by many concurrent senders', async () => {
  const [p, q] = await Promise.all([signUp(server, 'p'), signUp(server, 'q')]);
  await ok(server, SEND, { to: q.id, text: 'start' }, p.token);
  const startCursor = (await ok(server, PAGE, { with: q.id, last: 1 }, p.token)).chatHistory.edges[0].cursor;
  const SENDERS = 8,
    EACH = 40;
  let sending = true;

  // Reader 1 polls forward with first/after from wherever it got to, as fast as it can.
  const polled: string[] = [];
  const poller = (async () => {
    let after = startCursor;
    for (;;) {
      const stillSending = sending;
      const page = await ok(server, PAGE, { with: q.id, first: 100, after }, p.token);
      polled.push(...page.chatHistory.edges.map((e: any) => e.node.content));
      if (page.chatHistory.pageInfo.endCursor) after = page.chatHistory.pageInfo.endCursor;
      if (!stillSending && !page.chatHistory.pageInfo.hasNextPage) return;
    }
  })();
  // Reader 2 catches up by subscription, starting while the senders are busy.
  const socket = wsClient(server, q.token);
  const senders = Array.from({ length: SENDERS }, (_, s) =>
    (async () => {
      for (let i = 0; i < EACH; i++) {
        const [from, to] = s % 2 ? [q, p] : [p, q];
        await ok(server, SEND, { to: to.id, text: `s${s}-${i}` }, from.token);
      }
    })(),
  );
  await new Promise((r) => setTimeout(r, 200));
  const sub = collect(socket, ADDED, { with: p.id, after: startCursor });
  try {
    await Promise.all(senders);
    sending = false;
    await poller;
    const streamed = (await sub.waitFor(SENDERS * EACH, 30_000)).map((e) => e.data.messageAdded.content);
    const history = [] as string[];
    let after = startCursor;
    for (;;) {
      const page = await ok(server, PAGE, { with: q.id, first: 100, after }, p.token);
      history.push(...page.chatHistory.edges.map((e: any) => e.node.content));
      if (!page.chatHistory.pageInfo.hasNextPage) break;
      after = page.chatHistory.pageInfo.endCursor;
    }
    expect(history).toHaveLength(SENDERS * EACH);
    expect(polled).toEqual(history); // every row exactly once, in the order history reports
    expect(streamed).toEqual(history);
    // Each sender's messages appear in the order it sent them.
    for (let s = 0; s < SENDERS; s++) {
      const mine = history.filter((c) => c.startsWith(`s${s}-`));
      expect(mine).toEqual(Array.from({ length: EACH }, (_, i) => `s${s}-${i}`));
    }
  } finally {
    await socket.dispose();
  }
});
