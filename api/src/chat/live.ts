// messageAdded: the viewer's own channel, narrowed to one conversation when asked, delivered exactly once and in
// commit order per conversation.
//
// Events are treated as hints, the database as the truth. `seq` is gapless within a conversation (see send.ts).
// Each stream remembers the last seq it delivered per conversation: an event at or below it is a duplicate and is
// dropped; an event above last+1 means something was missed (an event lost in Redis, a publish from another
// instance that overtook an earlier one, a subscription registered a moment late) and the gap is read from the
// database first. Catch-up (`after`) is the same gap-fill, started from the cursor.
//
// The work is shared per instance, not repeated per subscription: one pub/sub listener per user (however many tabs
// and filters), one timer that re-checks every stream's conversations with one statement (a minute apart, and ~1 s
// after a stream starts, covering a pub/sub subscription that took effect late), and concurrent reads of the same
// range — every tab of a conversation filling the same gap — are one query. Reads come in pages of hundreds. A
// read that fails because the database is down never ends a subscription: the stream is re-checked shortly, and
// fills what it missed then. A stream is a small object (an idle one holds its positions and little else).
import type { Sql } from '../db/index.ts';
import { statement } from '../db/sql.ts';
import { badInput, isDatabaseUnavailable, notFound } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { EventBus } from '../pubsub.ts';
import { NO_SUCH_USER, parseOtherUser, participantKey } from './conversation.ts';
import { decodeMessageCursor, seqIn, type MessagePosition } from './cursor.ts';
import type { ChatChannels } from './events.ts';
import { JOIN_USERS, MESSAGE_COLUMNS, toChatMessage, type MessageRow } from './rows.ts';
import type { ChatMessage } from './types.ts';

const FILL_PAGE = 500;
/** Streams asking for a check are checked one to two of these later. */
const CHECK_SOON_MS = 1_000;
const RESYNC_EVERY_MS = 60_000;

type ChatListen = EventBus<ChatChannels>['listen'];

export type MessageAddedArgs = { withUserId?: string | null; after?: string | null };

/** Where a conversation ends: what a stream compares with what it delivered. */
type Head = { id: string; lastSeq: number; userLowId: string; userHighId: string };

// $1 the users whose conversations to check.
export const HEADS = statement(
  'live_heads',
  `SELECT "id", "lastSeq", "userLowId", "userHighId" FROM "Conversation"
   WHERE "userLowId" = ANY($1::uuid[]) OR "userHighId" = ANY($1::uuid[])`,
);
// $1/$2 the participant key, $3 the other user. No row: that user does not exist.
export const PAIR_HEAD = statement(
  'live_pair_head',
  `SELECT c."id", c."lastSeq", c."userLowId", c."userHighId"
   FROM "User" o LEFT JOIN "Conversation" c ON c."userLowId" = $1::uuid AND c."userHighId" = $2::uuid
   WHERE o."id" = $3::uuid`,
);
// $1 conversation, $2 < seq <= $3, at most $4 rows.
export const RANGE = statement(
  'live_range',
  `SELECT ${MESSAGE_COLUMNS} FROM "Message" m ${JOIN_USERS}
   WHERE m."conversationId" = $1::uuid AND m."seq" > $2::int AND m."seq" <= $3::int
   ORDER BY m."seq" LIMIT $4::int`,
);

/** Events waiting for the consumer before a catch-up pauses for it to read (backpressure). */
const HIGH_WATER = 200;

type Feed = {
  readRange(conversationId: string, afterSeq: number, upTo: number | undefined): Promise<ChatMessage[]>;
  checkSoon(stream: MessageStream): void;
  remove(stream: MessageStream): void;
  log: Logger;
};

/** One subscription: positions per conversation, a queue of deliveries, one task at a time. */
class MessageStream implements AsyncIterableIterator<ChatMessage> {
  /** Highest seq delivered (or known to predate the subscription) per conversation; absent = 0. Allocated, like
   * the queue, when first needed: an idle stream of a user without conversations holds neither. */
  private delivered: Map<string, number> | null = null;
  private queue: ChatMessage[] | null = null;
  /** Events that arrived before the starting line was known. */
  private early: ChatMessage[] | null = [];
  private waiting: { resolve(r: IteratorResult<ChatMessage>): void; reject(e: unknown): void } | null = null;
  private drained: (() => void) | null = null;
  private work: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  private ended = false;

