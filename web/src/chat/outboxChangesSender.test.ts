import { ApolloClient, ApolloLink } from '@apollo/client';
import { Observable } from 'rxjs';
import { createCache } from '../apollo/cache';
import { ALICE, BOB, connection, message } from '../test/fixtures';
import { ChatHistoryQuery, PAGE_SIZE } from './ConversationView';
import { MessageBubble_message } from './MessageBubble';
import { ChangeOutbox } from './outboxChanges';
import { applyChange, snapshotOf } from './outboxChangesCache';
import { ChangeSender } from './outboxChangesSender';

type Reply =
  | { ok: true }
  | { graphQLError: string; message?: string; extensions?: Record<string, unknown> }
  | { networkError: true }
  | { never: true };

type Stored = ReturnType<typeof message>;

/** A link playing the server: each mutation changes its copy of the messages and answers the new state. */
function fakeServer(replies: Reply[], messages: Stored[]) {
  const calls: Array<{ op: string; variables: Record<string, unknown> }> = [];
  const state = new Map(messages.map((m) => [m.id, JSON.parse(JSON.stringify(m)) as Stored]));
  const link = new ApolloLink((operation) => {
    const variables = operation.variables as Record<string, unknown>;
    calls.push({ op: operation.operationName ?? '', variables });
    const reply = replies.shift() ?? { ok: true };
    return new Observable((observer) => {
      const timer = setTimeout(() => {
        if ('never' in reply) return;
        if ('networkError' in reply) return observer.error(new TypeError('Failed to fetch'));
        if ('graphQLError' in reply) {
          const extensions = { code: reply.graphQLError, ...reply.extensions };
          observer.next({ errors: [{ message: reply.message ?? reply.graphQLError, extensions }] });
          return observer.complete();
        }
        const m = state.get(String(variables.id ?? variables.messageId))!;
        const at = new Date(Date.UTC(2026, 10, 25, 12)).toISOString();
        const field = operation.operationName!.replace(/^./, (c) => c.toLowerCase());
        if (field === 'editMessage') Object.assign(m, { content: variables.content, editedAt: at });
        if (field === 'deleteMessage') Object.assign(m, { content: '', deletedAt: at, reactions: [] });
        if (field === 'addReaction')
          m.reactions = [
            ...m.reactions,
            { __typename: 'Reaction', emoji: String(variables.emoji), count: 1, reactedByMe: true },
          ];
        if (field === 'removeReaction') m.reactions = m.reactions.filter((r) => r.emoji !== variables.emoji);
        observer.next({ data: { [field]: JSON.parse(JSON.stringify(m)) as Stored } });
        observer.complete();
      }, 1);
      return () => clearTimeout(timer);
    });
  });
  return { link, calls, state };
}

