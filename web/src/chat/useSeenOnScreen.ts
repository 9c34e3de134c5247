import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';

/** The rows that may be read: the peer's unread messages (MessageList marks them). */
const CANDIDATES = 'li[data-unread]';

/** Whether the person can be looking: the tab visible and its window focused. */
export function useAttentive(): boolean {
  const [attentive, setAttentive] = useState(() => document.visibilityState !== 'hidden' && document.hasFocus());
  useEffect(() => {
    const update = () => setAttentive(document.visibilityState !== 'hidden' && document.hasFocus());
    document.addEventListener('visibilitychange', update);
    window.addEventListener('focus', update);
    window.addEventListener('blur', update);
    update();
    return () => {
      document.removeEventListener('visibilitychange', update);
      window.removeEventListener('focus', update);
      window.removeEventListener('blur', update);
    };
  }, []);
  return attentive;
}

/** On screen: at least half of it, or (a bubble taller than that) half of the scroller's height. */
function onScreen(entry: IntersectionObserverEntry): boolean {
  if (!entry.isIntersecting) return false;
  const root = entry.rootBounds?.height ?? Infinity;
  return entry.intersectionRatio >= 0.5 || entry.intersectionRect.height >= root / 2;
}

/**
 * Reports the newest of the peer's unread messages on screen (`onSeen(id)`), while the tab is visible and focused
 * and `enabled` (the transcript is where it opens): an IntersectionObserver over the rows marked `data-unread` in
 * `list`, inside the scroller `root`. Rows come and go as the virtualised list scrolls: they are observed after
 * each render, and forgotten once out of the DOM.
 */
export function useSeenOnScreen(
  root: RefObject<HTMLElement | null>,
  list: RefObject<HTMLElement | null>,
  enabled: boolean,
  onSeen: (messageId: string) => void,
) {
  const attentive = useAttentive();
  const visible = useRef(new Map<Element, boolean>());
  const observer = useRef<IntersectionObserver | null>(null);
  const report = useRef(() => {});
  useLayoutEffect(() => {
    report.current = () => {
      if (!attentive || !enabled) return;
      let newest: Element | null = null;
      let newestIndex = -1;
      for (const [el, shown] of visible.current) {
        if (!shown || !el.isConnected || !el.hasAttribute('data-unread')) continue;
        const index = Number(el.getAttribute('data-index'));
        if (index > newestIndex) [newest, newestIndex] = [el, index];
      }
      const id = newest?.getAttribute('data-message-id');
      if (id) onSeen(id);
    };
  });

  // Made when reading may start (the list placed where it opens): its first entries are of that place.
  useEffect(() => {
    if (!enabled || typeof IntersectionObserver === 'undefined' || !root.current) return;
    const seen = visible.current;
    const io = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) seen.set(entry.target, onScreen(entry));
        report.current();
      },
      { root: root.current, threshold: [0, 0.5, 1] },
    );
    observer.current = io;
    return () => {
      io.disconnect();
      observer.current = null;
      seen.clear();
    };
  }, [root, enabled]);

  // After every render: observe the new candidate rows, forget the removed ones, and report (a row already seen
  // becomes readable when the tab is focused again, or when a failed markRead may be tried again).
  useEffect(() => {
    const io = observer.current;
    if (io && list.current) {
      for (const el of visible.current.keys())
        if (!el.isConnected) {
          io.unobserve(el);
          visible.current.delete(el);
        }
      for (const el of list.current.querySelectorAll(CANDIDATES))
        if (!visible.current.has(el)) {
          visible.current.set(el, false);
          io.observe(el);
        }
    }
    report.current();
  });
}
