/** A request that got no answer in time (it was aborted). */
export class TimeoutError extends Error {
  constructor(ms: number) {
    super(`No answer from the server within ${Math.round(ms / 1000)} s.`);
    this.name = 'TimeoutError';
  }
}

/**
 * Runs `request` with an abort signal and gives up on it after `ms`: the signal aborts and the promise rejects with
 * a TimeoutError. Aborting `abort` (the caller's, to cancel it) rejects at once with "cancelled". Mutations over
 * the socket or HTTP alike: whatever the transport does with the signal, the caller is not kept waiting.
 */
export function withTimeout<T>(
  ms: number,
  request: (signal: AbortSignal) => Promise<T>,
  abort: AbortController = new AbortController(),
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new TimeoutError(ms));
      abort.abort();
    }, ms);
  });
  const cancelled = new Promise<never>((_, reject) => {
    abort.signal.addEventListener('abort', () => reject(new Error('The request was cancelled.')));
  });
  return Promise.race([request(abort.signal), timeout, cancelled]).finally(() => clearTimeout(timer));
}
