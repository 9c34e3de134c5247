// A small async iterator with a buffer: what a stream hands its consumer (the transport). The producer pushes;
// past HIGH_WATER queued values a push returns a promise that settles once the consumer has read half of them
// (backpressure, for catch-ups of thousands). A value pushed while the consumer waits goes straight to it.
// Hand-written rather than Yoga's Repeater (issue #16): with the stream on a Repeater (FixedBuffer of the same size),
// three paired `npm run bench -- --quick` runs on a shared 2-core machine gave delivery 6.9 % more server CPU per
// message (mean of the 50/200/500 msg/s rows: 3.53 vs 3.30 ms) and the 10,000-message catch-up 32 % more (2,100 vs
// 1,590 ms); in isolation a Repeater push cost 7.4 µs of CPU against 0.25 µs here (it allocates about six promises
// per value, this none while the consumer keeps up). Single runs swing ±15 % there: the catch-up and the isolated
// figure are the clearer signal. The Repeater version is commit 39c68a9 of the `live` branch.
export class BufferedIterator<T> implements AsyncIterableIterator<T> {
  /** Allocated when first needed: an idle stream holds none. */
  private queue: T[] | null = null;
  private waiting: { resolve(r: IteratorResult<T>): void; reject(e: unknown): void } | null = null;
  private drained: (() => void) | null = null;
  private failure: unknown = null;
  private closed = false;

  constructor(private readonly highWater: number) {}

  /** Hands a value to the consumer; past the high-water mark, resolves when it has read half the queue. */
  protected push(value: T): Promise<void> | void {
    if (this.closed) return;
    if (this.waiting) {
      const waiting = this.waiting;
      this.waiting = null;
      return waiting.resolve({ value, done: false });
    }
    const queue = (this.queue ??= []);
    queue.push(value);
    if (queue.length >= this.highWater) return new Promise<void>((resolve) => (this.drained = resolve));
  }

  /** No more values: the consumer reads what is queued, then the end (or `err`). */
  protected close(err?: unknown) {
    if (this.closed) return;
    this.closed = true;
    if (err !== undefined) this.failure = err;
    this.drained?.();
    this.drained = null;
    if (!this.waiting) return;
    if (err !== undefined) this.waiting.reject(err);
    else this.waiting.resolve({ value: undefined, done: true });
    this.waiting = null;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue?.length) {
      const value = this.queue.shift()!;
      if (this.drained && this.queue.length < this.highWater / 2) {
        this.drained();
        this.drained = null;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  /** The consumer is done: what is queued is dropped. */
  return(): Promise<IteratorResult<T>> {
    this.close();
    this.queue = null;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}
