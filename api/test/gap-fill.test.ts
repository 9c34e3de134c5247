// The gap-fill positions (src/chat/gap-fill.ts) on their own, over an in-memory ordered log: duplicates dropped,
// gaps read before the event that revealed them, catch-up in pages, nothing read or emitted once stopped. The same
// rules end to end, through the server, are in delivery.test.ts and events.test.ts. And the iterator a stream hands
// its consumer.
import { BufferedIterator } from '../src/chat/buffered-iterator.ts';
import { FILL_PAGE, GapFill, type Ordered } from '../src/chat/gap-fill.ts';

type Entry = { c: string; pos: number };
const log: Ordered<Entry> = { conversationOf: (e) => e.c, positionOf: (e) => e.pos };

/** A log of `length` entries per conversation, the reads made of it, and what was emitted. */
function setup(length: number) {
  const reads: string[] = [];
  const emitted: string[] = [];
  let stopped = false;
  const fill = new GapFill<Entry>({
    log,
    read: async (c, after, upTo) => {
      reads.push(`${c}:${after}..${upTo ?? ''}`);
      const end = Math.min(upTo ?? length, length, after + FILL_PAGE);
      return Array.from({ length: Math.max(0, end - after) }, (_, i) => ({ c, pos: after + 1 + i }));
    },
    emit: (e) => void emitted.push(`${e.c}${e.pos}`),
    stopped: () => stopped,
  });
  return { fill, reads, emitted, stop: () => (stopped = true) };
}

test('the next position is delivered without a read; a duplicate is dropped', async () => {
  const { fill, reads, emitted } = setup(10);
  fill.setLast('a', 3);
  await fill.event({ c: 'a', pos: 4 });
  await fill.event({ c: 'a', pos: 4 });
  await fill.event({ c: 'a', pos: 2 });
  expect(emitted).toEqual(['a4']);
  expect(reads).toEqual([]);
  expect(fill.lastOf('a')).toBe(4);
});

test('an event beyond the next position reads the gap first, then is delivered once, in order', async () => {
  const { fill, reads, emitted } = setup(10);
  fill.setLast('a', 1);
  await fill.event({ c: 'a', pos: 5 });
  expect(reads).toEqual(['a:1..4']);
  expect(emitted).toEqual(['a2', 'a3', 'a4', 'a5']);
  await fill.event({ c: 'a', pos: 3 }); // the late event of the gap
  expect(emitted).toHaveLength(4);
});

test('conversations have positions of their own; an unknown one starts at 0', async () => {
  const { fill, emitted } = setup(10);
  fill.setLast('a', 5);
  await fill.event({ c: 'b', pos: 2 });
  await fill.event({ c: 'a', pos: 6 });
  expect(emitted).toEqual(['b1', 'b2', 'a6']);
});

test('a catch-up reads to the end in pages of FILL_PAGE, and not at all when nothing is missing', async () => {
  const total = FILL_PAGE * 2 + 7;
  const { fill, reads, emitted } = setup(total);
  fill.setLast('a', 0);
  await fill.catchUp('a');
  expect(reads).toEqual(['a:0..', `a:${FILL_PAGE}..`, `a:${FILL_PAGE * 2}..`]);
  expect(emitted).toHaveLength(total);
  expect(emitted.at(-1)).toBe(`a${total}`);
  await fill.catchUp('a', total);
  expect(reads).toHaveLength(3);
});

test('a log with positions no row holds (a change log): a range read to its end moves the stream to the range end', async () => {
  // Rows at 2 and 4 only: 1 and 3 were superseded by later changes of the same messages, 5 and 6 (the head) too.
  const reads: string[] = [];
  const emitted: string[] = [];
  const rows = [2, 4, 7];
  const fill = new GapFill<Entry>({
    log,
    read: async (c, after, upTo) => {
      reads.push(`${c}:${after}..${upTo ?? ''}`);
      return rows.filter((pos) => pos > after && pos <= (upTo ?? Infinity)).map((pos) => ({ c, pos }));
    },
    emit: (e) => void emitted.push(`${e.c}${e.pos}`),
    stopped: () => false,
  });
  fill.setLast('a', 0);
  await fill.catchUp('a', 6);
  expect(emitted).toEqual(['a2', 'a4']);
  expect(fill.lastOf('a')).toBe(6);
  await fill.catchUp('a', 6); // the next re-check: nothing read again
  expect(reads).toEqual(['a:0..6']);
  await fill.event({ c: 'a', pos: 7 }); // the next position: delivered without a read
  expect(reads).toHaveLength(1);
  await fill.event({ c: 'a', pos: 5 }); // a late event of a superseded position: dropped
  expect(emitted).toEqual(['a2', 'a4', 'a7']);
});

test('once stopped, nothing more is read or emitted', async () => {
  const { fill, reads, emitted, stop } = setup(10);
  stop();
  await fill.event({ c: 'a', pos: 5 });
  await fill.catchUp('a');
  expect(reads).toEqual([]);
  expect(emitted).toEqual([]);
});

// The iterator a stream hands its consumer (src/chat/buffered-iterator.ts).
class Probe extends BufferedIterator<number> {
  give = (v: number) => this.push(v);
  end = (err?: unknown) => this.close(err);
}

test('the buffered iterator hands values over in order; past the high-water mark a push waits for half to be read', async () => {
  const it = new Probe(4);
  const waiting = it.next(); // a consumer already waiting gets the value directly
  expect(it.give(1)).toBeUndefined();
  expect(await waiting).toEqual({ value: 1, done: false });
  for (const v of [2, 3, 4]) expect(it.give(v)).toBeUndefined();
  let resumed = false;
  void it.give(5)!.then(() => (resumed = true));
  expect([(await it.next()).value, (await it.next()).value]).toEqual([2, 3]);
  await Promise.resolve();
  expect(resumed).toBe(false); // 4 and 5 still queued: not below half of 4
  expect((await it.next()).value).toBe(4);
  await Promise.resolve();
  expect(resumed).toBe(true);
  expect((await it.next()).value).toBe(5);
});

test('closed with an error, the consumer gets what was queued, then the error; return() drops the queue', async () => {
  const failing = new Probe(10);
  failing.give(1);
  failing.end(new Error('boom'));
  failing.give(2); // after the end: ignored
  expect(await failing.next()).toEqual({ value: 1, done: false });
  await expect(failing.next()).rejects.toThrow('boom');

  const returned = new Probe(10);
  returned.give(1);
  expect(await returned.return()).toEqual({ value: undefined, done: true });
  expect(await returned.next()).toEqual({ value: undefined, done: true });
  const waiting = new Probe(10);
  const pending = waiting.next();
  waiting.end();
  expect(await pending).toEqual({ value: undefined, done: true });
});
