import { useEffect, useState } from 'react';

/** The current time (ms), refreshed every `intervalMs`: for labels such as "5 min" that age. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
