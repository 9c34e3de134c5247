import { useCallback, useLayoutEffect, useRef, useState } from 'react';

/** Start loading the previous page when this close to the top (px). */
const LOAD_OLDER_THRESHOLD = 240;
/** Treat the user as "at the bottom" (follow new messages) within this distance. */
const STICK_TO_BOTTOM_THRESHOLD = 120;
/** A scroll (smooth, or a fling) is taken to go on this long after its last scroll event (ms). */
const SCROLL_SETTLE_MS = 250;

/** A row the reader looks at (the first one at the top of the viewport) and how far above the top it starts. */
export interface ReadingAnchor {
  id: string;
  offset: number;
}

/** Where rows are, as the (virtualised) list lays them out. */
export interface RowLocator {
  /** The first row reaching below `scrollTop`. */
  anchorAt(scrollTop: number): ReadingAnchor | null;
  /** Where the row `id` starts now (px from the scroller's top), if it is still there. */
  startOf(id: string): number | null;
}

interface Snapshot {
  anchor: ReadingAnchor | null;
  firstKey?: string;
  itemCount: number;
  lastKey?: string;
  scrollHeight: number;
  scrollTop: number;
  atBottom: boolean;
  /** Right at the bottom (not just near it). */
  pinned: boolean;
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
  rows: RowLocator;
  /**
   * The content's height as the (virtualised) list lays it out: it changes as
   * rows are measured, and a reader at the bottom stays at the bottom.
   */
  contentHeight?: number;
}

/**
 * Keeps the reader's place in a scrolling transcript: starts at the bottom,
 * follows new messages only when already at the bottom (or when they are
 * ours), and otherwise holds the row at the top of the viewport still —
 * when older pages are prepended and when rows above it are measured (`rows`
 * says where a row is: a virtualised list learns row heights as they are
 * rendered) — and asks for the older page near the top. Attach `scroller`
 * and `onScroll` to the scrolling element; `showJump` (whenever scrolled up)
 * offers a way down, with `unseen`, how many new messages arrived below
 * meanwhile; `nearTop` says the beginning of what is loaded is in reach.
 * Whoever scrolls the element from code takes a new snapshot at once (the
 * scroll event comes later, and a render before it would restore the old place).
 */
export function useScrollAnchor({
  firstKey,
  lastKey,
  itemCount,
  lastIsMine,
  canLoadOlder,
  onLoadOlder,
  rows,
  contentHeight,
}: Transcript) {
  const scroller = useRef<HTMLDivElement>(null);
  const snapshot = useRef<Snapshot | null>(null);
  const [showJump, setShowJump] = useState(false);
  const [unseen, setUnseen] = useState(0);
  const [nearTop, setNearTop] = useState(false);
  /** When the reader last scrolled down (performance.now()). */
  const lastDownScroll = useRef(-Infinity);

  const measure = useCallback(
    (el: HTMLDivElement): Snapshot => {
      return {
        anchor: rows.anchorAt(el.scrollTop),
        firstKey,
        lastKey,
        itemCount,
        scrollHeight: el.scrollHeight,
        scrollTop: el.scrollTop,
        atBottom: el.scrollHeight - el.scrollTop - el.clientHeight <= STICK_TO_BOTTOM_THRESHOLD,
        pinned: el.scrollHeight - el.scrollTop - el.clientHeight <= 2,
      };
    },
    [firstKey, lastKey, itemCount, rows],
  );

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const prev = snapshot.current;
    let toBottom = false;
    if (!prev || prev.lastKey === undefined) {
      toBottom = true; // first render with messages: start at the newest
    } else if (prev.lastKey !== lastKey) {
      if (prev.atBottom || lastIsMine) {
        toBottom = true;
        setShowJump(false);
        setUnseen(0);
      } else {
        setShowJump(true);
        const added = itemCount - prev.itemCount;
        if (added > 0) setUnseen((n) => n + added);
      }
    } else {
      // Rows measured (or grew) below: a reader at the bottom stays there.
      toBottom = prev.pinned;
    }
    // Rows measured while the reader scrolls down (a long jump, End) are left alone: setting scrollTop would stop
    // a smooth scroll halfway, and the rows that moved are behind the reader.
    const measuredOnly = prev?.firstKey === firstKey && prev?.lastKey === lastKey;
    const scrollingDown = performance.now() - lastDownScroll.current < SCROLL_SETTLE_MS;
    if (toBottom) {
      el.scrollTop = el.scrollHeight;
    } else if (prev?.anchor && !(measuredOnly && scrollingDown)) {
      // An older page prepended, or rows above measured: the row the reader looked at stays where it was.
      const start = rows.startOf(prev.anchor.id);
      if (start !== null && Math.abs(start - prev.anchor.offset - el.scrollTop) >= 1)
        el.scrollTop = start - prev.anchor.offset;
    }
    snapshot.current = measure(el);
    setNearTop(el.scrollTop <= LOAD_OLDER_THRESHOLD);
  }, [firstKey, lastKey, itemCount, lastIsMine, measure, rows, contentHeight]);

  const maybeLoadOlder = useCallback(
    (el: HTMLDivElement) => {
      if (canLoadOlder && el.scrollTop <= LOAD_OLDER_THRESHOLD) onLoadOlder();
    },
    [canLoadOlder, onLoadOlder],
  );

  // No scroll event will come: if the first page does not fill the screen (nothing to scroll), or the reader is
  // already at the top when older pages become loadable (e.g. a longer list held was replaced by the newest page
  // under them), load now. (The list's own height when it is virtualised: its first commit renders no rows yet.)
  const couldLoadOlder = useRef(canLoadOlder);
  useLayoutEffect(() => {
    const el = scroller.current;
    const nowLoadable = canLoadOlder && !couldLoadOlder.current;
    couldLoadOlder.current = canLoadOlder;
    if (el && ((contentHeight ?? el.scrollHeight) <= el.clientHeight || nowLoadable)) maybeLoadOlder(el);
  }, [canLoadOlder, maybeLoadOlder, firstKey, contentHeight]);

  function onScroll() {
    const el = scroller.current;
    if (!el) return;
    if (snapshot.current && el.scrollTop > snapshot.current.scrollTop) lastDownScroll.current = performance.now();
    snapshot.current = measure(el);
    setShowJump(!snapshot.current.atBottom);
    if (snapshot.current.atBottom) setUnseen(0);
    setNearTop(el.scrollTop <= LOAD_OLDER_THRESHOLD);
    maybeLoadOlder(el);
  }

  function jumpToBottom() {
    const el = scroller.current;
    if (el) {
      el.scrollTop = el.scrollHeight;
      snapshot.current = measure(el);
    }
    setShowJump(false);
    setUnseen(0);
  }

  /** To the oldest message loaded. */
  const jumpToTop = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    el.scrollTop = 0;
    snapshot.current = measure(el);
    setNearTop(true);
  }, [measure]);

  /** Home and End go all the way at once (a smooth scroll over thousands of unmeasured rows would not land). */
  function onKeyDown(event: { key: string; target: EventTarget; currentTarget: EventTarget; preventDefault(): void }) {
    if (event.target !== event.currentTarget) return; // e.g. a focused time inside a bubble
    if (event.key === 'End') jumpToBottom();
    else if (event.key === 'Home') jumpToTop();
    else return;
    event.preventDefault();
  }

  return { scroller, onScroll, onKeyDown, showJump, unseen, nearTop, jumpToBottom, jumpToTop };
}
