// messageAdded: the viewer's own channel, narrowed to one conversation when asked, delivered exactly once and in
// commit order per conversation.
//
// Events are treated as hints, the database as the truth. `seq` is gapless within a conversation (see send.ts).
// Each stream remembers the last seq it delivered per conversation: an event at or below it is a duplicate and is
// dropped; an event above last+1 means something was missed (an event lost in Redis, a publish from another
// instance that overtook an earlier one, a subscription registered a moment late) and the gap is read from the
// database first. Catch-up (`after`) is the same gap-fill, started from the cursor.
//
// The database work is shared per instance, not repeated per subscription: one feed runs one timer that re-checks
// every stream's conversations with one statement (a minute apart, and ~1 s after a stream starts, covering a
// pub/sub subscription that took effect late), and concurrent reads of the same range — every tab of a
// conversation filling the same gap — are one query. Reads come in pages of hundreds. A read that fails because the
// database is down never ends a subscription: the stream is re-checked shortly, and fills what it missed then.
import { Repeater } from 'graphql-yoga';
import type { Sql } from '../db/index.ts';
import { statement } from '../db/sql.ts';
import { badInput, isDatabaseUnavailable, notFound } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { NO_SUCH_USER, parseOtherUser, participantKey } from './conversation.ts';
import { decodeMessageCursor, seqIn } from './cursor.ts';
import type { ChatPubSub } from './events.ts';
import { JOIN_USERS, MESSAGE_COLUMNS, toChatMessage, type MessageRow } from './rows.ts';
import type { ChatMessage } from './types.ts';

const FILL_PAGE = 500;
/** Streams asking for a check are checked one to two of these later. */
const CHECK_SOON_MS = 1_000;
const RESYNC_EVERY_MS = 60_000;

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

type Stream = { viewerId: string; onHeads(heads: Head[]): void };

export type MessageFeed = {
  /** Validates the arguments (one statement), then streams; rejects with a GraphQL error on bad input. */
  subscribe(viewerId: string, args: MessageAddedArgs): Promise<AsyncIterable<ChatMessage>>;
  close(): void;
};

export function createMessageFeed(deps: { sql: Sql; pubsub: ChatPubSub; log: Logger }): MessageFeed {
  const { sql, log } = deps;
  const streams = new Set<Stream>();

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
  let next = new Set<Stream>();
  let soon = new Set<Stream>();
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
  const checkSoon = (stream: Stream) => {
    next.add(stream);
    arm();
  };
  const check = async (batch: Iterable<Stream>) => {
    const due = [...batch].filter((s) => streams.has(s));
    if (!due.length) return;
    try {
      const heads = await sql.query<Head>(HEADS, [[...new Set(due.map((s) => s.viewerId))]]);
      for (const s of due) s.onHeads(heads.filter((h) => h.userLowId === s.viewerId || h.userHighId === s.viewerId));
    } catch (err) {
      if (!isDatabaseUnavailable(err)) log.error({ err }, 'messageAdded: re-check failed');
      for (const s of due) checkSoon(s);
    }
  };
  const every = setInterval(() => void check(streams), RESYNC_EVERY_MS).unref();

  async function subscribe(viewerId: string, args: MessageAddedArgs): Promise<AsyncIterable<ChatMessage>> {
    const otherId = args.withUserId ? parseOtherUser(viewerId, args.withUserId, 'withUserId') : null;
    if (args.after && !otherId) throw badInput('after needs withUserId: a cursor is a position in one conversation.', 'after');
    const after = args.after ? decodeMessageCursor(args.after, 'after') : null;
    const concerns = (a: string, b: string) => !otherId || a === otherId || b === otherId;

    // 1. Listen first (pulling once registers the listener), so nothing committed from here on can be missed;
    //    events that arrive before the stream is read wait in `early`.
    const source = deps.pubsub.subscribe('user:messageAdded', viewerId)[Symbol.asyncIterator]();
    const early: ChatMessage[] = [];
    let onEvent: (m: ChatMessage) => void = (m) => void early.push(m);
    const pump = (async () => {
      for (let next = await source.next(); !next.done; next = await source.next()) onEvent(next.value);
    })();

    // 2. Then take the starting line: what already exists is not "added" for this stream (but after `after`).
    let heads: Head[];
    try {
      heads = otherId ? await pairHead(viewerId, otherId) : await sql.query<Head>(HEADS, [[viewerId]]);
      if (after) seqIn(after, heads[0]?.id ?? null, 'after');
    } catch (err) {
      await source.return?.();
      throw err;
    }

    return new Repeater<ChatMessage>(async (push, stop) => {
      /** Highest seq delivered (or known to predate the subscription) per conversation; absent = 0. */
      const delivered = new Map<string, number>(heads.map((h) => [h.id, h.lastSeq]));
      if (after) delivered.set(after.conversationId, after.seq);
      const stream: Stream = { viewerId, onHeads: (hs) => enqueue(() => catchUp(hs)) };

      // All work runs one task at a time, in arrival order, so deliveries never interleave.
      let work = Promise.resolve();
      const enqueue = (task: () => Promise<void>) => {
        work = work.then(task).catch((err) => {
          if (isDatabaseUnavailable(err)) return checkSoon(stream); // fill the gap once it is back
          log.error({ err }, 'messageAdded stream failed');
          stop(err);
        });
      };
      const deliver = async (m: ChatMessage) => {
        if (m.seq <= (delivered.get(m.conversationId) ?? 0)) return;
        delivered.set(m.conversationId, m.seq);
        await push(m);
      };
      const fill = async (conversationId: string, upTo?: number) => {
        for (;;) {
          const rows = await readRange(conversationId, delivered.get(conversationId) ?? 0, upTo);
          for (const row of rows) await deliver(row);
          if (rows.length < FILL_PAGE) return;
        }
      };
      const catchUp = async (hs: Head[]) => {
        for (const h of hs) {
          if (concerns(h.userLowId, h.userHighId) && h.lastSeq > (delivered.get(h.id) ?? 0)) await fill(h.id, h.lastSeq);
        }
      };
      const received = (m: ChatMessage) => {
        if (!concerns(m.senderId, m.recipientId)) return;
        enqueue(async () => {
          const last = delivered.get(m.conversationId) ?? 0;
          if (m.seq <= last) return; // already delivered (replayed, or a duplicate event)
          if (m.seq > last + 1) await fill(m.conversationId, m.seq - 1);
          await deliver(m);
        });
      };

      if (after) enqueue(() => fill(after.conversationId));
      early.splice(0).forEach(received);
      onEvent = received;
      streams.add(stream);
      checkSoon(stream);

      await stop;
      streams.delete(stream);
      await source.return?.();
      await pump.catch(() => {});
    });
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
      streams.clear();
    },
  };
}

