import { ApolloClient, ApolloLink } from '@apollo/client';
import { Observable } from 'rxjs';
import { createCache } from '../apollo/cache';
import { ALICE, BOB, connection, message } from '../test/fixtures';
import { ChatHistoryQuery, PAGE_SIZE } from './ConversationView';
import { Outbox } from './outbox';
import { isPermanentSendError, OutboxSender, retryDelay, throttledNotice } from './outboxSender';

type Reply =
  | { ok: true; id?: number | string }
  | { graphQLError: string; message?: string; extensions?: Record<string, unknown> }
  | { networkError: true }
  | { never: true };

/** A link playing the server: answers each sendMessage with the next scripted reply. */
function fakeServer(replies: Reply[]) {
  const calls: Array<Record<string, unknown>> = [];
  const link = new ApolloLink((operation) => {
    const variables = operation.variables as Record<string, unknown>;
    calls.push(variables);
    const reply = replies.shift() ?? { ok: true };
    return new Observable((observer) => {
      const timer = setTimeout(() => {
        if ('never' in reply) return;
        if ('networkError' in reply) return observer.error(new TypeError('Failed to fetch'));
        if ('graphQLError' in reply) {
          observer.next({
            errors: [
              {
                message: reply.message ?? reply.graphQLError,
                extensions: { code: reply.graphQLError, ...reply.extensions },
              },
            ],
          });
          return observer.complete();
        }
        const stored = message(reply.id ?? `s-${String(variables.clientMessageId)}`, ALICE, {
          content: variables.content as string,
          clientMessageId: variables.clientMessageId as string,
        });
        observer.next({ data: { sendMessage: stored } });
        observer.complete();
      }, 1);
      return () => clearTimeout(timer);
    });
  });
  return { link, calls };
}

