import { CloseCode } from 'graphql-ws';
import { tokenStore } from '../auth/tokenStore';
import { connectionStatus } from './connectionStatus';
import { FakeWebSocket } from '../test/fakeWebSocket';
import { createWsClient } from './wsClient';

/** A WebSocket stand-in that plays a graphql-ws server we can script. */
class FakeSocket extends FakeWebSocket {
  static instances: FakeSocket[] = [];
  constructor(url: string) {
    super(url);
    FakeSocket.instances.push(this);
  }
  // "server" side
  ack() {
    this.reply({ type: 'connection_ack' });
  }
  get init() {
    return this.sent.find((m) => m.type === 'connection_init');
  }
}

const until = async (what: string, check: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

function subscribe(client: ReturnType<typeof createWsClient>) {
  return client.subscribe(
    { query: 'subscription { messageAdded { id } }' },
    { next: () => {}, error: () => {}, complete: () => {} },
  );
}

beforeEach(() => {
  FakeSocket.instances = [];
  connectionStatus.reset();
});

it('authenticates each connection with the current token and shows reconnecting → connected', async () => {
  tokenStore.set('token-1');
  const client = createWsClient('ws://parley.test/graphql', FakeSocket);
  const unsubscribe = subscribe(client);

  await until('first connection_init', () => !!FakeSocket.instances[0]?.init);
  expect(FakeSocket.instances[0]!.init!.payload).toEqual({ authorization: 'Bearer token-1' });
  FakeSocket.instances[0]!.ack();
  await until('connected', () => connectionStatus.get() === 'connected');
  const connections = connectionStatus.connectionCount();

  // Log in as someone else: the socket must come back with the new token.
  tokenStore.set('token-2');
  client.restart();
  await until('reconnecting', () => connectionStatus.get() === 'reconnecting');
  await until('second connection_init', () => !!FakeSocket.instances[1]?.init);
  expect(FakeSocket.instances[1]!.init!.payload).toEqual({ authorization: 'Bearer token-2' });
  FakeSocket.instances[1]!.ack();
  await until('connected again', () => connectionStatus.get() === 'connected');
  expect(connectionStatus.connectionCount()).toBe(connections + 1);

  unsubscribe();
  await client.dispose();
});

it('drops the token (back to login) and stops retrying when the server closes with 4403', async () => {
  tokenStore.set('expired-token');
  const reasons: Array<string | undefined> = [];
  const stop = tokenStore.subscribe((token, reason) => token === null && reasons.push(reason));
  const client = createWsClient('ws://parley.test/graphql', FakeSocket);
  subscribe(client);

  await until('connection_init', () => !!FakeSocket.instances[0]?.init);
  FakeSocket.instances[0]!.close(CloseCode.Forbidden, 'Forbidden');

  await until('logged out', () => tokenStore.get() === null);
  expect(reasons).toEqual(['expired']);
  await new Promise((r) => setTimeout(r, 700)); // longer than the first retry wait
  expect(FakeSocket.instances).toHaveLength(1);
  stop();
  await client.dispose();
});

it('keeps the token and reconnects when the server closes with 1013 (database unavailable: try again later)', async () => {
  tokenStore.set('token-1');
  const client = createWsClient('ws://parley.test/graphql', FakeSocket);
  const unsubscribe = subscribe(client);

  await until('connection_init', () => !!FakeSocket.instances[0]?.init);
  FakeSocket.instances[0]!.close(1013, 'The token cannot be checked right now: try again later');

  await until('second connection_init', () => !!FakeSocket.instances[1]?.init);
  expect(FakeSocket.instances[1]!.init!.payload).toEqual({ authorization: 'Bearer token-1' });
  expect(tokenStore.get()).toBe('token-1');
  FakeSocket.instances[1]!.ack();
  await until('connected', () => connectionStatus.get() === 'connected');

  unsubscribe();
  await client.dispose();
});

it('tells a session ended elsewhere (4403 "Logged out") from an expired one (4403 "Token expired")', async () => {
  const reasons: Array<string | undefined> = [];
  const stop = tokenStore.subscribe((token, reason) => token === null && reasons.push(reason));
  for (const closeReason of ['Logged out', 'Token expired: log in again']) {
    tokenStore.set('token-1');
    const client = createWsClient('ws://parley.test/graphql', FakeSocket);
    subscribe(client);
    await until('connection_init', () => !!FakeSocket.instances.at(-1)?.init);
    FakeSocket.instances.at(-1)!.close(CloseCode.Forbidden, closeReason);
    await until('logged out', () => tokenStore.get() === null);
    await client.dispose();
  }
  expect(reasons).toEqual(['ended', 'expired']);
  stop();
});

it('offline: says so at once and drops the socket; back online it reconnects without waiting out the backoff', async () => {
  tokenStore.set('token-1');
  const client = createWsClient('ws://parley.test/graphql', FakeSocket);
  const unsubscribe = subscribe(client);
  await until('connection_init', () => !!FakeSocket.instances[0]?.init);
  FakeSocket.instances[0]!.ack();
  await until('connected', () => connectionStatus.get() === 'connected');

  const onLine = jest.spyOn(window.navigator, 'onLine', 'get').mockReturnValue(false);
  window.dispatchEvent(new Event('offline'));
  expect(connectionStatus.networkLost()).toBe(true);
  await until('the socket dropped', () => connectionStatus.get() === 'reconnecting');
  expect(FakeSocket.instances[0]!.readyState).toBe(FakeSocket.CLOSED);
  // While offline no new socket is tried, however long it waits.
  await new Promise((r) => setTimeout(r, 1500));
  const tried = FakeSocket.instances.length;

  onLine.mockReturnValue(true);
  window.dispatchEvent(new Event('online'));
  expect(connectionStatus.networkLost()).toBe(false);
  await until('a new socket', () => FakeSocket.instances.length > tried && !!FakeSocket.instances.at(-1)?.init, 300);
  FakeSocket.instances.at(-1)!.ack();
  await until('connected again', () => connectionStatus.get() === 'connected');

  onLine.mockRestore();
  unsubscribe();
  await client.dispose();
});
