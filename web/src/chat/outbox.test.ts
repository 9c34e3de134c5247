import { HANDOVER_MS, Outbox, outboxStorageKey } from './outbox';

const draft = (n: number, recipientId = 'u-bob') => ({
  clientMessageId: `cmid-${n}`,
  recipientId,
  content: `Draft ${n}`,
  createdAt: new Date(Date.UTC(2026, 10, 25, 9, n)).toISOString(),
});

beforeEach(() => window.localStorage.clear());

describe('Outbox', () => {
  it('writes an entry to storage as soon as it is added, and a new page (reload) reads it back', () => {
    const before = new Outbox('u-alice', window.localStorage);
    before.add(draft(1));
    before.add(draft(2, 'u-carol'));
    before.update('cmid-1', { attempts: 3, error: 'Cannot reach the server.' });

    // What survives a reload is what is in localStorage.
    expect(JSON.parse(window.localStorage.getItem(outboxStorageKey('u-alice'))!)).toHaveLength(2);
    const after = new Outbox('u-alice', window.localStorage);
    expect(after.all()).toEqual([
      { ...draft(1), attempts: 3, status: 'pending', error: 'Cannot reach the server.' },
      { ...draft(2, 'u-carol'), attempts: 0, status: 'pending' },
    ]);
    expect(after.forRecipient('u-bob').map((e) => e.clientMessageId)).toEqual(['cmid-1']);
  });

  it('keeps each user’s outbox apart and clear() empties only that user’s', () => {
    new Outbox('u-alice', window.localStorage).add(draft(1));
    const bob = new Outbox('u-bob', window.localStorage);
    expect(bob.all()).toEqual([]);
    bob.add(draft(2, 'u-alice'));

    new Outbox('u-alice', window.localStorage).clear();
    expect(window.localStorage.getItem(outboxStorageKey('u-alice'))).toBeNull();
    expect(new Outbox('u-alice', window.localStorage).all()).toEqual([]);
    expect(new Outbox('u-bob', window.localStorage).all()).toHaveLength(1);
  });

  it('marks failed, retries as pending with attempts reset, removes by clientMessageId', () => {
    const outbox = new Outbox('u-alice', window.localStorage);
    outbox.add(draft(1));
    outbox.update('cmid-1', { status: 'failed', attempts: 1, error: 'Content is too long.' });
    expect(outbox.pending()).toEqual([]);

    outbox.retry('cmid-1');
    expect(outbox.get('cmid-1')).toEqual({ ...draft(1), status: 'pending', attempts: 0, error: undefined });

    outbox.remove('unknown');
    outbox.remove(null);
    expect(outbox.all()).toHaveLength(1);
    outbox.remove('cmid-1');
    expect(new Outbox('u-alice', window.localStorage).all()).toEqual([]);
  });

  it('hands an acknowledged entry over: out of storage at once, shown as sent until settled or HANDOVER_MS pass', () => {
    jest.useFakeTimers();
    try {
      const outbox = new Outbox('u-alice', window.localStorage);
      const calls = jest.fn();
      outbox.subscribe(calls);
      outbox.add(draft(1));
      outbox.add(draft(2));
      outbox.add(draft(3));
      outbox.update('cmid-1', { attempts: 2, error: 'Cannot reach the server.' });

      outbox.acknowledge('cmid-1');
      outbox.acknowledge('cmid-2');
      outbox.acknowledge('unknown');
      // Nothing acknowledged is sent again, nor survives a reload …
      expect(outbox.all().map((e) => e.clientMessageId)).toEqual(['cmid-3']);
      expect(outbox.get('cmid-1')).toBeUndefined();
      expect(new Outbox('u-alice', window.localStorage).all().map((e) => e.clientMessageId)).toEqual(['cmid-3']);
      // … but the conversation still shows it, in order, as sent.
      expect(outbox.forRecipient('u-bob').map((e) => [e.clientMessageId, e.status, e.error])).toEqual([
        ['cmid-1', 'sent', undefined],
        ['cmid-2', 'sent', undefined],
        ['cmid-3', 'pending', undefined],
      ]);

      calls.mockClear();
      outbox.settle(['cmid-1', 'cmid-3', null]);
      expect(calls).toHaveBeenCalledTimes(1);
      expect(outbox.forRecipient('u-bob').map((e) => e.clientMessageId)).toEqual(['cmid-2', 'cmid-3']);

      jest.advanceTimersByTime(HANDOVER_MS);
      expect(outbox.forRecipient('u-bob').map((e) => e.clientMessageId)).toEqual(['cmid-3']);
    } finally {
      jest.useRealTimers();
    }
  });

  it('ignores unreadable storage instead of failing the app', () => {
    window.localStorage.setItem(outboxStorageKey('u-alice'), '{not json');
    expect(new Outbox('u-alice', window.localStorage).all()).toEqual([]);
    window.localStorage.setItem(
      outboxStorageKey('u-alice'),
      JSON.stringify([{ clientMessageId: 1 }, { ...draft(1), attempts: 0, status: 'pending' }]),
    );
    expect(new Outbox('u-alice', window.localStorage).all().map((e) => e.clientMessageId)).toEqual(['cmid-1']);
  });

  it('returns the same per-conversation array until something changes, and notifies subscribers', () => {
    const outbox = new Outbox('u-alice', window.localStorage);
    const calls = jest.fn();
    outbox.subscribe(calls);
    outbox.add(draft(1));
    const first = outbox.forRecipient('u-bob');
    expect(outbox.forRecipient('u-bob')).toBe(first);
    outbox.update('cmid-1', { attempts: 1 });
    expect(outbox.forRecipient('u-bob')).not.toBe(first);
    expect(calls).toHaveBeenCalledTimes(2);
  });
});
