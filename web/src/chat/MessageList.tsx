import { observeElementRect, useVirtualizer } from '@tanstack/react-virtual';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { getFragmentData, graphql, type FragmentType } from '../gql';
import { DaySeparator } from './DaySeparator';
import { JumpToLatest } from './JumpToLatest';
import { MessageBubble } from './MessageBubble';
import { NewMessagesLog } from './NewMessagesLog';
import { OlderMessagesStatus } from './OlderMessagesStatus';
import type { OutboxEntry } from './outbox';
import { OutboxBubble } from './OutboxBubble';
import { rowId, transcriptRows } from './transcriptRows';
import { readThrough, type PeerLastRead } from './useReadReceipts';
import { useScrollAnchor, type RowLocator } from './useScrollAnchor';
import { useVisibleOutbox } from './visibleOutbox';

const MessageList_message = graphql(`
  fragment MessageList_message on Message {
    id
    clientMessageId
    createdAt
    content
    sender {
      id
    }
    ...MessageBubble_message
  }
`);

interface MessageListProps {
  viewerId: string;
  /** Who the viewer is talking to, as screen readers name their messages. */
  peerName: string;
  messages: FragmentType<typeof MessageList_message>[];
  /** This conversation's outbox: shown after the stored messages until acknowledged. */
  outbox: OutboxEntry[];
  /** How far the peer has read: the viewer's messages up to it show ✓✓. */
  peerLastRead?: PeerLastRead | null;
  onRetry(clientMessageId: string): void;
  onDiscard(clientMessageId: string): void;
  /** Acknowledged outbox entries whose stored message is now on screen. */
  onSettled(clientMessageIds: string[]): void;
  hasOlder: boolean;
  loadingOlder: boolean;
  olderError: string | null;
  onLoadOlder(): void;
  /** Loads every older page (the list then scrolls to the first message). */
  onLoadAll?(): void;
}

/** Rows rendered beyond the visible ones, above and below (keeps the DOM bounded whatever the history's length). */
const OVERSCAN = 10;
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

/**
 * The scrolling transcript: stored messages by day, then the unsent ones. Only
 * the rows around the visible ones are in the DOM (TanStack Virtual);
 * useScrollAnchor keeps the place as pages arrive above and messages below.
 */
export function MessageList(props: MessageListProps) {
  const { hasOlder, loadingOlder, olderError, onLoadOlder, onLoadAll } = props;
  const messages = getFragmentData(MessageList_message, props.messages);
  const unsent = useVisibleOutbox(props.outbox, messages, props.onSettled);
  const readUpTo = readThrough(messages, props.peerLastRead);
  const rows = useMemo(
    () => transcriptRows(messages, unsent, props.viewerId, readUpTo),
    [messages, unsent, props.viewerId, readUpTo],
  );

  const list = useRef<HTMLOListElement>(null);
  // Where the list starts in the scroller (below the older-messages status).
  const [listTop, setListTop] = useState(0);
  const scrollerRef = useRef<HTMLDivElement | null>(null);
  // The React Compiler cannot memoise around TanStack's virtualizer (it returns new functions as it measures);
  // this component re-renders with it, which is what the virtualizer expects.
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
  const locator = useMemo<RowLocator>(() => {
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
        while (lo < layout.length && rows[lo]?.kind === 'day') lo++;
        const item = layout[lo];
        return item ? { id: rowId(String(item.key)), offset: item.start - scrollTop } : null;
      },
      startOf(id) {
        indexOf ??= new Map(rows.map((r, i) => [rowId(r.key), i]));
        const index = indexOf.get(id);
        return index === undefined ? null : (layout[index]?.start ?? null);
      },
    };
  }, [rows, layout]);

  const { scroller, onScroll, onKeyDown, showJump, unseen, nearTop, jumpToBottom, jumpToTop } = useScrollAnchor({
    firstKey: messages[0]?.id,
    lastKey: unsent.at(-1)?.clientMessageId ?? messages.at(-1)?.id,
    itemCount: messages.length + unsent.length,
    lastIsMine: unsent.length > 0 || messages.at(-1)?.sender.id === props.viewerId,
    canLoadOlder: hasOlder && !loadingOlder && !olderError,
    onLoadOlder,
    rows: locator,
    contentHeight,
  });

  // (The status above it changes height as older pages load, fail, or run out.)
  useLayoutEffect(() => {
    if (list.current && list.current.offsetTop !== listTop) setListTop(list.current.offsetTop);
  }, [listTop, loadingOlder, olderError, hasOlder]);

  // "Jump to the beginning": every older page is loaded, then the first message is shown.
  const [toBeginning, setToBeginning] = useState(false);
  useLayoutEffect(() => {
    if (!toBeginning) return;
    if (!hasOlder) {
      jumpToTop();
      scroller.current?.focus({ preventScroll: true });
      setToBeginning(false);
    } else if (olderError) {
      setToBeginning(false);
    }
  }, [toBeginning, hasOlder, olderError, jumpToTop, scroller]);
  function jumpToBeginning() {
    setToBeginning(true);
    if (hasOlder) onLoadAll?.();
  }

  const first = items[0];
  const last = items.at(-1);
  // Rows outside the window are stood in for by padding, so the scroll height is the whole transcript's.
  const paddingTop = first ? first.start - listTop : 0;
  const paddingBottom = last ? contentHeight - (last.end - listTop) : 0;

  return (
    <div className="transcript">
      <div
        className="transcript__scroller"
        ref={(el) => {
          scroller.current = el;
          scrollerRef.current = el;
        }}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
        data-testid="transcript"
        tabIndex={0}
        aria-label="Messages"
        role="region"
      >
        <OlderMessagesStatus
          loading={loadingOlder}
          error={olderError}
          atBeginning={!hasOlder && messages.length > 0}
          onRetry={onLoadOlder}
        />
        <ol className="transcript__list" aria-label="Conversation" ref={list} style={{ paddingTop, paddingBottom }}>
          {items.map((item) => {
            const row = rows[item.index]!;
            const rowProps = {
              ref: virtualizer.measureElement,
              'data-index': item.index,
              'aria-posinset': item.index + 1,
              'aria-setsize': rows.length,
            };
            switch (row.kind) {
              case 'day':
                return <DaySeparator key={row.key} day={row.day} row={rowProps} />;
              case 'message':
                return (
                  <MessageBubble
                    key={row.key}
                    message={row.message}
                    mine={row.mine}
                    senderName={row.mine ? 'You' : props.peerName}
                    read={row.read}
                    startsGroup={row.startsGroup}
                    endsGroup={row.endsGroup}
                    row={rowProps}
                  />
                );
              case 'outbox':
                return (
                  <OutboxBubble
                    key={row.key}
                    entry={row.entry}
                    onRetry={props.onRetry}
                    onDiscard={props.onDiscard}
                    place={row}
                    row={rowProps}
                  />
                );
            }
          })}
        </ol>
      </div>
      <NewMessagesLog messages={messages} viewerId={props.viewerId} peerName={props.peerName} />
      {onLoadAll && (hasOlder || !nearTop) && (
        <button type="button" className="jump jump--beginning" onClick={jumpToBeginning} disabled={toBeginning}>
          <span aria-hidden="true">↑</span> {toBeginning ? 'Loading the whole conversation…' : 'Jump to the beginning'}
        </button>
      )}
      {showJump && <JumpToLatest unseen={unseen} onJump={jumpToBottom} />}
    </div>
  );
}