const until = async (what: string, check: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const mine = [message(1, ALICE, { content: 'Helo' }), message(2, ALICE), message(3, ALICE, { content: 'Typo' })];

let senders: ChangeSender[] = [];
function start(replies: Reply[], queue = new ChangeOutbox(ALICE.id, window.localStorage), options = {}) {
  const server = fakeServer(replies, mine);
  const client = new ApolloClient({ link: server.link, cache: createCache() });
  client.writeQuery({
    query: ChatHistoryQuery,
    variables: { withUserId: BOB.id, last: PAGE_SIZE },
    data: { chatHistory: connection(mine) } as never,
  });
  const sender = new ChangeSender(client, queue, { retryDelay: () => 10, ...options });
  senders.push(sender);
  // As useOutboxDelivery: a new change starts a round; what is left from before shows at once.
  queue.subscribe(sender.flush);
  for (const change of queue.all()) applyChange(client.cache, change);
  const cached = (id: string) =>
    client.cache.readFragment({
      id: `Message:${id}`,
      fragment: MessageBubble_message,
      fragmentName: 'MessageBubble_message',
    })!;
  // As useMessageLifecycle: queued (with what it replaces), then shown.
  const change = (c: Parameters<ChangeOutbox['add']>[0]) =>
    applyChange(
      client.cache,
      queue.add(c.kind === 'react' ? c : { ...c, before: snapshotOf(client.cache, c.messageId) }),
    );
  return { ...server, client, sender, queue, cached, change };
}

beforeEach(() => window.localStorage.clear());
afterEach(() => {
  senders.forEach((s) => s.stop());
  senders = [];
});

describe('ChangeSender', () => {
  it('shows each change at once, sends edits, deletions and reactions once each, in order, and empties the queue', async () => {
    const { calls, queue, cached, change } = start([]);
    change({ kind: 'edit', messageId: 'm1', content: 'Hello' });
    change({ kind: 'react', messageId: 'm2', emoji: '👍', on: true });
    change({ kind: 'react', messageId: 'm2', emoji: '👍', on: false });
    change({ kind: 'delete', messageId: 'm3' });
    // Before any answer.
    expect(cached('m1').content).toBe('Hello');
    expect(cached('m3').deletedAt).not.toBeNull();

    await until('all confirmed', () => queue.all().length === 0);
    expect(calls).toEqual([
      { op: 'EditMessage', variables: { id: 'm1', content: 'Hello' } },
      { op: 'AddReaction', variables: { messageId: 'm2', emoji: '👍' } },
      { op: 'RemoveReaction', variables: { messageId: 'm2', emoji: '👍' } },
      { op: 'DeleteMessage', variables: { id: 'm3' } },
    ]);
    expect(cached('m1')).toMatchObject({ content: 'Hello', editedAt: '2026-11-25T12:00:00.000Z' });
    expect(cached('m2').reactions).toEqual([]);
    // A deletion is final in the cache: the time first shown stays (cache.ts).
    expect(cached('m3')).toMatchObject({ content: '', deletedAt: expect.any(String) });
    await sleep(50);
    expect(calls).toHaveLength(4);
    expect(queue.refused()).toEqual([]);
  });

  it('keeps changes across a simulated reload, shows them on the kept messages, and replays each once, in order', async () => {
    // Page 1: offline — the first request never gets an answer, then the page goes away.
    const first = start([{ never: true }]);
    first.change({ kind: 'edit', messageId: 'm1', content: 'Hello' });
    first.change({ kind: 'react', messageId: 'm2', emoji: '🎉', on: true });
    await until('first attempt', () => first.calls.length === 1);
    first.sender.stop();

    // Page 2: a fresh queue from the same storage, a new cache and sender.
    const second = start([], new ChangeOutbox(ALICE.id, window.localStorage));
    expect(second.cached('m1').content).toBe('Hello'); // shown before it is sent
    expect(second.calls).toEqual([]);
    second.sender.flush(); // the reconnect
    await until('replayed', () => second.queue.all().length === 0);
    expect(second.calls.map((c) => c.op)).toEqual(['EditMessage', 'AddReaction']);
    expect(second.cached('m2').reactions).toEqual([expect.objectContaining({ emoji: '🎉', reactedByMe: true })]);
  });

  it('retries network failures, SERVICE_UNAVAILABLE and timeouts, and sends nothing later before the earlier change', async () => {
    const { calls, queue, change } = start(
      [
        { networkError: true },
        { graphQLError: 'SERVICE_UNAVAILABLE', message: 'Database unavailable' },
        { never: true },
        { ok: true },
        { ok: true },
      ],
      undefined,
      { timeoutMs: 50 },
    );
    change({ kind: 'delete', messageId: 'm1' });
    change({ kind: 'edit', messageId: 'm2', content: 'Second' });
    await until('both confirmed', () => queue.all().length === 0);
    expect(calls.map((c) => c.op)).toEqual([
      'DeleteMessage',
      'DeleteMessage',
      'DeleteMessage',
      'DeleteMessage',
      'EditMessage',
    ]);
    expect(queue.refused()).toEqual([]);
  });

  it('waits for its backoff, and flush() (reconnect, online) retries at once', async () => {
    const { calls, queue, sender, change } = start([{ networkError: true }], undefined, { retryDelay: () => 60_000 });
    change({ kind: 'delete', messageId: 'm1' });
    await until('first attempt', () => calls.length === 1);
    await sleep(40);
    expect(calls).toHaveLength(1);
    sender.flush();
    await until('confirmed', () => queue.all().length === 0);
    expect(calls).toHaveLength(2);
  });

  it('drops a change the server refuses, takes it back on the message, says why, and goes on with the next', async () => {
    const tooLate = 'The message is older than the edit window (172800 s): it cannot be edited.';
    const { calls, queue, cached, change } = start([
      { graphQLError: 'BAD_USER_INPUT', message: tooLate },
      { graphQLError: 'BAD_USER_INPUT', message: 'At most 20 different emoji on a message.' },
      { graphQLError: 'NOT_FOUND', message: 'No such message.' },
      { ok: true },
    ]);
    change({ kind: 'edit', messageId: 'm1', content: 'Hello' });
    change({ kind: 'react', messageId: 'm2', emoji: '🦄', on: true });
    change({ kind: 'delete', messageId: 'm3' });
    change({ kind: 'edit', messageId: 'm2', content: 'Fine' });
    await until('queue empty', () => queue.all().length === 0);

    expect(calls.map((c) => c.op)).toEqual(['EditMessage', 'AddReaction', 'DeleteMessage', 'EditMessage']);
    expect(queue.refused().map((r) => [r.change.kind, r.reason])).toEqual([
      ['edit', tooLate],
      ['react', 'At most 20 different emoji on a message.'],
      ['delete', 'No such message.'],
    ]);
    // Each message is back to what it was (and m2 got its later edit).
    expect(cached('m1')).toMatchObject({ content: 'Helo', editedAt: null });
    expect(cached('m2')).toMatchObject({ content: 'Fine', reactions: [] });
    expect(cached('m3')).toMatchObject({ content: 'Typo', deletedAt: null });
    await sleep(50);
    expect(calls).toHaveLength(4); // none resent
  });

  it('waits out a throttle (RATE_LIMITED) even when flushed or given a new change, keeping the order', async () => {
    const throttled: Reply = { graphQLError: 'RATE_LIMITED', message: 'Too many', extensions: { retryAfter: 1 } };
    const { calls, queue, sender, change } = start([throttled]);
    const began = Date.now();
    change({ kind: 'edit', messageId: 'm1', content: 'One' });
    await until('throttled', () => calls.length === 1);
    await sleep(50); // the answer is in: the sender waits
    sender.flush();
    change({ kind: 'edit', messageId: 'm2', content: 'Two' });
    await sleep(300);
    expect(calls).toHaveLength(1);

    await until('both confirmed', () => queue.all().length === 0);
    expect(Date.now() - began).toBeGreaterThanOrEqual(990);
    expect(calls.map((c) => c.variables.content)).toEqual(['One', 'One', 'Two']);
  });
});
