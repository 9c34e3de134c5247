import { useState } from 'react';

/** False until `value` is first true, then true for good: for what is built when first needed and then kept. */
export function useOnceTrue(value: boolean): boolean {
  const [latched, setLatched] = useState(value);
  // Adjusting state while rendering (React's pattern for state derived from props): no extra commit.
  if (value && !latched) setLatched(true);
  return latched || value;
}
