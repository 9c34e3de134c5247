import { useCallback, useLayoutEffect, useRef, useState } from 'react';

/** Start loading the previous page when this close to the top (px). */
const LOAD_OLDER_THRESHOLD = 240;
/** Treat the user as "at the bottom" (follow new messages) within this distance. */
const STICK_TO_BOTTOM_THRESHOLD = 120;

interface Snapshot {
  firstKey?: string;
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
 * the scrolling element; `showJump` offers a way down to unseen new messages.
 */
export function useScrollAnchor({ firstKey, lastKey, lastIsMine, canLoadOlder, onLoadOlder }: Transcript) {
  const scroller = useRef<HTMLDivElement>(null);
  const snapshot = useRef<Snapshot | null>(null);
  const [showJump, setShowJump] = useState(false);

  const measure = useCallback(
    (el: HTMLDivElement): Snapshot => {
      return {
        firstKey,
        lastKey,
        scrollHeight: el.scrollHeight,
        scrollTop: el.scrollTop,
        atBottom: el.scrollHeight - el.scrollTop - el.clientHeight <= STICK_TO_BOTTOM_THRESHOLD,
      };
    },
    [firstKey, lastKey],
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
      } else {
        setShowJump(true);
      }
    }
    snapshot.current = measure(el);
  }, [firstKey, lastKey, lastIsMine, measure]);

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
    if (snapshot.current.atBottom) setShowJump(false);
    maybeLoadOlder(el);
  }

  function jumpToBottom() {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
    setShowJump(false);
  }

  return { scroller, onScroll, showJump, jumpToBottom };
}
