// One subscription to an ordered log: its gap-fill positions (gap-fill.ts) and the iterator the transport reads
// (buffered-iterator.ts, with room for HIGH_WATER entries: a catch-up waits for the consumer beyond that).
// Work runs one task at a time in arrival order, so deliveries keep the log's order. A read that fails because the
// database is down never ends the stream: it is re-checked shortly and fills what it missed then. Any other failure
// ends it with that error (after what was already queued).
import { isDatabaseUnavailable } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { BufferedIterator } from './buffered-iterator.ts';
import { GapFill, type Ordered, type ReadRange } from './gap-fill.ts';

/** Entries waiting for the consumer before a catch-up pauses for it to read (backpressure). */
const HIGH_WATER = 200;

/** Where a conversation ends now: what a stream compares with what it delivered. */
export type Head = { id: string; last: number; userLowId: string; userHighId: string };

/** A position to catch up from (`after`): what is at or below it is not delivered. */
export type Start = { conversationId: string; position: number };

/** What a stream needs from its feed (log-feed.ts). */
export type StreamHost<E> = {
  log: Ordered<E> & { name: string; involves(entry: E, userId: string): boolean };
  read: ReadRange<E>;
  checkSoon(stream: LogStream<E>): void;
  remove(stream: LogStream<E>): void;
  logger: Logger;
};

export class LogStream<E> extends BufferedIterator<E> {
  readonly viewerId: string;
  private readonly host: StreamHost<E>;
  private readonly peerId: string | null;
  private readonly positions: GapFill<E>;
  /** Events that arrived before the starting line was known. */
  private early: E[] | null = [];
  private work: Promise<void> = Promise.resolve();
  private ended = false;

  constructor(host: StreamHost<E>, viewerId: string, peerId: string | null) {
    super(HIGH_WATER);
    this.host = host;
    this.viewerId = viewerId;
    this.peerId = peerId;
    this.positions = new GapFill({
      log: host.log,
      read: host.read,
      emit: (entry) => this.push(entry),
      stopped: () => this.ended,
    });
  }

  /** The starting line: what exists now is not "added" for this stream, except after `after`. */
  start(heads: readonly Head[], after: Start | null) {
    for (const h of heads) this.positions.setLast(h.id, h.last);
    if (after) {
      this.positions.setLast(after.conversationId, after.position);
      this.enqueue(() => this.positions.catchUp(after.conversationId));
    }
    const early = this.early!;
    this.early = null;
    for (const entry of early) this.received(entry);
    this.host.checkSoon(this);
  }

  /** An event of the viewer's channel. */
  received(entry: E) {
    if (this.early) return void this.early.push(entry);
    if (this.peerId && !this.host.log.involves(entry, this.peerId)) return;
    this.enqueue(() => this.positions.event(entry));
  }

  /** Where the viewer's conversations end now (the re-check): fill what this stream lacks. */
  heads(heads: readonly Head[]) {
    this.enqueue(async () => {
      for (const h of heads) {
        if (!this.peerId || h.userLowId === this.peerId || h.userHighId === this.peerId) {
          await this.positions.catchUp(h.id, h.last);
        }
      }
    });
  }

  /** The consumer is done (graphql-ws `complete`, a closed socket). */
  override return(): Promise<IteratorResult<E>> {
    this.end();
    return super.return();
  }

  /** Ends the stream; with an error, the consumer gets it after what was queued. */
  end(err?: unknown) {
    if (this.ended) return;
    this.ended = true;
    this.host.remove(this);
    this.close(err);
  }

  private enqueue(task: () => Promise<void>) {
    this.work = this.work.then(task).catch((err: unknown) => {
      if (isDatabaseUnavailable(err)) return this.host.checkSoon(this); // fill the gap once it is back
      this.host.logger.error({ err }, `${this.host.log.name} stream failed`);
      this.end(err);
    });
  }
}
