import { makeFragmentData } from '../gql';
import { MessageBubble, MessageBubble_message } from './MessageBubble';
import type { OutboxEntry } from './outbox';
import type { GroupPlace } from './messageGroups';
import type { RowProps } from './transcriptRows';

/** A message of the viewer's that is still in the outbox (or was acknowledged a moment ago). */
export function OutboxBubble(props: {
  entry: OutboxEntry;
  onRetry(clientMessageId: string): void;
  onDiscard(clientMessageId: string): void;
  place?: GroupPlace;
  row?: RowProps;
}) {
  const { entry } = props;
  const message = makeFragmentData(
    {
      __typename: 'Message',
      id: `outbox:${entry.clientMessageId}`,
      content: entry.content,
      createdAt: entry.createdAt,
      readAt: null,
    },
    MessageBubble_message,
  );
  return (
    <MessageBubble
      message={message}
      mine
      startsGroup={props.place?.startsGroup}
      endsGroup={props.place?.endsGroup}
      row={props.row}
      unsent={
        entry.status === 'sent'
          ? undefined // acknowledged: shown as sent until the stored message replaces it
          : entry.status === 'failed'
            ? {
                status: 'failed',
                reason: entry.error,
                onRetry: () => props.onRetry(entry.clientMessageId),
                onDiscard: () => props.onDiscard(entry.clientMessageId),
              }
            : {
                status: 'pending',
                // Throttled: why it is slow ("Sending slowly: waiting 3 s").
                label:
                  entry.throttled && entry.error ? entry.error : entry.attempts > 0 ? 'Waiting to send' : undefined,
              }
      }
    />
  );
}