const until = async (what: string, check: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const draft = (n: number) => ({
  clientMessageId: `cmid-${n}`,
  recipientId: BOB.id,
  content: `Draft ${n}`,
  createdAt: new Date(Date.UTC(2026, 10, 25, 10, n)).toISOString(),
});

let senders: OutboxSender[] = [];
function start(replies: Reply[], outbox = new Outbox(ALICE.id, window.localStorage), options = {}) {
  const server = fakeServer(replies);
  const client = new ApolloClient({ link: server.link, cache: createCache() });
  // The conversation is loaded, so acknowledged messages are added to it.
  client.writeQuery({
    query: ChatHistoryQuery,
    variables: { withUserId: BOB.id, last: PAGE_SIZE },
    data: { chatHistory: connection([]) } as never,
  });
  const sender = new OutboxSender(client, outbox, { retryDelay: () => 10, ...options });
  senders.push(sender);
  const history = () =>
    client
      .readQuery({ query: ChatHistoryQuery, variables: { withUserId: BOB.id, last: PAGE_SIZE } })!
      .chatHistory.edges.map((e) => e.node.id);
  return { ...server, client, sender, outbox, history };
}

beforeEach(() => window.localStorage.clear());
afterEach(() => {
  senders.forEach((s) => s.stop());
  senders = [];
});

describe('OutboxSender', () => {
  it('delivers a new entry, adds the stored message to the conversation and removes the entry', async () => {
    const { outbox, calls, history } = start([{ ok: true, id: 1 }]);
    outbox.add(draft(1));
    await until('acknowledged', () => outbox.all().length === 0);
    expect(calls).toEqual([{ recipientId: BOB.id, content: 'Draft 1', clientMessageId: 'cmid-1' }]);
    expect(history()).toEqual(['m1']);
  });

  it('keeps a send pending across a simulated reload and resends it with the same clientMessageId', async () => {
    // Page 1: the request never gets an answer, then the page goes away.
    const first = start([{ never: true }]);
    first.outbox.add(draft(1));
    await until('first attempt', () => first.calls.length === 1);
    first.sender.stop();

    // Page 2: a fresh Outbox from the same storage and a new sender.
    const second = start([{ ok: true, id: 1 }], new Outbox(ALICE.id, window.localStorage));
    expect(second.outbox.pending().map((e) => e.clientMessageId)).toEqual(['cmid-1']);
    second.sender.flush();
    await until('delivered after reload', () => second.outbox.all().length === 0);
    expect(second.calls.map((c) => c.clientMessageId)).toEqual([first.calls[0]!.clientMessageId]);
    expect(second.history()).toEqual(['m1']);
  });

  it('retries retryable failures (network, SERVICE_UNAVAILABLE, timeout) with the same clientMessageId until acknowledged', async () => {
    const { outbox, calls, history } = start(
      [
        { networkError: true },
        { graphQLError: 'SERVICE_UNAVAILABLE', message: 'Database unavailable' },
        { never: true },
        { ok: true, id: 1 },
      ],
      undefined,
      { timeoutMs: 50 },
    );
    const attempts: number[] = [];
    outbox.subscribe(() => attempts.push(outbox.get('cmid-1')?.attempts ?? -1));
    outbox.add(draft(1));

    await until('acknowledged', () => outbox.all().length === 0);
    expect(calls.map((c) => c.clientMessageId)).toEqual(['cmid-1', 'cmid-1', 'cmid-1', 'cmid-1']);
    // It stayed pending (never failed) and counted each unsuccessful attempt.
    expect(attempts).toEqual([0, 1, 2, 3, -1]);
    expect(history()).toEqual(['m1']);
  });

  it('marks a permanent error failed with its reason and stops; Retry sends it again with the same id', async () => {
    const { outbox, calls, history } = start([
      { graphQLError: 'BAD_USER_INPUT', message: 'clientMessageId was already used for a different message' },
      { ok: true, id: 1 },
    ]);
    outbox.add(draft(1));
    await until('failed', () => outbox.get('cmid-1')?.status === 'failed');
    expect(outbox.get('cmid-1')).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: 'clientMessageId was already used for a different message',
    });
    await sleep(60); // several retry delays: nothing is resent on its own
    expect(calls).toHaveLength(1);

    outbox.retry('cmid-1');
    await until('acknowledged', () => outbox.all().length === 0);
    expect(calls.map((c) => c.clientMessageId)).toEqual(['cmid-1', 'cmid-1']);
    expect(history()).toEqual(['m1']);
  });

  it('keeps the order: a later message is not sent before an earlier one that is still retrying', async () => {
    // Both are waiting when the round starts (e.g. left over from before a reload).
    const waiting = new Outbox(ALICE.id, window.localStorage);
    waiting.add(draft(1));
    waiting.add(draft(2));
    const { outbox, calls, sender } = start(
      [{ networkError: true }, { ok: true, id: 1 }, { ok: true, id: 2 }],
      waiting,
    );
    sender.flush();
    await until('both acknowledged', () => outbox.all().length === 0);
    expect(calls.map((c) => c.clientMessageId)).toEqual(['cmid-1', 'cmid-1', 'cmid-2']);
  });

  it('skips a permanently failed message and goes on with the next', async () => {
    const { outbox, calls } = start([
      { graphQLError: 'NOT_FOUND', message: 'No such user.' },
      { ok: true, id: 2 },
    ]);
    outbox.add(draft(1));
    outbox.add(draft(2));
    await until('second acknowledged', () => !outbox.get('cmid-2'));
    expect(outbox.all()).toEqual([
      expect.objectContaining({ clientMessageId: 'cmid-1', status: 'failed', error: 'No such user.' }),
    ]);
    expect(calls.map((c) => c.clientMessageId)).toEqual(['cmid-1', 'cmid-2']);
  });

  it('waits for its backoff timer, and flush() (reconnect, online) retries at once', async () => {
    const { outbox, calls, sender } = start([{ networkError: true }], undefined, { retryDelay: () => 60_000 });
    outbox.add(draft(1));
    await until('first attempt failed', () => outbox.get('cmid-1')?.attempts === 1);
    await sleep(30);
    expect(calls).toHaveLength(1);
    sender.flush();
    await until('acknowledged', () => outbox.all().length === 0);
    expect(calls).toHaveLength(2);
  });
});

