import { useCallback, useLayoutEffect, useRef, useState } from 'react';

/** Start loading the previous page when this close to the top (px). */
const LOAD_OLDER_THRESHOLD = 240;
/** Treat the user as "at the bottom" (follow new messages) within this distance. */
const STICK_TO_BOTTOM_THRESHOLD = 120;

interface Snapshot {
  firstKey?: string;
  itemCount: number;
  lastKey?: string;
  scrollHeight: number;
  scrollTop: number;
  atBottom: boolean;
}

interface Transcript {
  /** The oldest item: changes when an older page is prepended. */
  firstKey?: string;
  /** The newest item (outbox entries included): changes when one is added. */
  lastKey?: string;
  /** How many items there are (to count the new ones below the reader). */
  itemCount: number;
  /** The newest item is the viewer's own: scroll to it even when scrolled up. */
  lastIsMine: boolean;
  /** Whether an older page may be asked for now (there is one, none loading, no error). */
  canLoadOlder: boolean;
  onLoadOlder(): void;
}

/**
 * Keeps the reader's place in a scrolling transcript: starts at the bottom,
 * follows new messages only when already at the bottom (or when they are
 * ours), holds the visible messages still when older pages are prepended, and
 * asks for the older page near the top. Attach `scroller` and `onScroll` to
 * the scrolling element; `showJump` (whenever scrolled up) offers a way down,
 * with `unseen`, how many new messages arrived below meanwhile.
 */
export function useScrollAnchor({ firstKey, lastKey, itemCount, lastIsMine, canLoadOlder, onLoadOlder }: Transcript) {
  const scroller = useRef<HTMLDivElement>(null);
  const snapshot = useRef<Snapshot | null>(null);
  const [showJump, setShowJump] = useState(false);
  const [unseen, setUnseen] = useState(0);

  const measure = useCallback(
    (el: HTMLDivElement): Snapshot => {
      return {
        firstKey,
        lastKey,
        itemCount,
        scrollHeight: el.scrollHeight,
        scrollTop: el.scrollTop,
        atBottom: el.scrollHeight - el.scrollTop - el.clientHeight <= STICK_TO_BOTTOM_THRESHOLD,
      };
    },
    [firstKey, lastKey, itemCount],
  );

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const prev = snapshot.current;
    if (!prev || prev.lastKey === undefined) {
      el.scrollTop = el.scrollHeight; // first render with messages: start at the newest
    } else if (prev.firstKey !== firstKey && prev.lastKey === lastKey) {
      // Older page prepended: keep the same messages under the reader's eyes.
      el.scrollTop = prev.scrollTop + (el.scrollHeight - prev.scrollHeight);
    } else if (prev.lastKey !== lastKey) {
      if (prev.atBottom || lastIsMine) {
        el.scrollTop = el.scrollHeight;
        setShowJump(false);
        setUnseen(0);
      } else {
        setShowJump(true);
        const added = itemCount - prev.itemCount;
        if (added > 0) setUnseen((n) => n + added);
      }
    }
    snapshot.current = measure(el);
  }, [firstKey, lastKey, itemCount, lastIsMine, measure]);

  const maybeLoadOlder = useCallback(
    (el: HTMLDivElement) => {
      if (canLoadOlder && el.scrollTop <= LOAD_OLDER_THRESHOLD) onLoadOlder();
    },
    [canLoadOlder, onLoadOlder],
  );

  // If the first page does not fill the screen, there is nothing to scroll: keep loading.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && el.scrollHeight <= el.clientHeight) maybeLoadOlder(el);
  }, [maybeLoadOlder, firstKey]);

  function onScroll() {
    const el = scroller.current;
    if (!el) return;
    snapshot.current = measure(el);
    setShowJump(!snapshot.current.atBottom);
    if (snapshot.current.atBottom) setUnseen(0);
    maybeLoadOlder(el);
  }

  function jumpToBottom() {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
    setShowJump(false);
    setUnseen(0);
  }

  return { scroller, onScroll, showJump, unseen, jumpToBottom };
}
