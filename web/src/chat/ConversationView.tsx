import { useEffect, useState } from 'react';
import { useRefetchOnReconnect } from '../apollo/useRefetchOnReconnect';
import { usePeerTyping } from '../apollo/typing';
import { useViewer } from '../auth/session';
import { getFragmentData, graphql } from '../gql';
import { describeError, isNotFoundError, isUnavailableError } from '../shared/errors';
import { ConversationHeader, usePeerDeleted, usePeerName } from './ConversationHeader';
import { ChangeRefusals } from './ChangeRefusals';
import { MessageActionsContext } from './messageActionsContext';
import { MessageComposer } from './MessageComposer';
import { MessageList } from './MessageList';
import { useCatchUp } from './useCatchUp';
import { useChatHistory } from './useChatHistory';
import { useMarkRead } from './useMarkRead';
import { useMessageLifecycle } from './useMessageLifecycle';
import { useMessageUpdatesCatchUp } from './useMessageUpdates';
import { useFirstUnread } from './useFirstUnread';
import type { OutboxAttachment } from './outbox';
import { useMessageAround } from './useMessageAround';
import { useReadReceipts } from './useReadReceipts';
import { useSendMessage } from './useSendMessage';
import { useTypingSender } from './useTypingSender';
import { useAttachmentUploads } from './useAttachmentUploads';
import { CANNOT_MESSAGE, useBlock } from './useBlock';
import { prepareTimeFormats } from './timeFormats';

export { ChatHistoryQuery, PAGE_SIZE } from './useChatHistory';

/** Everything the open conversation needs from a message; also selected by
 *  sendMessage and messageAdded so their results complete the cached page. */
export const ConversationView_message = graphql(`
  fragment ConversationView_message on Message {
    id
    # Where a resumed subscription continues after this message (same as its history edge cursor).
    cursor
    readAt
    sender {
      id
      # Lets the header name the peer after a cold reload (User:<id> in cache).
      ...ConversationHeader_user
    }
    ...MessageList_message
  }
`);

/**
 * One conversation: its history (useChatHistory), kept current by the all-conversations stream and, after a gap,
 * its own catch-up (useCatchUp); the transcript, the composer, receipts and typing.
 */
