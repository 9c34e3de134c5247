// Background work on a timer (the retention sweep, search's vocabulary pass): once soon after start, then every
// interval. Runs never overlap (one that outlasts the interval delays the next), a failed run is only logged by its
// owner, and stop() waits for the run in progress, which can ask whether to stop early. Unref'd: no process is kept
// alive by it.
export type Periodic = { stop(): Promise<void> };

export function startPeriodic(
  run: (stopped: () => boolean) => Promise<unknown>,
  opts: { firstAfterMs: number; intervalMs: number },
): Periodic {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const isStopped = () => stopped;
  const tick = () => {
    running = running.then(() => (stopped ? undefined : run(isStopped).catch(() => {})));
  };
  const first = setTimeout(tick, opts.firstAfterMs);
  const timer = setInterval(tick, opts.intervalMs);
  first.unref();
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
