/**
 * A scripted parley server behind the real Apollo client (apollo/client.ts):
 * a fake WebSocket speaking graphql-ws and a fake fetch. Queries and
 * mutations are answered from `answers` by operation name, over whichever
 * transport the client picks; subscriptions are accepted and stay silent.
 * Generated documents come by id (apollo/trustedDocuments.ts): their text is
 * looked up in the manifest, as the real server does.
 */
import manifest from '../gql/persisted-documents.json';
import { FakeWebSocket, type Frame } from './fakeWebSocket';

/** What the server does with an operation: answer it (a GraphQL response body), or act on the socket it came on. */
export type Answer = object | ((socket: FakeSocket | null) => object | 'no answer');

export class FakeSocket extends FakeWebSocket {
  static instances: FakeSocket[] = [];
  /** Set by fakeGraphqlServer(): how operations sent over a socket are answered. */
  static answer: (socket: FakeSocket, frame: Frame) => void = () => {};
  constructor(url: string) {
    super(url);
    FakeSocket.instances.push(this);
  }
  send(data: string) {
    super.send(data);
    const frame = this.sent.at(-1)!;
    // The server accepts every connection (the token is checked by `answers`).
    if (frame.type === 'connection_init') setTimeout(() => this.reply({ type: 'connection_ack' }), 0);
    if (frame.type === 'subscribe') setTimeout(() => FakeSocket.answer(this, frame), 0);
  }
}

/** A subscription, first or after fragments (trusted documents list their fragments first). */
const isSubscription = (query = '') => /(^|})\s*subscription\b/.test(query);
/** The text of an operation: as sent, or the trusted document its id names. */
const textOf = (payload: Frame['payload']) => {
  const id = (payload?.extensions as { persistedQuery?: { sha256Hash?: string } } | undefined)?.persistedQuery
    ?.sha256Hash;
  return payload?.query || (manifest as Record<string, string>)[`sha256:${id}`] || '';
};

export function fakeGraphqlServer(answers: Record<string, Answer>) {
  /** Every operation received, in order, with the transport it came by. */
  const received: Array<{ operationName: string; transport: 'http' | 'socket'; authorization?: string | null }> = [];
  const resolve = (name: string, socket: FakeSocket | null) => {
    const answer = answers[name];
    if (answer === undefined) return { errors: [{ message: `No answer scripted for ${name}` }] };
    return typeof answer === 'function' ? answer(socket) : answer;
  };

  FakeSocket.instances = [];
  FakeSocket.answer = (socket, frame) => {
    const name = frame.payload?.operationName ?? '';
    if (isSubscription(textOf(frame.payload))) return; // live events: none unless a test sends them
    received.push({ operationName: name, transport: 'socket' });
    const body = resolve(name, socket);
    if (body === 'no answer') return;
    socket.reply({ id: frame.id, type: 'next', payload: body });
    socket.reply({ id: frame.id, type: 'complete' });
  };

  const fetch = jest.fn(async (_uri: unknown, init?: RequestInit) => {
    const { operationName } = JSON.parse(String(init?.body)) as { operationName: string };
    received.push({
      operationName,
      transport: 'http',
      authorization: new Headers(init?.headers).get('authorization'),
    });
    const body = resolve(operationName, null);
    if (body === 'no answer') return new Promise<Response>(() => {});
    return {
      ok: true,
      status: 200,
      headers: new Headers({ 'content-type': 'application/graphql-response+json' }),
      text: async () => JSON.stringify(body),
    } as unknown as Response;
  });

  return {
    fetch: fetch as unknown as typeof globalThis.fetch,
    received,
    /** The socket open now (the last one made). */
    socket: () => FakeSocket.instances.at(-1),
    FakeSocket,
  };
}