export function ConversationView(props: {
  peerId: string;
  /** Opened at this message (a search hit): the pages around it, it highlighted. */
  at?: { id: string; cursor: string };
  onBack(): void;
}) {
  const { peerId } = props;
  const viewer = useViewer();
  // The messages' times need the browser's locale data: loaded while their page is on its way.
  useEffect(() => prepareTimeFormats(), []);
  const peerName = usePeerName(peerId);
  const peerDeleted = usePeerDeleted(peerId);
  const { send, retry, discard, settle, outbox } = useSendMessage(viewer.id, peerId);
  const uploads = useAttachmentUploads(viewer.id, peerId);
  const history = useChatHistory(peerId);
  const { data, error, loading, refetch, edges, older } = history;
  const messages = getFragmentData(ConversationView_message, history.nodes);
  const pageInfo = data?.chatHistory.pageInfo;
  // Opened at the first unread message (decided once the newest page is in); a far one with a window around it.
  const firstUnread = useFirstUnread(
    peerId,
    messages,
    { hasOlder: !!pageInfo?.hasPreviousPage, startCursor: pageInfo?.startCursor },
    history.newestPageIn,
  );
  const openAt = props.at ?? (firstUnread?.far ? firstUnread : undefined);
  const around = useMessageAround(peerId, openAt, history.newestPageIn);

  // Read as it is seen on screen, never because the conversation is open.
  const onSeen = useMarkRead(peerId, messages);
  // ✓✓ on the viewer's messages up to the peer's read position, live.
  const peerLastRead = useReadReceipts(peerId);
  const peerTyping = usePeerTyping(peerId);
  const reportTyping = useTypingSender(peerId);
  const { after } = useCatchUp(viewer.id, peerId, edges, history);
  // Edits, deletions and reactions (issue #18): the actions, the composer's modes, changes missed while offline.
  // Sent from a window of older messages (a search hit, the first unread): the newest page first, then the message
  // (its acknowledgement then lands in that page, not in a window the newest page would replace). Offline, the page
  // cannot come: the message goes to the outbox all the same.
  const hasNewer = !!pageInfo?.hasNextPage;
  const sendHere = (content: string, replyToId?: string, attachments?: OutboxAttachment[]): boolean => {
    if (!hasNewer) return send(content, replyToId, attachments);
    void around.toLatest().then(
      () => send(content, replyToId, attachments),
      () => send(content, replyToId, attachments),
    );
    return true;
  };
  const lifecycle = useMessageLifecycle({ viewerId: viewer.id, peerName, send: sendHere, messages, older });
  useMessageUpdatesCatchUp(peerId);

  // The link names someone who does not exist (a mistyped or stale address): nothing can be sent to them.
  const unknownPeer = !data && isNotFoundError(error);
  // Without a cursor (the page could not be loaded, e.g. after an offline reload, or the conversation was empty)
  // there is nothing to resume from: once the socket is up again, fetch the newest page instead. Not for someone
  // who does not exist: a connection cures nothing there, and the refetch would clear the error meanwhile (the
  // composer on again, "No such person" gone) until the same answer came back.
  useRefetchOnReconnect(!after && !unknownPeer, refetch);
  const unsent = outbox.length > 0;
  // The header's slot for the transcript's jumps (they cover no message there).
  const [toolsSlot, setToolsSlot] = useState<HTMLDivElement | null>(null);

  // Blocked (issue #22): by the viewer, or by the peer (`blockedMe`, or a send refused as such: "You can't message
  // this person.", a failed bubble until retried or discarded — e.g. before the conversation's first message).
  const block = useBlock(peerId);
  const refusedAsBlocked = outbox.some((entry) => entry.status === 'failed' && entry.error === CANNOT_MESSAGE);
  const cannotMessage = !block.blockedByMe && (block.blockedMe || refusedAsBlocked);
  const blockedReason = block.blockedByMe
    ? `You blocked ${peerName}. Unblock them to send messages.`
    : cannotMessage
      ? CANNOT_MESSAGE
      : undefined;

  let body;
  if (!data && loading) {
    body = (
      <div className="state state--center" role="status">
        <span className="spinner" aria-hidden="true" /> Loading conversation…
      </div>
    );
  } else if (unknownPeer && !unsent) {
    body = (
      <div className="state state--center state--error" role="alert">
        <p className="empty-title">No such person</p>
        <p>This conversation link names someone who is not on parley.</p>
      </div>
    );
  } else if (!data && error && !unsent) {
    body = (
      <div className="state state--center state--error" role="alert">
        <p>Could not load this conversation. {describeError(error)}</p>
        <button type="button" className="button" onClick={() => void refetch().catch(() => undefined)}>
          Try again
        </button>
      </div>
    );
  } else if (edges.length === 0 && !unsent) {
    body = (
      <div className="state state--center">
        <p className="empty-title">No messages yet</p>
        <p className="muted">Say hello to {peerName}.</p>
      </div>
    );
  } else {
    body = (
      <MessageList
        viewerId={viewer.id}
        peerName={peerName}
        messages={messages}
        outbox={outbox}
        peerLastRead={peerLastRead}
        onRetry={retry}
        onDiscard={discard}
        onSettled={settle}
        older={older}
        highlightId={props.at?.id}
        toolsSlot={toolsSlot}
        unreadFrom={firstUnread === undefined ? undefined : (firstUnread?.id ?? null)}
        onSeen={onSeen}
        newer={{
          hasNewer: !!pageInfo?.hasNextPage,
          loading: around.newerBusy,
          error: around.newerError ?? around.windowError,
          loadNewer: () => pageInfo?.endCursor && around.loadNewer(pageInfo.endCursor),
          toLatest: around.toLatest,
        }}
      />
    );
  }

  // Offline (saved messages shown or not), what is waiting in the outbox is not lost.
  const willSend =
    error && isUnavailableError(error) && outbox.some((e) => e.status === 'pending')
      ? ' Unsent messages will be sent once the server is reachable.'
      : '';

  return (
    <section className="conversation" aria-label={`Conversation with ${peerName}`}>
      <ConversationHeader
        peerId={peerId}
        onBack={props.onBack}
        typing={peerTyping}
        toolsHost={setToolsSlot}
        hasMessages={edges.length > 0}
        block={block}
      />
      {block.blockedByMe ? (
        <div className="banner banner--blocked" role="status">
          <span>
            You blocked <bdi>{peerName}</bdi>.
          </span>
          <button
            type="button"
            className="button button--ghost"
            disabled={block.busy}
            onClick={() => void block.unblock()}
          >
            {block.busy ? 'Unblocking…' : 'Unblock'}
          </button>
        </div>
      ) : (
        cannotMessage && (
          <p className="banner banner--blocked" role="status">
            {CANNOT_MESSAGE}
          </p>
        )
      )}
      {error && (data || unsent) && (
        <p className="banner banner--error" role="alert">
          {unknownPeer
            ? 'This person does not exist: messages to them cannot be sent.'
            : data
              ? `Showing saved messages — could not refresh: ${describeError(error)}${willSend}`
              : `Could not load this conversation: ${describeError(error)}${willSend}`}
        </p>
      )}
      <ChangeRefusals viewerId={viewer.id} />
      <MessageActionsContext.Provider value={lifecycle.api}>
        <div className="conversation__body">{body}</div>
      </MessageActionsContext.Provider>
      {lifecycle.dialog}
      <MessageComposer
        onSend={lifecycle.send}
        mode={lifecycle.mode}
        onCancelMode={lifecycle.cancelMode}
        onEditLast={lifecycle.editLast}
        uploads={uploads}
        peerName={peerName}
        onTyping={reportTyping}
        autoFocus
        draftOf={{ userId: viewer.id, peerId }}
        disabledReason={
          unknownPeer
            ? 'You cannot send messages here: this person does not exist.'
            : peerDeleted
              ? 'This account has been deleted: messages to it cannot be sent.'
              : blockedReason
        }
      />
    </section>
  );
}