  constructor(
    private readonly feed: Feed,
    readonly viewerId: string,
    private readonly otherId: string | null,
  ) {}

  /** The starting line: what exists now is not "added" for this stream, except after `after`. */
  start(heads: Head[], after: MessagePosition | null) {
    for (const h of heads) this.setLast(h.id, h.lastSeq);
    if (after) {
      this.setLast(after.conversationId, after.seq);
      this.enqueue(() => this.fill(after.conversationId));
    }
    const early = this.early!;
    this.early = null;
    for (const m of early) this.received(m);
    this.feed.checkSoon(this);
  }

  concerns(a: string, b: string) {
    return !this.otherId || a === this.otherId || b === this.otherId;
  }

  /** A message event of the viewer's channel. */
  received(m: ChatMessage) {
    if (this.early) return void this.early.push(m);
    if (!this.concerns(m.senderId, m.recipientId)) return;
    this.enqueue(async () => {
      const last = this.lastOf(m.conversationId);
      if (m.seq <= last) return; // already delivered (replayed, or a duplicate event)
      if (m.seq > last + 1) await this.fill(m.conversationId, m.seq - 1);
      await this.deliver(m);
    });
  }

  /** Where the viewer's conversations end now (the re-check): fill what this stream lacks. */
  heads(heads: Head[]) {
    this.enqueue(async () => {
      for (const h of heads) {
        if (this.concerns(h.userLowId, h.userHighId) && h.lastSeq > this.lastOf(h.id)) {
          await this.fill(h.id, h.lastSeq);
        }
      }
    });
  }

  private lastOf(conversationId: string) {
    return this.delivered?.get(conversationId) ?? 0;
  }

  private setLast(conversationId: string, seq: number) {
    (this.delivered ??= new Map()).set(conversationId, seq);
  }

  private enqueue(task: () => Promise<void>) {
    this.work = this.work.then(task).catch((err: unknown) => {
      if (isDatabaseUnavailable(err)) return this.feed.checkSoon(this); // fill the gap once it is back
      this.feed.log.error({ err }, 'messageAdded stream failed');
      this.fail(err);
    });
  }

  private async fill(conversationId: string, upTo?: number) {
    for (;;) {
      const rows = await this.feed.readRange(conversationId, this.lastOf(conversationId), upTo);
      for (const row of rows) await this.deliver(row);
      if (rows.length < FILL_PAGE || this.ended) return;
    }
  }

  private async deliver(m: ChatMessage) {
    if (this.ended || m.seq <= this.lastOf(m.conversationId)) return;
    this.setLast(m.conversationId, m.seq);
    if (this.waiting) {
      const waiting = this.waiting;
      this.waiting = null;
      return waiting.resolve({ value: m, done: false });
    }
    const queue = (this.queue ??= []);
    queue.push(m);
    if (queue.length >= HIGH_WATER) await new Promise<void>((resolve) => (this.drained = resolve));
  }

  private fail(err: unknown) {
    if (this.ended) return;
    this.failure = err;
    this.finish();
    this.waiting?.reject(err);
    this.waiting = null;
  }

  private finish() {
    this.ended = true;
    this.feed.remove(this);
    this.drained?.();
  }

