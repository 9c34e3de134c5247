import { useCallback, useRef, useState } from 'react';
import { describeError } from './errors';

/**
 * Loading more of a list, one load at a time: `run(load)` does nothing while a load runs; `busy` while it does,
 * `error` (described for the reader) when the last one failed, cleared when the next starts. Whether there is more
 * to load is the caller's to check.
 */
export function usePagedLoad() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const running = useRef(false);
  const run = useCallback((load: () => Promise<unknown>) => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setError(null);
    load()
      .catch((e: unknown) => setError(describeError(e)))
      .finally(() => {
        running.current = false;
        setBusy(false);
      });
  }, []);
  return { run, busy, error };
}
