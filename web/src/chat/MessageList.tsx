import { Fragment } from 'react';
import { getFragmentData, graphql, type FragmentType } from '../gql';
import { dayLabel } from './dayLabel';
import { DaySeparator } from './DaySeparator';
import { MessageBubble } from './MessageBubble';
import { OlderMessagesStatus } from './OlderMessagesStatus';
import type { OutboxEntry } from './outbox';
import { OutboxBubble } from './OutboxBubble';
import { JumpToLatest } from './JumpToLatest';
import { NewMessagesLog } from './NewMessagesLog';
import { readThrough, type PeerLastRead } from './useReadReceipts';
import { useScrollAnchor } from './useScrollAnchor';
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
}

/** The scrolling transcript: stored messages by day, then the unsent ones (useScrollAnchor keeps the place). */
export function MessageList(props: MessageListProps) {
  const { hasOlder, loadingOlder, olderError, onLoadOlder } = props;
  const messages = getFragmentData(MessageList_message, props.messages);
  const unsent = useVisibleOutbox(props.outbox, messages, props.onSettled);

  const { scroller, onScroll, showJump, unseen, jumpToBottom } = useScrollAnchor({
    firstKey: messages[0]?.id,
    lastKey: unsent.at(-1)?.clientMessageId ?? messages.at(-1)?.id,
    itemCount: messages.length + unsent.length,
    lastIsMine: unsent.length > 0 || messages.at(-1)?.sender.id === props.viewerId,
    canLoadOlder: hasOlder && !loadingOlder && !olderError,
    onLoadOlder,
  });

  const days = messages.map((m) => dayLabel(m.createdAt));
  const readUpTo = readThrough(messages, props.peerLastRead);
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
        <OlderMessagesStatus
          loading={loadingOlder}
          error={olderError}
          atBeginning={!hasOlder && messages.length > 0}
          onRetry={onLoadOlder}
        />
        <ol className="transcript__list" aria-label="Conversation">
          {messages.map((m, i) => {
            const day = days[i];
            const separator = day !== (i > 0 ? days[i - 1] : '');
            return (
              <Fragment key={m.id}>
                {separator && <DaySeparator day={day} />}
                <MessageBubble
                  message={m}
                  mine={m.sender.id === props.viewerId}
                  senderName={m.sender.id === props.viewerId ? 'You' : props.peerName}
                  read={i <= readUpTo}
                />
              </Fragment>
            );
          })}
          {unsent.map((e) => (
            <OutboxBubble key={e.clientMessageId} entry={e} onRetry={props.onRetry} onDiscard={props.onDiscard} />
          ))}
        </ol>
      </div>
      <NewMessagesLog messages={messages} viewerId={props.viewerId} peerName={props.peerName} />
      {showJump && <JumpToLatest unseen={unseen} onJump={jumpToBottom} />}
    </div>
  );
}
