import { gql } from '@apollo/client';
import type { ApolloClient } from '@apollo/client';
import { tokenStore } from '../auth/tokenStore';
import manifest from '../gql/persisted-documents.json';
import { MeDocument } from '../gql/graphql';
import { FakeWebSocket, type Frame } from '../test/fakeWebSocket';
import { createParleyClient } from './client';
import { connectionStatus } from './connectionStatus';

/**
 * Which transport an operation takes: subscriptions always the socket; queries
 * and mutations the socket while it is up and authenticated as the current
 * user, HTTP otherwise. Both ends are fakes we script: a graphql-ws "server"
 * behind a fake WebSocket, and fetch.
 */

class FakeSocket extends FakeWebSocket {
  static instances: FakeSocket[] = [];
  constructor(url: string) {
    super(url);
    FakeSocket.instances.push(this);
  }
  // "server" side, delivered whatever the socket's state (a test may answer after a close)
  reply(message: object) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  ack() {
    this.reply({ type: 'connection_ack' });
  }
  answer(frame: Frame, payload: object) {
    this.reply({ id: frame.id, type: 'next', payload });
    this.reply({ id: frame.id, type: 'complete' });
  }
}

const MeQuery = gql`
  query Me {
    me {
      id
    }
  }
`;
const SendMessage = gql`
  mutation SendMessage($recipientId: ID!, $content: String!, $clientMessageId: String) {
    sendMessage(recipientId: $recipientId, content: $content, clientMessageId: $clientMessageId) {
      id
    }
  }
`;
const MessageAdded = gql`
  subscription MessageAdded {
    messageAdded {
      id
    }
  }
`;
const ME = { me: { __typename: 'User', id: 'u1' } };
const SENT = { sendMessage: { __typename: 'Message', id: 'm1' } };
const sendVariables = { recipientId: 'u2', content: 'Hi', clientMessageId: 'cmid-1' };

