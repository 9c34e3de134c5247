// What keeps a stream's identity honest: everything that runs on a session — a graphql-ws socket signed in at
// connection_init, a subscription authenticated by its own token (extensions.headers, SSE's Authorization), an SSE
// stream reservation — is watched here and ended when its session does: when its token expires, when the session is
// ended on any instance (log-out, log-out everywhere: the 'session:ended' event), and when a periodic re-check finds
// the session or its user gone (a deleted user). One timer per concern for every watched stream, not one per stream.

/** Why a session's streams end; `SESSION_END_MESSAGES` words it for clients. */
export type SessionEnd = 'expired' | 'ended' | 'gone';

export const SESSION_END_MESSAGES: Record<SessionEnd, string> = {
  expired: 'Token expired: log in again',
  ended: 'Logged out',
  gone: 'Session ended: log in again',
};

/** A watched stream: `stop()` when it ends by itself. */
export type Watched = { stop(): void };

export type SessionWatch = {
  /** Calls `end` once, when the session ends or expires (not after `stop()`). */
  watch(session: { id: string; expiresAt: Date }, end: (why: SessionEnd) => void): Watched;
  close(): void;
};

/** How often watched sessions are re-checked against the database (one statement per instance). */
const SESSION_RECHECK_MS = 5_000;
/** A moment after a log-out, so a logOut sent over the very connection it ends gets its answer first. */
const LOGOUT_END_DELAY_MS = 100;
/** Streams whose tokens expire within this of each other are ended together. */
const EXPIRY_SWEEP_MS = 250;
/** setTimeout's limit: a later expiry is re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

class Entry implements Watched {
  constructor(
    readonly sessionId: string,
    readonly expiresAt: number,
    private readonly end: (why: SessionEnd) => void,
    private readonly entries: Set<Entry>,
  ) {}
  stop() {
    this.entries.delete(this);
  }
  fire(why: SessionEnd) {
    if (this.entries.delete(this)) this.end(why);
  }
}

export function createSessionWatch(deps: {
  /** Which of these sessions are still open. */
  stillOpen(sessionIds: string[]): Promise<Set<string>>;
  /** Calls the listener for every session ended on any instance; returns the unsubscribe. */
  onEnded(listener: (ended: { sessionIds: string[] }) => void): () => void;
}): SessionWatch {
  const entries = new Set<Entry>();

  // Token expiry: one timer for all streams, armed for the earliest expiry; when it fires, every stream whose token
  // has expired is ended and it is re-armed for the next (at most one sweep every EXPIRY_SWEEP_MS).
  let expiryTimer: NodeJS.Timeout | undefined;
  let expiryAt = Infinity;
  let lastSweep = 0;
  const armExpiry = (at: number) => {
    if (at >= expiryAt) return;
    clearTimeout(expiryTimer);
    expiryAt = at;
    const ms = Math.max(at - Date.now(), lastSweep + EXPIRY_SWEEP_MS - Date.now(), 0);
    expiryTimer = setTimeout(sweepExpired, Math.min(ms, MAX_TIMER_MS)).unref();
  };
  const sweepExpired = () => {
    expiryTimer = undefined;
    expiryAt = Infinity;
    const now = (lastSweep = Date.now());
    let next = Infinity;
    for (const entry of entries) {
      if (entry.expiresAt <= now) entry.fire('expired');
      else next = Math.min(next, entry.expiresAt);
    }
    if (next < Infinity) armExpiry(next);
  };

  const offEnded = deps.onEnded(({ sessionIds }) => {
    const ended = [...entries].filter((entry) => sessionIds.includes(entry.sessionId));
    if (ended.length) setTimeout(() => ended.forEach((entry) => entry.fire('ended')), LOGOUT_END_DELAY_MS);
  });

  const recheck = setInterval(async () => {
    const held = new Set([...entries].map((entry) => entry.sessionId));
    if (!held.size) return;
    try {
      const open = await deps.stillOpen([...held]);
      // Only the sessions asked about: a stream that started while the statement ran was checked as it started.
      for (const entry of entries) if (held.has(entry.sessionId) && !open.has(entry.sessionId)) entry.fire('gone');
    } catch {
      // Database unavailable (reported by db/outage.ts): streams stay; the next re-check decides.
    }
  }, SESSION_RECHECK_MS).unref();

  return {
    watch(session, end) {
      const entry = new Entry(session.id, session.expiresAt.getTime(), end, entries);
      entries.add(entry);
      armExpiry(entry.expiresAt);
      return entry;
    },
    close() {
      offEnded();
      clearInterval(recheck);
      clearTimeout(expiryTimer);
      entries.clear();
    },
  };
}
