// Shutdown's "reconnect elsewhere" (1012), spread over a few seconds instead of sent to every socket at once.
// Closed in one turn, a few thousand sockets send all their clients to the other instances within their first
// backoff (≤ 100 ms), and each reconnect costs the instance taking it a handshake, a session look-up, a subscription
// start and a catch-up query: a burst that, on top of its own traffic, can keep an instance's event loop behind its
// balancer's health check (and a failed check cuts that instance's sockets too). Spread, the others take them at a
// steadier rate while the rest keep receiving here (this instance no longer listens, but its open sockets work until
// closed; what a client misses in between its catch-up fills).
import type { WebSocket } from 'ws';

/** One batch per tick. */
export const RESTART_TICK_MS = 100;
/** At most this long (a bigger batch per tick beyond that); well inside the drain's 10 s deadline. */
export const RESTART_SPREAD_MS = 5_000;
/** Up to this many close at once (small instances and tests see no delay). */
export const RESTART_MIN_BATCH = 25;

/** Closes `sockets` with `code`, a batch every RESTART_TICK_MS, all within RESTART_SPREAD_MS. Returns a function
 * that stops the schedule (the deadline terminates what is left). */
export function closeSpread(sockets: Iterable<WebSocket>, code: number, reason: string): () => void {
  const queue = [...sockets];
  const batch = Math.max(RESTART_MIN_BATCH, Math.ceil(queue.length / (RESTART_SPREAD_MS / RESTART_TICK_MS)));
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    for (const socket of queue.splice(0, batch)) socket.close(code, reason);
    timer = queue.length ? setTimeout(tick, RESTART_TICK_MS) : undefined;
  };
  tick();
  return () => clearTimeout(timer);
}