const until = async (what: string, check: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

type Body = { operationName: string; query?: string; extensions?: Record<string, unknown> };

/** The fake HTTP server: answers every POST with `answer` (or what it returns for the body) and records what came. */
function fakeFetch(answer: object | ((body: Body) => object) = { data: ME }) {
  const requests: Array<{ operationName: string; authorization: string | null }> = [];
  const bodies: Body[] = [];
  const fetch = jest.fn(async (_uri: unknown, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as Body;
    bodies.push(body);
    requests.push({
      operationName: body.operationName,
      authorization: new Headers(init?.headers).get('authorization'),
    });
    return {
      ok: true,
      status: 200,
      headers: new Headers({ 'content-type': 'application/json' }),
      text: async () => JSON.stringify(typeof answer === 'function' ? answer(body) : answer),
    } as unknown as Response;
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, requests, bodies };
}

let disposers: Array<() => void> = [];

function start(answer?: Parameters<typeof fakeFetch>[0]) {
  const http = fakeFetch(answer);
  const parley = createParleyClient({
    httpUri: 'http://parley.test/graphql',
    wsUrl: 'ws://parley.test/graphql',
    webSocketImpl: FakeSocket,
    fetch: http.fetch,
  });
  disposers.push(parley.dispose);
  return { ...parley, http };
}

/** Opens the socket the way the app does (ChatShell's messageAdded subscription) and lets the server accept it. */
async function connectSocket(client: ApolloClient) {
  const subscription = client.subscribe({ query: MessageAdded }).subscribe({ error: () => {} });
  disposers.push(() => subscription.unsubscribe());
  await until('connection_init', () => !!FakeSocket.instances.at(-1)?.sent.some((m) => m.type === 'connection_init'));
  const socket = FakeSocket.instances.at(-1)!;
  socket.ack();
  await until('connected', () => connectionStatus.get() === 'connected');
  return socket;
}

beforeEach(() => {
  FakeSocket.instances = [];
  connectionStatus.reset();
  tokenStore.set('token-1');
});
afterEach(() => {
  disposers.forEach((d) => d());
  disposers = [];
});

it('sends queries and mutations over HTTP (with the token) while no socket is up', async () => {
  const { client, http } = start();
  const { data } = await client.query({ query: MeQuery });
  expect(data).toEqual(ME);
  expect(http.requests).toEqual([{ operationName: 'Me', authorization: 'Bearer token-1' }]);
  expect(FakeSocket.instances).toHaveLength(0); // nothing opened a socket for it
});

it('sends queries and mutations over the subscription socket while it is connected', async () => {
  const { client, http } = start();
  const socket = await connectSocket(client);

  const query = client.query({ query: MeQuery });
  await until('the query on the socket', () => socket.operations('Me').length === 1);
  socket.answer(socket.operations('Me')[0]!, { data: ME });
  expect((await query).data).toEqual(ME);

  const mutation = client.mutate({ mutation: SendMessage, variables: sendVariables });
  await until('the mutation on the socket', () => socket.operations('SendMessage').length === 1);
  expect(socket.operations('SendMessage')[0]!.payload?.variables).toEqual(sendVariables);
  socket.answer(socket.operations('SendMessage')[0]!, { data: SENT });
  expect((await mutation).data).toEqual(SENT);

  expect(http.requests).toEqual([]);
  expect(FakeSocket.instances).toHaveLength(1);
});

it('goes back to HTTP while the socket is down, and while it still speaks for the previous token', async () => {
  const { client, http } = start();
  const first = await connectSocket(client);

  first.close(1006, 'network gone');
  await until('reconnecting', () => connectionStatus.get() === 'reconnecting');
  await client.query({ query: MeQuery, fetchPolicy: 'network-only' });
  expect(http.requests.map((r) => r.authorization)).toEqual(['Bearer token-1']);

  // Back up (graphql-ws retries after its backoff): the socket again.
  await until('second socket', () => !!FakeSocket.instances[1]?.sent.some((m) => m.type === 'connection_init'), 5000);
  const second = FakeSocket.instances[1]!;
  second.ack();
  await until('connected', () => connectionStatus.get() === 'connected');
  const overSocket = client.query({ query: MeQuery, fetchPolicy: 'network-only' });
  await until('the query on the socket', () => second.operations('Me').length === 1);
  second.answer(second.operations('Me')[0]!, { data: ME });
  await overSocket;

  // Another user's token, before the socket restarted with it: not over the old identity's socket.
  tokenStore.set('token-2');
  await client.query({ query: MeQuery, fetchPolicy: 'network-only' });
  expect(http.requests.map((r) => r.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
  expect(second.operations('Me')).toHaveLength(1);
});

it('fails a mutation whose socket closes before the answer, and does not send it again on the next socket', async () => {
  const { client, http } = start();
  const first = await connectSocket(client);

  const mutation = client.mutate({ mutation: SendMessage, variables: sendVariables });
  await until('the mutation on the socket', () => first.operations('SendMessage').length === 1);
  first.close(1012, 'Server restarting: reconnect');
  await expect(mutation).rejects.toThrow(/network connection was lost/);

  // The socket comes back (the subscription is still wanted): only the subscription goes out again.
  await until('second socket', () => !!FakeSocket.instances[1]?.sent.some((m) => m.type === 'connection_init'), 5000);
  const second = FakeSocket.instances[1]!;
  second.ack();
  await until('the subscription again', () => second.operations('MessageAdded').length === 1);
  await new Promise((r) => setTimeout(r, 50));
  expect(second.operations('SendMessage')).toEqual([]);
  expect(http.requests).toEqual([]);
});

it('asks a query whose socket closes before the answer again over HTTP (nothing for the page to retry)', async () => {
  const { client, http } = start();
  const first = await connectSocket(client);

  const query = client.query({ query: MeQuery, fetchPolicy: 'network-only' });
  await until('the query on the socket', () => first.operations('Me').length === 1);
  first.close(1006, 'network gone');
  expect((await query).data).toEqual(ME);
  expect(http.requests).toEqual([{ operationName: 'Me', authorization: 'Bearer token-1' }]);
});

it('disposes quietly while the socket waits to reconnect (no stray rejection once the wait ends)', async () => {
  const parley = createParleyClient({ wsUrl: 'ws://parley.test/graphql', webSocketImpl: FakeSocket });
  const subscription = parley.client.subscribe({ query: MessageAdded }).subscribe({ error: () => {} });
  await until('connection_init', () => !!FakeSocket.instances.at(-1)?.sent.some((m) => m.type === 'connection_init'));
  FakeSocket.instances.at(-1)!.ack();
  await until('connected', () => connectionStatus.get() === 'connected');
  FakeSocket.instances.at(-1)!.close(1006, 'network gone');
  await until('a retry wait (250–500 ms) begun', () => connectionStatus.get() === 'reconnecting');
  subscription.unsubscribe();
  parley.dispose();
  // The wait ends with nothing subscribed: graphql-ws gives the connection up. A rejection nobody handled would fail
  // this test (jest reports it here).
  await new Promise((r) => setTimeout(r, 800));
  expect(FakeSocket.instances).toHaveLength(1); // and no new socket was opened
});

it('cancels an operation on the socket when its fetchOptions.signal aborts (the outbox’s send timeout)', async () => {
  const { client } = start();
  const socket = await connectSocket(client);

  const abort = new AbortController();
  const mutation = client.mutate({
    mutation: SendMessage,
    variables: sendVariables,
    context: { fetchOptions: { signal: abort.signal } },
  });
  await until('the mutation on the socket', () => socket.operations('SendMessage').length === 1);
  abort.abort();
  await expect(mutation).rejects.toThrow();
  const { id } = socket.operations('SendMessage')[0]!;
  expect(socket.sent).toContainEqual({ id, type: 'complete' });
});

it('hands errors from the socket to the error link: UNAUTHENTICATED logs out', async () => {
  const { client } = start();
  const socket = await connectSocket(client);

  const query = client.query({ query: MeQuery, fetchPolicy: 'network-only' });
  await until('the query on the socket', () => socket.operations('Me').length === 1);
  socket.answer(socket.operations('Me')[0]!, {
    data: null,
    errors: [{ message: 'Sign in first.', extensions: { code: 'UNAUTHENTICATED' } }],
  });
  await expect(query).rejects.toThrow('Sign in first.');
  expect(tokenStore.get()).toBeNull();
});

describe('trusted documents: generated documents go by id', () => {
  const ME_USER = { me: { __typename: 'User', id: 'u1', username: 'ann', displayName: 'Ann' } };
  /** Me's id in the manifest the server runs documents from (codegen wrote both). */
  const meId = Object.keys(manifest)
    .find((key) => /^query Me \{/.test((manifest as Record<string, string>)[key]))!
    .replace(/^sha256:/, '');
  const byId = { persistedQuery: { version: 1, sha256Hash: meId } };
  const NOT_FOUND = {
    errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }],
  };

  it('over HTTP: only the id, in extensions.persistedQuery, as in the manifest', async () => {
    const { client, http } = start({ data: ME_USER });
    expect((await client.query({ query: MeDocument })).data).toEqual(ME_USER);
    expect(http.bodies).toEqual([{ operationName: 'Me', variables: {}, extensions: expect.objectContaining(byId) }]);
  });

  it('over HTTP: a server that does not know the id gets the text as well, once', async () => {
    const { client, http } = start((body) => (body.query ? { data: ME_USER } : NOT_FOUND));
    expect((await client.query({ query: MeDocument })).data).toEqual(ME_USER);
    expect(http.bodies.map((b) => [b.query?.match(/^query Me \{/)?.[0], b.extensions?.persistedQuery])).toEqual([
      [undefined, byId.persistedQuery],
      ['query Me {', byId.persistedQuery],
    ]);
  });

  it('over the socket: an empty query and the id; on PERSISTED_QUERY_NOT_FOUND, the text', async () => {
    const { client, http } = start();
    const socket = await connectSocket(client);

    const first = client.query({ query: MeDocument });
    await until('the query on the socket', () => socket.operations('Me').length === 1);
    const [sent] = socket.operations('Me');
    expect(sent!.payload).toMatchObject({ query: '', extensions: byId });
    socket.answer(sent!, { data: ME_USER });
    expect((await first).data).toEqual(ME_USER);

    const again = client.query({ query: MeDocument, fetchPolicy: 'network-only' });
    await until('the second query on the socket', () => socket.operations('Me').length === 2);
    const refused = socket.operations('Me')[1]!;
    socket.reply({ id: refused.id, type: 'error', payload: NOT_FOUND.errors });
    await until('the text on the socket', () => socket.operations('Me').length === 3);
    const withText = socket.operations('Me')[2]!;
    expect(withText.payload?.query).toMatch(/^query Me \{/);
    socket.answer(withText, { data: ME_USER });
    expect((await again).data).toEqual(ME_USER);
    expect(http.bodies).toEqual([]);
  });

  it('a hand-written document (no id) goes as text', async () => {
    const { client, http } = start();
    await client.query({ query: MeQuery });
    expect(http.bodies[0]).toMatchObject({ query: expect.stringMatching(/query Me/) });
    expect(http.bodies[0]!.extensions?.persistedQuery).toBeUndefined();
  });
});
