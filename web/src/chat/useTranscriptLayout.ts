import { observeElementRect, useVirtualizer } from '@tanstack/react-virtual';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { rowId } from './transcriptRows';
import { useScrollAnchor, type RowLocator } from './useScrollAnchor';

/** Rows rendered beyond the visible ones, above and below (keeps the DOM bounded whatever the history's length). */
const OVERSCAN = 4;
const ESTIMATED_BUBBLE = 58;
const ESTIMATED_DAY = 46;

/** A row's height with its margins (the spacing between bubbles is their top margin). */
function measureRow(el: Element): number {
  const style = getComputedStyle(el);
  const margins = (parseFloat(style.marginTop) || 0) + (parseFloat(style.marginBottom) || 0);
  return (el as HTMLElement).offsetHeight + margins;
}

/**
 * The scroller's size as the virtualiser sees it. Before layout (or without
 * any, as in jsdom) it reports 0 and no row would be rendered: assume the
 * window's height until the real size is known.
 */
const observeScrollerRect: typeof observeElementRect<HTMLDivElement> = (instance, cb) =>
  observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : { ...rect, height: window.innerHeight }));

/** Older pages, as the conversation's history offers them (useChatHistory). */
export interface OlderPages {
  hasOlder: boolean;
  loading: boolean;
  error: string | null;
  loadOlder(): void;
  /** Loads every older page (the list then scrolls to the first message). */
  loadAll?(): void;
}

/** Where row `rows[i]` is as `layout` (the virtualiser's measurements) places it; by id for useScrollAnchor. */
function rowLocator(
  rows: ReadonlyArray<{ kind: string; key: string }>,
  layout: ReadonlyArray<{ key: unknown; start: number; end: number }>,
) {
  let indexOf: Map<string, number> | null = null; // built when first needed (not on every message at the bottom)
  return {
    anchorAt(scrollTop) {
      // The first row ending below scrollTop (rows are in order: binary search), or the message after it.
      let lo = 0;
      let hi = layout.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (layout[mid]!.end > scrollTop) hi = mid;
        else lo = mid + 1;
      }
      while (lo < layout.length && (rows[lo]?.kind === 'day' || rows[lo]?.kind === 'unread')) lo++;
      const item = layout[lo];
      return item ? { id: rowId(String(item.key)), offset: item.start - scrollTop } : null;
    },
    startOf(id) {
      indexOf ??= new Map(rows.map((r, i) => [rowId(r.key), i]));
      const index = indexOf.get(id);
      return index === undefined ? null : (layout[index]?.start ?? null);
    },
  } satisfies RowLocator;
}

/**
 * The transcript's layout: only the rows around the visible ones are in the DOM (TanStack Virtual), the reader's
 * place is kept as pages arrive above and messages below (useScrollAnchor, locating rows in the virtualiser's
 * layout), and "jump to the beginning" waits for every older page before it scrolls to the first message.
 */
export function useTranscriptLayout(
  rows: ReadonlyArray<{ kind: string; key: string }>,
  transcript: { firstKey?: string; lastKey?: string; itemCount: number; lastIsMine: boolean },
  older: OlderPages,
) {
  const { hasOlder, loading, error } = older;
  const list = useRef<HTMLOListElement>(null);
  // Where the list starts in the scroller (below the older-messages status).
  const [listTop, setListTop] = useState(0);
  const scrollerRef = useRef<HTMLDivElement | null>(null);
  // The React Compiler cannot memoise around TanStack's virtualizer (it returns new functions as it measures);
  // this hook re-renders with it, which is what the virtualizer expects.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollerRef.current,
    estimateSize: (i) => (rows[i]?.kind === 'day' ? ESTIMATED_DAY : ESTIMATED_BUBBLE),
    getItemKey: (i) => rows[i]!.key,
    measureElement: measureRow,
    observeElementRect: observeScrollerRect,
    overscan: OVERSCAN,
    scrollMargin: listTop,
  });
  // useScrollAnchor keeps the reader's row in place as rows are measured (the list's own correction is off).
  virtualizer.shouldAdjustScrollPositionOnItemSizeChange = () => false;
  const contentHeight = virtualizer.getTotalSize();
  const items = virtualizer.getVirtualItems();
  // Where the rows are as this render lays them out (the list re-measures rows between renders; the reader's
  // place is compared between what was on screen and what will be).
  const layout = virtualizer.measurementsCache;
  const locator = useMemo(() => rowLocator(rows, layout), [rows, layout]);

  const anchor = useScrollAnchor({
    ...transcript,
    canLoadOlder: hasOlder && !loading && !error,
    onLoadOlder: older.loadOlder,
    rows: locator,
    contentHeight,
  });
  const { scroller, jumpToTop } = anchor;

  // (The status above it changes height as older pages load, fail, or run out.)
  useLayoutEffect(() => {
    if (list.current && list.current.offsetTop !== listTop) setListTop(list.current.offsetTop);
  }, [listTop, loading, error, hasOlder]);

  // "Jump to the beginning": every older page is loaded, then the first message is shown.
  const [toBeginning, setToBeginning] = useState(false);
  useLayoutEffect(() => {
    if (!toBeginning) return;
    if (!hasOlder) {
      jumpToTop();
      scroller.current?.focus({ preventScroll: true });
      setToBeginning(false);
    } else if (error) {
      setToBeginning(false);
    }
  }, [toBeginning, hasOlder, error, jumpToTop, scroller]);
  function jumpToBeginning() {
    setToBeginning(true);
    if (hasOlder) older.loadAll?.();
  }

  const first = items[0];
  const last = items.at(-1);
  return {
    ...anchor,
    list,
    items,
    measureElement: virtualizer.measureElement,
    /** The scroller's ref: the virtualiser's and useScrollAnchor's. */
    scrollerRef(el: HTMLDivElement | null) {
      scroller.current = el;
      scrollerRef.current = el;
    },
    // Rows outside the window are stood in for by padding, so the scroll height is the whole transcript's.
    padding: {
      paddingTop: first ? first.start - listTop : 0,
      paddingBottom: last ? contentHeight - (last.end - listTop) : 0,
    },
    toBeginning,
    jumpToBeginning,
    /** Brings row `index` to the middle of the scroller (the message a conversation was opened at), or its top. */
    scrollToRow: (index: number, align: 'center' | 'start' = 'center') => virtualizer.scrollToIndex(index, { align }),
    /** Whether row `index` ends more than a screen above what is on screen. */
    farAbove(index: number) {
      const row = layout[index];
      const offset = virtualizer.scrollOffset ?? 0;
      return !!row && row.end < offset - (virtualizer.scrollRect?.height ?? 0);
    },
  };
}
