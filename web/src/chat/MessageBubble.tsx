import { getFragmentData, graphql, type FragmentType } from '../gql';
import { LinkifiedText } from './LinkifiedText';
import type { RowProps } from './transcriptRows';

export const MessageBubble_message = graphql(`
  fragment MessageBubble_message on Message {
    id
    content
    createdAt
    readAt
  }
`);

type DeliveryStatus = 'pending' | 'sent' | 'read' | 'failed';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const fullTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

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

export function MessageBubble(props: {
  message: FragmentType<typeof MessageBubble_message>;
  mine: boolean;
  /** Who wrote it, as screen readers announce it ("You" for the viewer). */
  senderName?: string;
  /** The peer has read it (their read position is at or past it), whatever its cached readAt says. */
  read?: boolean;
  /** For a message still in the outbox: its state and actions. */
  unsent?: UnsentState;
  /** First of its group (same sender, minute and status): spaced from the bubble before. Default true. */
  startsGroup?: boolean;
  /** Last of its group: shows the group's time (full date-time on hover and focus) and status. Default true. */
  endsGroup?: boolean;
  /** For the virtualised transcript: measures this row. */
  row?: RowProps;
}) {
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
  const fullTime = validTime ? fullTimeFormat.format(time) : undefined;
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
    >
      {/* Read first: who wrote it and when (the visible time below is then skipped). */}
      <span className="visually-hidden">
        {sender}
        {validTime ? `, ${timeFormat.format(time)}` : ''}:{' '}
      </span>
      <p className="bubble__content">
        <LinkifiedText text={message.content} />
      </p>
      {props.endsGroup === false ? (
        // Inside a group: the time is read out above; the status stays for screen readers.
        statusBadge && <span className="bubble__meta visually-hidden">{statusBadge}</span>
      ) : (
        <span className="bubble__meta">
          {/* Focusable, named by the full date-time (a tooltip on focus; the title on hover). */}
          <time
            className="bubble__time"
            dateTime={message.createdAt}
            title={fullTime}
            data-full={fullTime}
            aria-label={fullTime}
            tabIndex={validTime ? 0 : undefined}
          >
            {validTime ? timeFormat.format(time) : ''}
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
}

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
