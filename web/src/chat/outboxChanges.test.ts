import { ChangeOutbox, changesStorageKey } from './outboxChanges';

beforeEach(() => window.localStorage.clear());

describe('ChangeOutbox', () => {
  it('writes each change to storage as soon as it is added, and a new page (reload) reads them back in order', () => {
    const before = new ChangeOutbox('u-alice', window.localStorage);
    const edit = before.add({ kind: 'edit', messageId: 'm1', content: 'Fixed' });
    const react = before.add({ kind: 'react', messageId: 'm2', emoji: '👍', on: true });
    const del = before.add({ kind: 'delete', messageId: 'm3' });
    expect(new Set([edit.id, react.id, del.id]).size).toBe(3);

    expect(JSON.parse(window.localStorage.getItem(changesStorageKey('u-alice'))!)).toHaveLength(3);
    const after = new ChangeOutbox('u-alice', window.localStorage);
    expect(after.all()).toEqual([
      { id: edit.id, kind: 'edit', messageId: 'm1', content: 'Fixed' },
      { id: react.id, kind: 'react', messageId: 'm2', emoji: '👍', on: true },
      { id: del.id, kind: 'delete', messageId: 'm3' },
    ]);
  });

  it('removes a done change (from storage too), ignores unknown ids, and keeps each user’s queue apart', () => {
    const alice = new ChangeOutbox('u-alice', window.localStorage);
    const first = alice.add({ kind: 'delete', messageId: 'm1' });
    alice.add({ kind: 'delete', messageId: 'm2' });
    new ChangeOutbox('u-bob', window.localStorage).add({ kind: 'delete', messageId: 'm9' });

    alice.remove('unknown');
    alice.remove(first.id);
    expect(new ChangeOutbox('u-alice', window.localStorage).all().map((c) => c.messageId)).toEqual(['m2']);

    alice.clear();
    expect(window.localStorage.getItem(changesStorageKey('u-alice'))).toBeNull();
    expect(new ChangeOutbox('u-bob', window.localStorage).all().map((c) => c.messageId)).toEqual(['m9']);
  });

  it('lists a refused change with its reason (out of the queue and of storage) until dismissed', () => {
    const queue = new ChangeOutbox('u-alice', window.localStorage);
    const calls = jest.fn();
    queue.subscribe(calls);
    const edit = queue.add({ kind: 'edit', messageId: 'm1', content: 'Too late' });
    queue.add({ kind: 'delete', messageId: 'm2' });

    queue.refuse(edit.id, 'The message is older than the edit window.');
    queue.refuse('unknown', 'ignored');
    expect(queue.all().map((c) => c.kind)).toEqual(['delete']);
    expect(new ChangeOutbox('u-alice', window.localStorage).all().map((c) => c.kind)).toEqual(['delete']);
    expect(queue.refused()).toEqual([{ change: edit, reason: 'The message is older than the edit window.' }]);

    const refused = queue.refused();
    calls.mockClear();
    queue.dismiss(edit.id);
    expect(calls).toHaveBeenCalledTimes(1);
    expect(queue.refused()).toEqual([]);
    expect(queue.refused()).not.toBe(refused);
  });

  it('ignores unreadable storage and malformed entries instead of failing the app', () => {
    window.localStorage.setItem(changesStorageKey('u-alice'), '{not json');
    expect(new ChangeOutbox('u-alice', window.localStorage).all()).toEqual([]);
    window.localStorage.setItem(
      changesStorageKey('u-alice'),
      JSON.stringify([
        { id: 'a', kind: 'edit', messageId: 'm1' }, // no content
        { id: 'b', kind: 'react', messageId: 'm1', emoji: '👍' }, // no on
        { id: 'c', kind: 'explode', messageId: 'm1' },
        { id: 'd', kind: 'delete', messageId: 'm1' },
      ]),
    );
    expect(new ChangeOutbox('u-alice', window.localStorage).all().map((c) => c.id)).toEqual(['d']);
  });

  it('returns the same array until something changes, and reload() reads what another tab wrote', () => {
    const queue = new ChangeOutbox('u-alice', window.localStorage);
    const calls = jest.fn();
    queue.subscribe(calls);
    queue.add({ kind: 'delete', messageId: 'm1' });
    const held = queue.all();
    expect(queue.all()).toBe(held);

    new ChangeOutbox('u-alice', window.localStorage).add({ kind: 'delete', messageId: 'm2' });
    expect(queue.all()).toBe(held);
    queue.reload();
    expect(queue.all().map((c) => c.messageId)).toEqual(['m1', 'm2']);
    expect(calls).toHaveBeenCalledTimes(2);
  });
});
