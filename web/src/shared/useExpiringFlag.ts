import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * A flag that turns itself off: `set(ms)` turns it on for `ms` milliseconds
 * (each call restarts the clock), `set(null)` turns it off at once. For state
 * that is refreshed while it lasts and must not outlive a lost "off" (typing…).
 */
export function useExpiringFlag(): [boolean, (ms: number | null) => void] {
  const [on, setOn] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const set = useCallback((ms: number | null) => {
    clearTimeout(timer.current);
    if (ms === null || ms <= 0) {
      setOn(false);
      return;
    }
    setOn(true);
    timer.current = setTimeout(() => setOn(false), ms);
  }, []);
  useEffect(() => () => clearTimeout(timer.current), []);
  return [on, set];
}
