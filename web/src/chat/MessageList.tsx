import { Fragment, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { getFragmentData, graphql, makeFragmentData, type FragmentType } from '../gql';
import { MessageBubble, MessageBubble_message } from './MessageBubble';
import type { OutboxEntry } from './outbox';

export const MessageList_message = graphql(`
  fragment MessageList_message on Message {
    id
    clientMessageId
    createdAt
    sender {
      id
    }
    ...MessageBubble_message
  }
`);

/** Start loading the previous page when this close to the top (px). */
const LOAD_OLDER_THRESHOLD = 240;
/** Treat the user as "at the bottom" (follow new messages) within this distance. */
const STICK_TO_BOTTOM_THRESHOLD = 120;

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' });

function dayLabel(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.valueOf())) return '';
  const today = new Date();
  const yesterday = new Date(today);
  yesterday.setDate(today.getDate() - 1);
  if (date.toDateString() === today.toDateString()) return 'Today';
  if (date.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return dayFormat.format(date);
}

interface Snapshot {
  firstKey?: string;
  lastKey?: string;
  scrollHeight: number;
  scrollTop: number;
  atBottom: boolean;
}

export interface MessageListProps {
  viewerId: string;
  messages: FragmentType<typeof MessageList_message>[];
  /** This conversation's outbox: shown after the stored messages until acknowledged. */
  outbox: OutboxEntry[];
  onRetry(clientMessageId: string): void;
  onDiscard(clientMessageId: string): void;
  /** Acknowledged outbox entries whose stored message is now on screen. */
  onSettled(clientMessageIds: string[]): void;
  hasOlder: boolean;
  loadingOlder: boolean;
  olderError: string | null;
  onLoadOlder(): void;
}

/**
 * The scrolling transcript. Keeps the reader's place: starts at the bottom,
 * follows new messages only when already at the bottom (or when they are
 * ours), and holds the visible messages still when older pages are prepended.
 */
export function MessageList(props: MessageListProps) {
  const messages = getFragmentData(MessageList_message, props.messages);
  // One message, one bubble: once the stored message is in the conversation
  // (mutation answer, messageAdded or a page), its outbox entry is not shown,
  // even if the entry has not been removed yet.
  const stored = new Set(messages.map((m) => m.clientMessageId).filter(Boolean));
  const unsent = props.outbox.filter((e) => !stored.has(e.clientMessageId));
  const settled = props.outbox.filter((e) => e.status === 'sent' && stored.has(e.clientMessageId)).map((e) => e.clientMessageId);
  const { onSettled } = props;
  const settledKey = settled.join(' ');
  useEffect(() => {
    if (settledKey) onSettled(settledKey.split(' '));
  }, [settledKey, onSettled]);

  const scroller = useRef<HTMLDivElement>(null);
  const snapshot = useRef<Snapshot | null>(null);
  const [showJump, setShowJump] = useState(false);

  const firstKey = messages[0]?.id;
  const lastKey = unsent.at(-1)?.clientMessageId ?? messages.at(-1)?.id;
  const lastIsMine = unsent.length > 0 || messages.at(-1)?.sender.id === props.viewerId;

  const measure = useCallback((el: HTMLDivElement): Snapshot => {
    return {
      firstKey,
      lastKey,
      scrollHeight: el.scrollHeight,
      scrollTop: el.scrollTop,
      atBottom: el.scrollHeight - el.scrollTop - el.clientHeight <= STICK_TO_BOTTOM_THRESHOLD,
    };
  }, [firstKey, lastKey]);

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

  const { hasOlder, loadingOlder, olderError, onLoadOlder } = props;
  const maybeLoadOlder = useCallback(
    (el: HTMLDivElement) => {
      if (hasOlder && !loadingOlder && !olderError && el.scrollTop <= LOAD_OLDER_THRESHOLD) onLoadOlder();
    },
    [hasOlder, loadingOlder, olderError, onLoadOlder],
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

  let previousDay = '';
  return (
    <div className="transcript">
      <div
        className="transcript__scroller"
        ref={scroller}
        onScroll={onScroll}
        data-testid="transcript"
        tabIndex={0}
        aria-label="Messages"
        role="region"
      >
        <div className="transcript__top" aria-live="polite">
          {loadingOlder ? (
            <span className="spinner-row" role="status">
              <span className="spinner" aria-hidden="true" /> Loading older messages…
            </span>
          ) : olderError ? (
            <span className="error">
              Could not load older messages.{' '}
              <button type="button" className="link-button" onClick={onLoadOlder}>
                Retry
              </button>
            </span>
          ) : !hasOlder && messages.length > 0 ? (
            <span className="muted">This is the beginning of your conversation.</span>
          ) : null}
        </div>
        <ol className="transcript__list" aria-label="Conversation">
          {messages.map((m) => {
            const day = dayLabel(m.createdAt);
            const separator = day !== previousDay;
            previousDay = day;
            return (
              <Fragment key={m.id}>
                {separator && (
                  <li className="day-separator">
                    <span>{day}</span>
                  </li>
                )}
                <MessageBubble message={m} mine={m.sender.id === props.viewerId} />
              </Fragment>
            );
          })}
          {unsent.map((e) => (
            <MessageBubble
              key={e.clientMessageId}
              message={makeFragmentData(
                { __typename: 'Message', id: `outbox:${e.clientMessageId}`, content: e.content, createdAt: e.createdAt, readAt: null },
                MessageBubble_message,
              )}
              mine
              unsent={
                e.status === 'sent'
                  ? undefined // acknowledged: shown as sent until the stored message replaces it
                  : e.status === 'failed'
                  ? {
                      status: 'failed',
                      reason: e.error,
                      onRetry: () => props.onRetry(e.clientMessageId),
                      onDiscard: () => props.onDiscard(e.clientMessageId),
                    }
                  : { status: 'pending', label: e.attempts > 0 ? 'Waiting to send' : undefined }
              }
            />
          ))}
        </ol>
      </div>
      {showJump && (
        <button type="button" className="jump" onClick={jumpToBottom}>
          New messages ↓
        </button>
      )}
    </div>
  );
}
