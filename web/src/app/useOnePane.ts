import { useSyncExternalStore } from 'react';
import { once } from '../shared/once';

/** Where the layout shows one pane at a time (the inbox or the conversation): the CSS's breakpoint (styles.css). */
export const ONE_PANE_QUERY = '(max-width: 720px)';

/** The one MediaQueryList, made on first use (not one per render). */
const query = once(() => (typeof window.matchMedia === 'function' ? window.matchMedia(ONE_PANE_QUERY) : null));

function subscribe(onChange: () => void) {
  const list = query();
  list?.addEventListener('change', onChange);
  return () => list?.removeEventListener('change', onChange);
}

/** Whether the window is narrow enough for one pane at a time (a phone), kept current as it is resized. */
export function useOnePane(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => query()?.matches ?? false,
    () => false,
  );
}