describe('OutboxSender when the server throttles sends (RATE_LIMITED)', () => {
  const throttled = (retryAfter: number): Reply => ({
    graphQLError: 'RATE_LIMITED',
    message: `Too many requests: try again in ${retryAfter} s.`,
    extensions: { retryAfter },
  });

  it('keeps the message pending, says it is sending slowly, and resends the same clientMessageId after retryAfter seconds', async () => {
    // retryDelay (the backoff) is 10 ms here: only the server's 1 s can explain the wait.
    const { outbox, calls, history } = start([throttled(1), { ok: true, id: 1 }]);
    const began = Date.now();
    outbox.add(draft(1));
    await until('throttled', () => outbox.get('cmid-1')?.throttled === true);
    expect(outbox.get('cmid-1')).toMatchObject({
      status: 'pending', // not failed: no Retry/Discard, it goes by itself
      attempts: 1,
      throttled: true,
      error: 'Sending slowly: waiting 1 s',
    });
    expect(throttledNotice(12)).toBe('Sending slowly: waiting 12 s');

    await sleep(500);
    expect(calls).toHaveLength(1); // not the backoff

    await until('acknowledged', () => outbox.all().length === 0);
    expect(Date.now() - began).toBeGreaterThanOrEqual(990);
    expect(calls.map((c) => c.clientMessageId)).toEqual(['cmid-1', 'cmid-1']);
    expect(history()).toEqual(['m1']);
  });

  it('waits out the throttle even when flushed (reconnect, online, a new message), and keeps the order', async () => {
    const { outbox, calls, sender } = start([throttled(1), { ok: true, id: 1 }, { ok: true, id: 2 }]);
    outbox.add(draft(1));
    await until('throttled', () => outbox.get('cmid-1')?.throttled === true);

    sender.flush();
    outbox.add(draft(2)); // a new message starts a round too
    await sleep(300);
    expect(calls.map((c) => c.clientMessageId)).toEqual(['cmid-1']);
    expect(outbox.get('cmid-2')).toMatchObject({ status: 'pending', attempts: 0 });

    await until('both acknowledged', () => outbox.all().length === 0);
    expect(calls.map((c) => c.clientMessageId)).toEqual(['cmid-1', 'cmid-1', 'cmid-2']);
  });

  it('goes back to the usual backoff (and forgets the throttle) when a later attempt fails otherwise', async () => {
    const { outbox, calls } = start([throttled(1), { networkError: true }, { ok: true, id: 1 }]);
    outbox.add(draft(1));
    await until('second attempt failed', () => outbox.get('cmid-1')?.attempts === 2);
    expect(outbox.get('cmid-1')).toMatchObject({ status: 'pending', throttled: undefined });
    expect(outbox.get('cmid-1')?.error).not.toMatch(/Sending slowly/);
    await until('acknowledged', () => outbox.all().length === 0);
    expect(calls).toHaveLength(3);
  });

  it('is never permanent', async () => {
    const { CombinedGraphQLErrors } = await import('@apollo/client/errors');
    const error = new CombinedGraphQLErrors({
      errors: [
        { message: 'Too many requests: try again in 3 s.', extensions: { code: 'RATE_LIMITED', retryAfter: 3 } },
      ],
    });
    expect(isPermanentSendError(error)).toBe(false);
  });
});

describe('send error classification', () => {
  it('treats bad input, not found and forbidden as permanent, everything else as retryable', async () => {
    const { CombinedGraphQLErrors } = await import('@apollo/client/errors');
    const gqlError = (code: string) => new CombinedGraphQLErrors({ errors: [{ message: code, extensions: { code } }] });
    expect(['BAD_USER_INPUT', 'NOT_FOUND', 'FORBIDDEN'].map((c) => isPermanentSendError(gqlError(c)))).toEqual([
      true,
      true,
      true,
    ]);
    expect(
      ['SERVICE_UNAVAILABLE', 'INTERNAL_SERVER_ERROR', 'UNAUTHENTICATED'].map((c) => isPermanentSendError(gqlError(c))),
    ).toEqual([false, false, false]);
    expect(isPermanentSendError(new TypeError('Failed to fetch'))).toBe(false);
  });

  it('backs off exponentially up to 30 s', () => {
    expect([1, 2, 3, 6, 20].map((n) => retryDelay(n, () => 1))).toEqual([1000, 2000, 4000, 30_000, 30_000]);
    expect(retryDelay(1, () => 0)).toBe(500);
  });
});
