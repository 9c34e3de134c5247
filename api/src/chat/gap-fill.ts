// Gap-fill positions: what one subscription has delivered of an ordered log per conversation, and what it reads
// from the database before it delivers an event.
//
// Positions run 1, 2, 3… without gaps within a conversation (messages by `seq`, see send.ts), so "delivered up to N"
// says it all: an event at or below N is a duplicate (replayed, published twice) and is dropped; an event above N+1
// means something was missed (an event lost in Redis, a publish from another instance that overtook an earlier one,
// a subscription registered a moment late) and the range between is read first, in pages of FILL_PAGE. Catch-up
// (`after`) and the periodic re-check are the same fill, up to where the conversation ends. Generic over the entry:
// the log says where an entry sits, the reader where the rows come from.
// A log may also have positions that no row holds (messageUpdated's change log, changeFeed.ts: a message's earlier
// change is superseded by its later one, and a change that found nothing to do leaves its position unused): a read
// finds fewer rows than positions, which costs that read, never an entry; a range read to its end moves the stream
// to the range's end, since everything committed up to there has been seen.

/** Rows per read of a range. */
export const FILL_PAGE = 500;

/** Where an entry of an ordered log sits. */
export type Ordered<E> = { conversationOf(entry: E): string; positionOf(entry: E): number };

/** Up to FILL_PAGE entries of a conversation with after < position <= upTo (no bound when undefined), in order. */
export type ReadRange<E> = (conversationId: string, after: number, upTo: number | undefined) => Promise<E[]>;

export type GapFillDeps<E> = {
  log: Ordered<E>;
  read: ReadRange<E>;
  /** Hands an entry to the consumer; its promise settles when there is room for the next one (backpressure). */
  emit(entry: E): Promise<unknown> | void;
  /** True once the consumer is gone: nothing more is read or emitted. */
  stopped(): boolean;
};

/** The positions of one subscription. Not re-entrant: its owner runs one call at a time (see log-stream.ts). */
export class GapFill<E> {
  /** Highest position delivered (or known to predate the subscription) per conversation; absent = 0. Allocated when
   * first needed: an idle stream of a user without conversations holds nothing. */
  private delivered: Map<string, number> | null = null;

  constructor(private readonly deps: GapFillDeps<E>) {}

  lastOf(conversationId: string): number {
    return this.delivered?.get(conversationId) ?? 0;
  }

  /** The starting line of a conversation: what is at or below `position` is not delivered. */
  setLast(conversationId: string, position: number): void {
    (this.delivered ??= new Map()).set(conversationId, position);
  }

  /** An event of the log: dropped when delivered already, delivered after the gap before it is read. */
  async event(entry: E): Promise<void> {
    const conversationId = this.deps.log.conversationOf(entry);
    const position = this.deps.log.positionOf(entry);
    const last = this.lastOf(conversationId);
    if (position <= last) return;
    if (position > last + 1) await this.fill(conversationId, position - 1);
    await this.deliver(entry);
  }

  /** The conversation ends at `head` (unknown: read to its end): read what was not delivered. */
  async catchUp(conversationId: string, head?: number): Promise<void> {
    if (head === undefined || head > this.lastOf(conversationId)) await this.fill(conversationId, head);
  }

  private async fill(conversationId: string, upTo: number | undefined) {
    while (!this.deps.stopped()) {
      const rows = await this.deps.read(conversationId, this.lastOf(conversationId), upTo);
      for (const row of rows) await this.deliver(row);
      if (rows.length < FILL_PAGE) {
        // The range was read to its end: whatever was committed up to `upTo` has been seen. A log whose positions
        // can go missing (a change log: an entry superseded by its entry's later change, a position taken by a
        // change that then did nothing) stands at `upTo` now, not at its last row, or every re-check reads again.
        if (upTo !== undefined && !this.deps.stopped() && upTo > this.lastOf(conversationId))
          this.setLast(conversationId, upTo);
        return;
      }
    }
  }

  private async deliver(entry: E) {
    const conversationId = this.deps.log.conversationOf(entry);
    const position = this.deps.log.positionOf(entry);
    if (this.deps.stopped() || position <= this.lastOf(conversationId)) return;
    this.setLast(conversationId, position);
    await this.deps.emit(entry);
  }
}
