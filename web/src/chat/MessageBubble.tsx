import { memo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { getFragmentData, graphql, type FragmentType } from '../gql';
import { LinkifiedText } from './LinkifiedText';
import { MessageAttachments, PendingAttachments } from './MessageAttachments';
import type { OutboxAttachment } from './outbox';
import { MessageActions } from './MessageActions';
import { useMessageActions } from './messageActionsContext';
import { ReactionChips } from './ReactionChips';
import { ReplyQuote } from './ReplyQuote';
import { sameRowedProps, type RowProps } from './transcriptRows';
import { fullTimeFormat, timeFormat } from './timeFormats';

export const MessageBubble_message = graphql(`
  fragment MessageBubble_message on Message {
    id
    content
    createdAt
    readAt
    editedAt
    deletedAt
    updateCursor
    sender {
      id
      displayName
    }
    replyTo {
      id
      content
      deletedAt
      sender {
        id
        displayName
      }
    }
    reactions {
      emoji
      count
      reactedByMe
    }
    ...MessageAttachments_message
  }
`);

/** How long a touch must rest on a bubble to open its actions. */
const LONG_PRESS_MS = 500;

type DeliveryStatus = 'pending' | 'sent' | 'read' | 'failed';

const STATUS_TEXT: Record<DeliveryStatus, string> = {
  pending: 'Sending…',
  sent: 'Sent',
  read: 'Read',
  failed: 'Not sent',
};

/** Status of a message the server has stored (outbox entries bring their own). */
function deliveryStatus(message: { readAt: string | null }, read: boolean): DeliveryStatus {
  return message.readAt || read ? 'read' : 'sent';
}

interface UnsentState {
  status: 'pending' | 'failed';
  /** Shown instead of the default status text (e.g. "Waiting to send"). */
  label?: string;
  /** Why it failed. */
  reason?: string;
  onRetry?(): void;
  onDiscard?(): void;
}

interface MessageBubbleProps {
  message: FragmentType<typeof MessageBubble_message>;
  mine: boolean;
  /** Who wrote it, as screen readers announce it ("You" for the viewer). */
  senderName?: string;
  /** The peer has read it (their read position is at or past it), whatever its cached readAt says. */
  read?: boolean;
  /** For a message still in the outbox: its state and actions. */
  unsent?: UnsentState;
  /** The files of a message still in the outbox (uploaded, not yet sent). */
  pendingFiles?: OutboxAttachment[];
  /** First of its group (same sender, minute and status): spaced from the bubble before. Default true. */
  startsGroup?: boolean;
  /** Last of its group: shows the group's time (full date-time on hover and focus) and status. Default true. */
  endsGroup?: boolean;
  /** For the virtualised transcript: measures this row. */
  row?: RowProps;
}

/**
 * One message. Memoised: the transcript re-renders on every cache write and every measurement of a row, and a
 * bubble whose message (the cache keeps an unchanged one's object) and place are the same need not (issue #24).
 */
export const MessageBubble = memo(function MessageBubble(props: MessageBubbleProps) {
  const message = getFragmentData(MessageBubble_message, props.message);
  const { unsent } = props;
  const status: DeliveryStatus | null = unsent
    ? unsent.status
    : props.mine
      ? deliveryStatus(message, props.read ?? false)
      : null;
  const statusText = status ? (unsent?.label ?? STATUS_TEXT[status]) : '';
  const time = new Date(message.createdAt);
  const validTime = !Number.isNaN(time.valueOf());
  const sender = props.senderName ?? (props.mine ? 'You' : 'Them');
  const fullTime = validTime ? fullTimeFormat().format(time) : undefined;
  const deleted = message.deletedAt != null;
  // Actions only on a stored message of an open conversation (not on an outbox entry, not on a tombstone).
  const api = useMessageActions();
  const actionable = api && !unsent && !deleted;
  const [actions, setActions] = useState<'hover' | 'keyboard' | 'press' | null>(null);
  const press = useRef<ReturnType<typeof setTimeout>>(undefined);
  const closeActions = () => setActions(null);
  const onKeyDown = (event: KeyboardEvent<HTMLLIElement>) => {
    if (!actionable || event.target !== event.currentTarget) return;
    if (event.key === 'Enter' || event.key === 'ContextMenu') {
      event.preventDefault();
      setActions('keyboard');
    }
  };
  const onPointerDown = (event: PointerEvent) => {
    if (!actionable || event.pointerType !== 'touch') return;
    press.current = setTimeout(() => setActions('press'), LONG_PRESS_MS);
  };
  const cancelPress = () => clearTimeout(press.current);
  const edited = message.editedAt && !deleted ? new Date(message.editedAt) : null;
  const editedTime = edited && !Number.isNaN(edited.valueOf()) ? fullTimeFormat().format(edited) : undefined;
  const quoted = message.replyTo;

  const statusBadge = status && (
    <span className={`bubble__status bubble__status--${status}`} aria-label={`Status: ${statusText}`}>
      <StatusIcon status={status} /> <span className="bubble__status-text">{statusText}</span>
    </span>
  );

  return (
    <li
      {...props.row}
      className={`bubble ${props.mine ? 'bubble--mine' : 'bubble--theirs'}${status ? ` bubble--${status}` : ''}${
        props.startsGroup === false ? '' : ' bubble--group-start'
      }`}
      data-status={status ?? undefined}
      data-testid="message"
      data-message-id={unsent ? undefined : message.id}
      // The message's one Tab stop (its time is not another): focus shows the full date-time of a group's last.
      tabIndex={0}
      aria-keyshortcuts={actionable ? 'Enter' : undefined}
      onKeyDown={onKeyDown}
      onMouseEnter={() => actionable && setActions((a) => a ?? 'hover')}
      onMouseLeave={() => setActions((a) => (a === 'hover' ? null : a))}
      onPointerDown={onPointerDown}
      onPointerUp={cancelPress}
      onPointerCancel={cancelPress}
      onPointerLeave={cancelPress}
      onContextMenu={(event) => {
        if (actions === 'press') event.preventDefault();
      }}
    >
      {/* Read first: who wrote it and when (the visible time below is then skipped). */}
      <span className="visually-hidden">
        {sender}
        {validTime ? `, ${timeFormat().format(time)}` : ''}:{' '}
      </span>
      {quoted && !deleted && (
        <ReplyQuote
          senderName={(quoted.sender.id === message.sender.id) === props.mine ? 'You' : quoted.sender.displayName}
          content={quoted.content}
          deleted={quoted.deletedAt != null}
          onShow={api ? () => api.show(quoted.id) : undefined}
        />
      )}
      {deleted ? (
        <p className="bubble__content bubble__content--deleted">
          {props.mine ? 'You deleted this message' : 'This message was deleted'}
        </p>
      ) : (
        // Each paragraph runs its own way (Hebrew, Arabic right to left), whichever side the bubble is on.
        // A message of files only has no text.
        message.content !== '' && (
          <p className="bubble__content" dir="auto">
            <LinkifiedText text={message.content} />
          </p>
        )
      )}
      {/* A tombstone's files are gone with it (the server answers none; a cached copy may still hold them). */}
      {!deleted && <MessageAttachments message={message} />}
      {props.pendingFiles && props.pendingFiles.length > 0 && <PendingAttachments files={props.pendingFiles} />}
      {editedTime && (
        <span className="bubble__edited" title={`Edited ${editedTime}`} data-testid="edited">
          edited<span className="visually-hidden"> {editedTime}</span>
        </span>
      )}
      {!deleted && message.reactions.length > 0 && (
        <ReactionChips
          reactions={message.reactions}
          onToggle={actionable ? (emoji, on) => api.react(message.id, emoji, on) : undefined}
        />
      )}
      {actionable && actions && (
        <MessageActions
          messageId={message.id}
          mine={props.mine}
          content={message.content}
          myReactions={new Set(message.reactions.filter((r) => r.reactedByMe).map((r) => r.emoji))}
          api={api}
          focusFirst={actions === 'keyboard' || actions === 'press'}
          onClose={closeActions}
        />
      )}
      {props.endsGroup === false ? (
        // Inside a group: the time is read out above; the status stays for screen readers.
        statusBadge && <span className="bubble__meta visually-hidden">{statusBadge}</span>
      ) : (
        <span className="bubble__meta">
          {/* The full date-time: the title on hover, a tooltip while the bubble has the focus. */}
          <time className="bubble__time" dateTime={message.createdAt} title={fullTime} data-full={fullTime}>
            {validTime ? timeFormat().format(time) : ''}
          </time>
          {statusBadge}
        </span>
      )}
      {unsent?.status === 'failed' && (
        <div className="bubble__problem">
          {unsent.reason && <p className="bubble__reason">{unsent.reason}</p>}
          <div className="bubble__actions">
            {unsent.onRetry && (
              <button
                type="button"
                className="bubble__action"
                onClick={unsent.onRetry}
                aria-label="Retry sending message"
              >
                Retry
              </button>
            )}
            {unsent.onDiscard && (
              <button type="button" className="bubble__action" onClick={unsent.onDiscard} aria-label="Discard message">
                Discard
              </button>
            )}
          </div>
        </div>
      )}
    </li>
  );
}, sameRowedProps);

function StatusIcon({ status }: { status: DeliveryStatus }) {
  const common = { width: 14, height: 14, viewBox: '0 0 16 16', 'aria-hidden': true, fill: 'none' } as const;
  switch (status) {
    case 'pending':
      return (
        <svg {...common} stroke="currentColor" strokeWidth="1.6">
          <circle cx="8" cy="8" r="6" />
          <path d="M8 4.5V8l2.5 1.5" strokeLinecap="round" />
        </svg>
      );
    case 'sent':
      return (
        <svg {...common} stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
          <path d="M3 8.5l3 3 7-7" />
        </svg>
      );
    case 'read':
      return (
        <svg {...common} stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
          <path d="M1 8.5l3 3 7-7M7 11.5l7-7" />
        </svg>
      );
    case 'failed':
      return (
        <svg {...common} stroke="currentColor" strokeWidth="1.8" strokeLinecap="round">
          <circle cx="8" cy="8" r="6" />
          <path d="M8 4.8v3.8M8 11.2v.1" />
        </svg>
      );
  }
}
