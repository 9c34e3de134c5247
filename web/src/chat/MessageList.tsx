import { useLayoutEffect, useMemo, useRef } from 'react';
import { getFragmentData, graphql, type FragmentType } from '../gql';
import { DaySeparator } from './DaySeparator';
import { JumpToLatest } from './JumpToLatest';
import { MessageBubble } from './MessageBubble';
import { NewMessagesLog } from './NewMessagesLog';
import { OlderMessagesStatus } from './OlderMessagesStatus';
import type { OutboxEntry } from './outbox';
import { OutboxBubble } from './OutboxBubble';
import { TranscriptTools } from './TranscriptTools';
import { UnreadDivider } from './UnreadDivider';
import { useSeenOnScreen } from './useSeenOnScreen';
import { transcriptRows } from './transcriptRows';
import { readThrough, type PeerLastRead } from './useReadReceipts';
import { useTranscriptLayout, type OlderPages } from './useTranscriptLayout';
import { useVisibleOutbox } from './visibleOutbox';

const MessageList_message = graphql(`
  fragment MessageList_message on Message {
    id
    clientMessageId
    createdAt
    content
    readAt
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
  older: OlderPages;
  /** The message the conversation was opened at (a search hit): highlighted and scrolled to. */
  highlightId?: string;
  /** Newer pages, when the conversation was opened at an older message (chat/useMessageAround.ts). */
  newer?: NewerPages;
  /** Where the jumps other than "to the latest" go (the conversation's header). */
  toolsSlot?: HTMLElement | null;
  /**
   * The viewer's first unread message when the conversation opened: a "New messages" divider above it, the list
   * opened there. `undefined` while not known yet (nothing is read meanwhile), `null` when nothing was unread.
   */
  unreadFrom?: string | null;
  /** The newest of the peer's unread messages on screen in a visible, focused tab (chat/useSeenOnScreen.ts). */
  onSeen?(messageId: string): void;
}

export interface NewerPages {
  hasNewer: boolean;
  loading: boolean;
  error: string | null;
  loadNewer(): void;
  /** Replaces what is held with the newest page. */
  toLatest(): Promise<void>;
}

/** How close to the bottom (px) scrolling loads the newer page. */
const LOAD_NEWER_THRESHOLD = 400;

/**
 * The scrolling transcript: stored messages by day, then the unsent ones, laid out by useTranscriptLayout (only
 * the rows around the visible ones are in the DOM; the reader's place is kept).
 */
export function MessageList(props: MessageListProps) {
  const { older } = props;
  const messages = getFragmentData(MessageList_message, props.messages);
  const unsent = useVisibleOutbox(props.outbox, messages, props.onSettled);
  const readUpTo = readThrough(messages, props.peerLastRead);
  const { unreadFrom } = props;
  const rows = useMemo(
    () => transcriptRows(messages, unsent, props.viewerId, readUpTo, unreadFrom),
    [messages, unsent, props.viewerId, readUpTo, unreadFrom],
  );
  const {
    list,
    items,
    measureElement,
    scrollerRef,
    scroller: scrollerEl,
    padding,
    onScroll,
    onKeyDown,
    nearTop,
    toBeginning,
    jumpToBeginning,
    showJump,
    unseen,
    jumpToBottom,
    scrollToRow,
    farAbove,
  } = useTranscriptLayout(
    rows,
    {
      firstKey: messages[0]?.id,
      lastKey: unsent.at(-1)?.clientMessageId ?? messages.at(-1)?.id,
      itemCount: messages.length + unsent.length,
      // A newer page (the conversation opened at an older message) is not the viewer's send: no jump to its end.
      lastIsMine:
        !props.newer?.hasNewer &&
        !props.newer?.loading &&
        (unsent.length > 0 || messages.at(-1)?.sender.id === props.viewerId),
    },
    older,
  );

  // Scrolled to once per message opened at, when its row is in.
  const { highlightId, newer } = props;
  const highlightIndex = highlightId ? rows.findIndex((r) => r.kind === 'message' && r.message.id === highlightId) : -1;
  const scrolledTo = useRef<string>(undefined);
  // After the transcript's own placement of this render (its layout effect runs first), and told where the reader
  // now is (onScroll), so that its next placement keeps this row rather than the bottom.
  useLayoutEffect(() => {
    if (highlightIndex < 0 || scrolledTo.current === highlightId) return;
    scrolledTo.current = highlightId;
    scrollToRow(highlightIndex);
    onScroll();
  }, [highlightId, highlightIndex, scrollToRow, onScroll]);
  // Opened at the first unread message: its divider at the top, once it is in (a far one arrives with its window).
  const dividerIndex = unreadFrom ? rows.findIndex((r) => r.kind === 'unread') : -1;
  const openedAtUnread = useRef<string>(undefined);
  useLayoutEffect(() => {
    if (dividerIndex < 0 || highlightId || openedAtUnread.current === unreadFrom) return;
    openedAtUnread.current = unreadFrom!;
    scrollToRow(dividerIndex, 'start');
    onScroll();
  }, [unreadFrom, dividerIndex, highlightId, scrollToRow, onScroll]);
  // Nothing is read before the list is where it opens: the first unread (or the search hit), else the bottom.
  // (The divider is scrolled to in the commit that first holds it, before the observer's first look.)
  const placed = unreadFrom === null || (unreadFrom !== undefined && (!!highlightId || dividerIndex >= 0));
  const noop = () => undefined;
  useSeenOnScreen(scrollerEl, list, placed && !!props.onSeen, props.onSeen ?? noop);

  const onScrollBoth = (event: React.UIEvent<HTMLDivElement>) => {
    onScroll();
    const el = event.currentTarget;
    if (newer?.hasNewer && !newer.loading && el.scrollHeight - el.scrollTop - el.clientHeight < LOAD_NEWER_THRESHOLD)
      newer.loadNewer();
  };
  const toLatest = () => {
    if (!newer?.hasNewer) return jumpToBottom();
    // At the bottom when the newest page replaces the window: the list then stays at the bottom.
    jumpToBottom();
    void newer.toLatest().catch(() => undefined);
  };

  return (
    <div className="transcript">
      <div
        className="transcript__scroller"
        ref={scrollerRef}
        onScroll={onScrollBoth}
        onKeyDown={onKeyDown}
        data-testid="transcript"
        tabIndex={0}
        aria-label="Messages"
        role="region"
      >
        <OlderMessagesStatus
          loading={older.loading}
          error={older.error}
          atBeginning={!older.hasOlder && messages.length > 0}
          onRetry={older.loadOlder}
        />
        <ol className="transcript__list" aria-label="Conversation" ref={list} style={padding}>
          {items.map((item) => {
            const row = rows[item.index]!;
            const rowProps = {
              ref: measureElement,
              'data-index': item.index,
              'aria-posinset': item.index + 1,
              'aria-setsize': rows.length,
            };
            switch (row.kind) {
              case 'day':
                return <DaySeparator key={row.key} day={row.day} row={rowProps} />;
              case 'unread':
                return <UnreadDivider key={row.key} row={rowProps} />;
              case 'message': {
                const unread = !row.mine && !row.message.readAt;
                const bubbleRow = row.message.id === highlightId ? { ...rowProps, 'data-highlight': true } : rowProps;
                return (
                  <MessageBubble
                    key={row.key}
                    message={row.message}
                    mine={row.mine}
                    senderName={row.mine ? 'You' : props.peerName}
                    read={row.read}
                    startsGroup={row.startsGroup}
                    endsGroup={row.endsGroup}
                    row={unread ? { ...bubbleRow, 'data-unread': true } : bubbleRow}
                  />
                );
              }
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
        {newer?.hasNewer && (
          <p className="state" role="status">
            {newer.error ? `Could not load newer messages. ${newer.error}` : 'Loading newer messages…'}
          </p>
        )}
      </div>
      <NewMessagesLog messages={messages} viewerId={props.viewerId} peerName={props.peerName} />
      <TranscriptTools
        slot={props.toolsSlot ?? null}
        firstUnread={{
          show: dividerIndex >= 0 && farAbove(dividerIndex),
          onJump: () => {
            scrollToRow(dividerIndex, 'start');
            onScroll();
          },
        }}
        beginning={{
          // Only while it helps: the first message is not loaded, or far above what is on screen.
          show: !!older.loadAll && (older.hasOlder || !nearTop),
          busy: toBeginning,
          onJump: jumpToBeginning,
        }}
      />
      {(showJump || newer?.hasNewer) && <JumpToLatest unseen={unseen} onJump={toLatest} />}
    </div>
  );
}
