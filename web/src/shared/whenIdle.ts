/**
 * Runs `work` when the main thread is idle (at the latest after `timeoutMs`), in a task of its own; returns a function
 * that cancels it. For work that would otherwise lengthen a task the page is already busy with (issue #24).
 */
export function whenIdle(work: () => void, timeoutMs = 1_000): () => void {
  if (typeof requestIdleCallback !== 'function') {
    const timer = setTimeout(work, 0);
    return () => clearTimeout(timer);
  }
  const handle = requestIdleCallback(work, { timeout: timeoutMs });
  return () => cancelIdleCallback(handle);
}
