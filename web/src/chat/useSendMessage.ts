import { useCallback } from 'react';
import { newClientMessageId } from './clientMessageId';
import { contentProblem } from './messageRules';
import { outboxFor, useOutboxEntries, type OutboxEntry } from './outbox';

/**
 * What the conversation needs for sending: a message goes into the persistent
 * outbox (and so on screen as pending) before anything is sent; the outbox
 * sender (useOutboxDelivery, mounted once for the signed-in user) delivers it.
 */
interface SendApi {
  /** Queue trimmed content; returns false (and does nothing) when the server would refuse it (messageRules). */
  send(content: string): boolean;
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
    (raw: string) => {
      const content = raw.trim();
      if (contentProblem(content)) return false;
      outboxFor(viewerId).add({
        clientMessageId: newClientMessageId(),
        recipientId: peerId,
        content,
        createdAt: new Date().toISOString(),
      });
      return true;
    },
    [viewerId, peerId],
  );

  const retry = useCallback((id: string) => outboxFor(viewerId).retry(id), [viewerId]);
  const discard = useCallback((id: string) => outboxFor(viewerId).remove(id), [viewerId]);
  const settle = useCallback((ids: string[]) => outboxFor(viewerId).settle(ids), [viewerId]);

  return { send, retry, discard, settle, outbox };
}
