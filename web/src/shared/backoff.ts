/**
 * Exponential backoff with jitter: `first` ms for attempt 0, doubling up to
 * `max`, then a random point in the upper half of that, so many clients that
 * failed together do not retry in step.
 */
export function backoff(attempt: number, { first, max }: { first: number; max: number }, random = Math.random): number {
  const base = Math.min(max, first * 2 ** Math.max(0, attempt));
  return Math.round(base / 2 + random() * (base / 2));
}
