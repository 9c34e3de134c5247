import { useCallback } from 'react';
import { newClientMessageId } from './clientMessageId';
import { contentProblem } from './messageRules';
import { outboxFor, useOutboxEntries, type OutboxAttachment, type OutboxEntry } from './outbox';
import { adoptPendingUploads } from './pendingUploadsDelivery';

/**
 * What the conversation needs for sending: a message goes into the persistent
 * outbox (and so on screen as pending) before anything is sent; the outbox
 * sender (useOutboxDelivery, mounted once for the signed-in user) delivers it.
 */
interface SendApi {
  /**
   * Queue trimmed content with its uploaded files; returns false (and does nothing) when the server would refuse it
   * (messageRules; the content may be empty with files).
   */
  send(content: string, replyToId?: string, attachments?: OutboxAttachment[]): boolean;
  /** Send a failed message again, with its original clientMessageId. */
  retry(clientMessageId: string): void;
  /** Give up on a failed message. */
  discard(clientMessageId: string): void;
  /** The conversation now shows these stored messages: their acknowledged entries can go. */
  settle(clientMessageIds: string[]): void;
  /** This conversation's unacknowledged (and just acknowledged) messages, oldest first. */
  outbox: OutboxEntry[];
}

export function useSendMessage(viewerId: string, peerId: string): SendApi {
  const outbox = useOutboxEntries(viewerId, peerId);

  const send = useCallback(
    (raw: string, replyToId?: string, attachments?: OutboxAttachment[]) => {
      const content = raw.trim();
      const problem = contentProblem(content);
      if (problem && !(problem === 'empty' && attachments?.length)) return false;
      const entry = {
        clientMessageId: newClientMessageId(),
        recipientId: peerId,
        content,
        createdAt: new Date().toISOString(),
        ...(replyToId ? { replyToId } : {}),
        ...(attachments?.length ? { attachments } : {}),
      };
      // Files still uploading (`local:` ids) go on for this message, which waits for them.
      const uploading = adoptPendingUploads(viewerId, entry);
      outboxFor(viewerId).add({ ...entry, ...(uploading ? { uploading: true as const } : {}) });
      return true;
    },
    [viewerId, peerId],
  );

  const retry = useCallback((id: string) => outboxFor(viewerId).retry(id), [viewerId]);
  const discard = useCallback((id: string) => outboxFor(viewerId).remove(id), [viewerId]);
  const settle = useCallback((ids: string[]) => outboxFor(viewerId).settle(ids), [viewerId]);

  return { send, retry, discard, settle, outbox };
}
