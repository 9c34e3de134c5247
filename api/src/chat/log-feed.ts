// The per-user feed of an ordered log: the work shared per instance rather than repeated per subscription.
// - One pub/sub listener per user with streams here (however many tabs and filters), a plain callback: no buffer.
// - One timer re-checks streams' conversations with one statement: a minute apart, and ~1 s after a stream starts
//   (covering a pub/sub subscription that took effect late) or after a read failed because the database was down.
// - Concurrent reads of the same range (every tab of a conversation filling the same gap) are one query.
//
// The seam: a log is an `OrderedLog` — where an entry sits (conversation, position), whom it involves, how to listen
// to a user's events, where the users' conversations end (`heads`) and how to read a range. live.ts makes one for
// `messageAdded` (messages by seq, gapless); changeFeed.ts one for `messageUpdated` (the change log of edits,
// deletions and reactions by changeSeq, with its own head; positions there can have no row — superseded by a later
// change of the same message — which gap-fill.ts allows for), each given to its own `createLogFeed`, and each gets
// the same exactly-once, in-order delivery with gap-fill, shared pages and re-checks.
import { isDatabaseUnavailable } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { FILL_PAGE, type Ordered } from './gap-fill.ts';
import { LogStream, type Head, type Start, type StreamHost } from './log-stream.ts';

export type { Head, Start } from './log-stream.ts';

/** Streams asking for a check are checked one to two of these later. */
const CHECK_SOON_MS = 1_000;
const RESYNC_EVERY_MS = 60_000;
/** No upper bound for a range (int4's largest). */
const NO_BOUND = 2_147_483_647;

export type OrderedLog<E> = Ordered<E> & {
  /** For logs: `messageAdded`. */
  name: string;
  /** Whether the entry concerns this user (a stream narrowed to one peer keeps only those). */
  involves(entry: E, userId: string): boolean;
  /** Registers a callback for the user's events; returns what stops it. Called inside the publish: it only queues. */
  listen(userId: string, onEvent: (entry: E) => void): () => void;
  /** Where the given users' conversations end now; one statement. */
  heads(userIds: readonly string[]): Promise<Head[]>;
  /** At most `limit` entries with after < position <= upTo, in order; one statement. */
  readPage(conversationId: string, after: number, upTo: number, limit: number): Promise<E[]>;
};

export type LogFeed<E> = {
  /** A stream of the viewer's events (narrowed to one peer when given), listening from now on: nothing committed
   * from here on can be missed. Its events wait until `start`; `end()` it if the start fails. */
  open(viewerId: string, peerId: string | null): LogStream<E>;
  /** The starting line (taken after `open`): where the stream's conversations end, and where to catch up from. */
  start(stream: LogStream<E>, heads: readonly Head[], after: Start | null): AsyncIterable<E>;
  close(): void;
};

export function createLogFeed<E>(log: OrderedLog<E>, logger: Logger): LogFeed<E> {
  const streams = new Set<LogStream<E>>();

  const listeners = new Map<string, { streams: Set<LogStream<E>>; stop(): void }>();
  const listen = (stream: LogStream<E>) => {
    let listener = listeners.get(stream.viewerId);
    if (!listener) {
      const members = new Set<LogStream<E>>();
      const stop = log.listen(stream.viewerId, (entry) => {
        for (const s of members) {
          try {
            s.received(entry);
          } catch (err) {
            logger.error({ err }, `${log.name} listener failed`);
          }
        }
      });
      listener = { streams: members, stop };
      listeners.set(stream.viewerId, listener);
    }
    listener.streams.add(stream);
  };
  const unlisten = (stream: LogStream<E>) => {
    const listener = listeners.get(stream.viewerId);
    if (!listener?.streams.delete(stream) || listener.streams.size) return;
    listeners.delete(stream.viewerId);
    listener.stop();
  };

  const reads = new Map<string, Promise<E[]>>();
  const read = (conversationId: string, after: number, upTo: number | undefined) => {
    const key = `${conversationId}:${after}:${upTo ?? ''}`;
    let pending = reads.get(key);
    if (!pending) {
      pending = log.readPage(conversationId, after, upTo ?? NO_BOUND, FILL_PAGE).finally(() => reads.delete(key));
      reads.set(key, pending);
    }
    return pending;
  };

  // Checks: streams asking now are checked at the tick after next (one to two CHECK_SOON_MS away), together.
  let next = new Set<LogStream<E>>();
  let soon = new Set<LogStream<E>>();
  let tick: NodeJS.Timeout | null = null;
  const arm = () => {
    if (tick || (!next.size && !soon.size)) return;
    tick = setTimeout(() => {
      tick = null;
      const batch = soon;
      [soon, next] = [next, new Set()];
      void check(batch);
      arm();
    }, CHECK_SOON_MS).unref();
  };
  const checkSoon = (stream: LogStream<E>) => {
    next.add(stream);
    arm();
  };
  const check = async (batch: Iterable<LogStream<E>>) => {
    const due = [...batch].filter((s) => streams.has(s));
    if (!due.length) return;
    try {
      const heads = await log.heads([...new Set(due.map((s) => s.viewerId))]);
      for (const s of due) s.heads(heads.filter((h) => h.userLowId === s.viewerId || h.userHighId === s.viewerId));
    } catch (err) {
      if (!isDatabaseUnavailable(err)) logger.error({ err }, `${log.name}: re-check failed`);
      for (const s of due) checkSoon(s);
    }
  };
  const every = setInterval(() => void check(streams), RESYNC_EVERY_MS).unref();

  const host: StreamHost<E> = {
    log,
    read,
    checkSoon,
    remove: (stream) => {
      streams.delete(stream);
      unlisten(stream);
    },
    logger,
  };

  return {
    open(viewerId, peerId) {
      const stream = new LogStream(host, viewerId, peerId);
      listen(stream);
      return stream;
    },
    start(stream, heads, after) {
      streams.add(stream);
      stream.start(heads, after);
      return stream;
    },
    close() {
      clearInterval(every);
      if (tick) clearTimeout(tick);
      for (const s of [...streams]) void s.return();
      for (const listener of listeners.values()) listener.stop();
      listeners.clear();
    },
  };
}
