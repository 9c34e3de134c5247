// The failover test's client (api/test/failover.test.ts): a subscriber as a well-behaved app writes it, which keeps
// a trace of its socket (each attempt, what it got, when) so that a socket not back in time can say why.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

const ADDED = `subscription($with: ID, $after: String) { messageAdded(withUserId: $with, after: $after) { id cursor content } }`;

/** Full jitter: a random wait up to an exponential ceiling, so reconnects spread out instead of arriving at once.
 * The ceiling stops at 1.6 s: a client that failed five times in a row still tries again within 1.6 s, so a socket
 * cut by a crash makes several attempts within the 10 s it has to be back (the balancer takes the dead instance out
 * within ~1 s; before that an attempt may fail). */
export const backoff = (attempt: number) => Math.random() * Math.min(1_600, 100 * 2 ** attempt);

/** One event of a socket's life: when (Date.now()), and what — `wait <ms>`, `connecting`, `opened`, `acked`,
 * `closed <code> <reason>`, `next`. */
export type TraceEvent = [at: number, what: string];

export type Subscriber = {
  held: string[];
  errors: string[];
  trace: TraceEvent[];
  readonly reconnects: number;
  stop(): void | Promise<void>;
};

/** On any end of its subscription it waits (with jitter) and resubscribes after the last message it holds. */
export function subscriber(
  url: string,
  token: string,
  withUser: string,
  start: string,
  onMessage: (content: string) => void,
): Subscriber {
  const held: string[] = [];
  const trace: TraceEvent[] = [];
  const note = (what: string) => trace.push([Date.now(), what]);
  let cursor = start;
  let attempt = 0;
  let stopped = false;
  let reconnects = 0;
  const errors: string[] = [];
  const client: Client = createClient({
    url: url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: true,
    lazyCloseTimeout: 0,
    retryAttempts: 0,
    // A socket opened on an instance that is going away may never be acknowledged: give up on it and retry. Not
    // sooner: on a starved machine an instance took 5 s to acknowledge, and a client giving up then threw that work
    // away and queued the same again (the web client waits for its keep-alive instead).
    connectionAckWaitTimeout: 15_000,
    on: {
      connecting: () => note('connecting'),
      opened: () => note('opened'),
      connected: () => note('acked'),
      closed: (event) => {
        const { code, reason } = event as { code?: number; reason?: string };
        note(`closed ${code ?? '?'} ${reason ?? ''}`.trim());
      },
    },
  });
  const again = () => {
    if (stopped) return;
    reconnects++;
    const wait = backoff(attempt++);
    note(`wait ${Math.round(wait)}`);
    setTimeout(run, wait);
  };
  const run = () => {
    if (stopped) return;
    client.subscribe<{ messageAdded: { id: string; cursor: string; content: string } }>(
      { query: ADDED, variables: { with: withUser, after: cursor } },
      {
        next: ({ data }) => {
          if (!data) return;
          if (attempt) note('next');
          attempt = 0;
          held.push(data.messageAdded.id);
          onMessage(data.messageAdded.content);
          cursor = data.messageAdded.cursor;
        },
        error: (err) => {
          errors.push(err instanceof Error ? err.message : JSON.stringify((err as any)?.code ?? err));
          again();
        },
        complete: () => {
          errors.push('complete');
          again();
        },
      },
    );
  };
  run();
  return {
    held,
    errors,
    trace,
    get reconnects() {
      return reconnects;
    },
    stop: () => {
      stopped = true;
      return client.dispose();
    },
  };
}

/** When a subscriber cut after `since` had a socket open again (its last `opened` not followed by a close), or
 * undefined when it has none open (or was not cut). */
export function backAt(s: Subscriber, since: number): number | undefined {
  const after = s.trace.filter(([at]) => at >= since);
  if (!after.some(([, what]) => what.startsWith('closed'))) return undefined;
  let open: number | undefined;
  for (const [at, what] of after) {
    if (what === 'opened') open = at;
    else if (what.startsWith('closed')) open = undefined;
  }
  return open;
}

/**
 * What the sockets cut by a kill at `killedAt` went through: how long until each was open again (percentiles), how
 * many attempts it took, and for those not open again by `deadline` what each attempt got (close codes) and a few
 * traces (ms after the kill).
 */
export function reconnectReport(subs: Subscriber[], killedAt: number, deadline: number): string {
  const cut = subs.filter((s) => s.trace.some(([at, what]) => at >= killedAt && what.startsWith('closed')));
  const since = (s: Subscriber) => s.trace.filter(([at]) => at >= killedAt);
  const attempts = (s: Subscriber) => since(s).filter(([, what]) => what === 'connecting').length;
  const times = cut.map((s) => (backAt(s, killedAt) ?? Infinity) - killedAt).sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)];
  const late = cut.filter((s) => (backAt(s, killedAt) ?? Infinity) > deadline);
  const codes = new Map<string, number>();
  for (const s of late)
    for (const [t, what] of since(s))
      if (what.startsWith('closed') && t <= deadline) {
        const key = what.replace(/^closed /, '').slice(0, 60);
        codes.set(key, (codes.get(key) ?? 0) + 1);
      }
  const tries = cut.map(attempts).sort((a, b) => a - b);
  // Where the time went, for those open again: from the cut to the client's first attempt (its backoff, and its own
  // event loop), and from its last attempt to the socket open (the balancer, the instance's accept).
  const phases = { wait: [] as number[], open: [] as number[] };
  for (const s of cut) {
    const opened = backAt(s, killedAt);
    const events = since(s);
    const closed = events.find(([, what]) => what.startsWith('closed'))?.[0];
    const tried = events.filter(([t, what]) => what === 'connecting' && opened !== undefined && t <= opened);
    if (opened === undefined || closed === undefined || !tried.length) continue;
    phases.wait.push(tried[0][0] - closed);
    phases.open.push(opened - tried.at(-1)![0]);
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const max = (xs: number[]) => Math.max(0, ...xs);
  const sample = late.slice(0, 5).map((s) =>
    since(s)
      .map(([t, what]) => `+${t - killedAt} ${what.slice(0, 40)}`)
      .join(' | '),
  );
  return [
    `${cut.length} sockets cut; open again after (ms): p50 ${at(0.5)}, p90 ${at(0.9)}, p99 ${at(0.99)}, max ${at(1)}`,
    `attempts each: median ${tries[Math.floor(tries.length / 2)] ?? 0}, max ${tries.at(-1) ?? 0}; cut to first ` +
      `attempt median ${median(phases.wait)} ms (max ${max(phases.wait)}), last attempt to open median ` +
      `${median(phases.open)} ms (max ${max(phases.open)})`,
    `${late.length} not open again by the deadline; their closes before it: ${JSON.stringify([...codes])}`,
    ...sample,
  ].join('\n');
}
