import { useNetworkLost } from '../apollo/connectionStatus';
import type { ResultOf } from '@graphql-typed-document-node/core';
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
  const networkLost = useNetworkLost();
  const message = makeFragmentData(
    {
      __typename: 'Message',
      id: `outbox:${entry.clientMessageId}`,
      content: entry.content,
      createdAt: entry.createdAt,
      readAt: null,
      editedAt: null,
      deletedAt: null,
      updateCursor: null,
      sender: { __typename: 'User', id: 'me', displayName: 'You' },
      replyTo: null,
      reactions: [],
      // MessageAttachments_message's fields (masked in the type): the files show as pendingFiles instead.
      cursor: '',
      recipient: { __typename: 'User', id: entry.recipientId },
      attachments: [],
    } as unknown as ResultOf<typeof MessageBubble_message>,
    MessageBubble_message,
  );
  return (
    <MessageBubble
      message={message}
      mine
      startsGroup={props.place?.startsGroup}
      endsGroup={props.place?.endsGroup}
      row={props.row}
      pendingFiles={entry.attachments}
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
                // No network: it goes when the network is back. Throttled: why it is slow ("Sending slowly: waiting 3 s").
                label: networkLost
                  ? 'Waiting for network'
                  : entry.uploading
                    ? 'Uploading files'
                    : entry.throttled && entry.error
                      ? entry.error
                      : entry.attempts > 0
                        ? 'Waiting to send'
                        : undefined,
              }
      }
    />
  );
}