  next(): Promise<IteratorResult<ChatMessage>> {
    if (this.queue?.length) {
      const value = this.queue.shift()!;
      if (this.drained && this.queue.length < HIGH_WATER / 2) {
        this.drained();
        this.drained = null;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.failure) return Promise.reject(this.failure);
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  return(): Promise<IteratorResult<ChatMessage>> {
    if (!this.ended) this.finish();
    this.queue = null;
    this.waiting?.resolve({ value: undefined, done: true });
    this.waiting = null;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}

export type MessageFeed = {
  /** Validates the arguments (one statement), then streams; rejects with a GraphQL error on bad input. */
  subscribe(viewerId: string, args: MessageAddedArgs): Promise<AsyncIterable<ChatMessage>>;
  close(): void;
};

export function createMessageFeed(deps: { sql: Sql; listen: ChatListen; log: Logger }): MessageFeed {
  const { sql, log } = deps;
  const streams = new Set<MessageStream>();

  /** One pub/sub listener per user with streams here, shared by all of them (a plain callback: no buffer). */
  const listeners = new Map<string, { streams: Set<MessageStream>; stop(): void }>();
  const listen = (stream: MessageStream) => {
    let listener = listeners.get(stream.viewerId);
    if (!listener) {
      const members = new Set<MessageStream>();
      // Registered at once: from here on nothing committed can be missed. It runs inside the publish (a stream
      // only queues the event), so it must not throw.
      const stop = deps.listen('user:messageAdded', stream.viewerId, (message) => {
        for (const s of members) {
          try {
            s.received(message);
          } catch (err) {
            log.error({ err }, 'messageAdded listener failed');
          }
        }
      });
      listener = { streams: members, stop };
      listeners.set(stream.viewerId, listener);
    }
    listener.streams.add(stream);
  };
  const unlisten = (stream: MessageStream) => {
    const listener = listeners.get(stream.viewerId);
    if (!listener?.streams.delete(stream) || listener.streams.size) return;
    listeners.delete(stream.viewerId);
    listener.stop();
  };

  // Concurrent reads of one range share one query.
  const reads = new Map<string, Promise<ChatMessage[]>>();
  const readRange = (conversationId: string, afterSeq: number, upTo: number | undefined) => {
    const key = `${conversationId}:${afterSeq}:${upTo ?? ''}`;
    let read = reads.get(key);
    if (!read) {
      read = sql
        .query<MessageRow>(RANGE, [conversationId, afterSeq, upTo ?? 2_147_483_647, FILL_PAGE])
        .then((rows) => rows.map(toChatMessage))
        .finally(() => reads.delete(key));
      reads.set(key, read);
    }
    return read;
  };

  // Checks: streams asking now are checked at the tick after next (one to two CHECK_SOON_MS away), together.
  let next = new Set<MessageStream>();
  let soon = new Set<MessageStream>();
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
  const checkSoon = (stream: MessageStream) => {
    next.add(stream);
    arm();
  };
  const check = async (batch: Iterable<MessageStream>) => {
    const due = [...batch].filter((s) => streams.has(s));
    if (!due.length) return;
    try {
      const heads = await sql.query<Head>(HEADS, [[...new Set(due.map((s) => s.viewerId))]]);
      for (const s of due) s.heads(heads.filter((h) => h.userLowId === s.viewerId || h.userHighId === s.viewerId));
    } catch (err) {
      if (!isDatabaseUnavailable(err)) log.error({ err }, 'messageAdded: re-check failed');
      for (const s of due) checkSoon(s);
    }
  };
  const every = setInterval(() => void check(streams), RESYNC_EVERY_MS).unref();

  const feed: Feed = {
    readRange,
    checkSoon,
    remove: (stream) => {
      streams.delete(stream);
      unlisten(stream);
    },
    log,
  };

  async function subscribe(viewerId: string, args: MessageAddedArgs): Promise<AsyncIterable<ChatMessage>> {
    const otherId = args.withUserId ? parseOtherUser(viewerId, args.withUserId, 'withUserId') : null;
    if (args.after && !otherId)
      throw badInput('after needs withUserId: a cursor is a position in one conversation.', 'after');
    const after = args.after ? decodeMessageCursor(args.after, 'after') : null;

    // 1. Listen first, so nothing committed from here on can be missed (events wait until the stream starts).
    const stream = new MessageStream(feed, viewerId, otherId);
    listen(stream);
    // 2. Then take the starting line.
    try {
      const heads = otherId ? await pairHead(viewerId, otherId) : await sql.query<Head>(HEADS, [[viewerId]]);
      if (after) seqIn(after, heads[0]?.id ?? null, 'after');
      streams.add(stream);
      stream.start(heads, after);
      return stream;
    } catch (err) {
      unlisten(stream);
      throw err;
    }
  }

  async function pairHead(viewerId: string, otherId: string): Promise<Head[]> {
    const { userLowId, userHighId } = participantKey(viewerId, otherId);
    const rows = await sql.query<Head | { id: null }>(PAIR_HEAD, [userLowId, userHighId, otherId]);
    if (!rows.length) throw notFound(NO_SUCH_USER('withUserId'));
    return rows.filter((r): r is Head => r.id !== null);
  }

  return {
    subscribe,
    close: () => {
      clearInterval(every);
      if (tick) clearTimeout(tick);
      for (const s of [...streams]) void s.return();
      for (const listener of listeners.values()) listener.stop();
      listeners.clear();
    },
  };
}
