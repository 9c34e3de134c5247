import { useApolloClient } from '@apollo/client/react';
import { useEffect } from 'react';
import { connectionStatus } from '../apollo/connectionStatus';
import { outboxFor, type OutboxEntry } from './outbox';
import { PendingUploads } from './pendingUploads';
import { PendingUploadsSender } from './pendingUploadsSender';
import { uploadQueueFor } from './useAttachmentUploads';

// One per signed-in user: the one that is delivering (mounted by useOutboxDelivery), for the sends of the page.
const senders = new Map<string, PendingUploadsSender>();
const kept = new Map<string, PendingUploads>();

/** The user's pending files on this device (pendingUploads.ts). */
export function pendingUploadsFor(userId: string): PendingUploads {
  let store = kept.get(userId);
  if (!store) kept.set(userId, (store = new PendingUploads(userId)));
  return store;
}

/**
 * A message is being added to the outbox: binds its files not uploaded yet to it (and keeps them on this device).
 * True when it has any: the entry is then added `uploading`, and sent once they are.
 */
export function adoptPendingUploads(
  userId: string,
  entry: Pick<OutboxEntry, 'clientMessageId' | 'recipientId' | 'attachments'>,
): boolean {
  return senders.get(userId)?.adopt(entry) ?? false;
}

/** Log-out: the files kept for this user's unsent messages go with the outbox. */
export function forgetPendingUploads(userId: string): Promise<void> {
  return pendingUploadsFor(userId).clear();
}

/**
 * Keeps the files of sent messages uploading while the app is open: those kept from before a reload are restored at
 * start; failures for now are tried again when the socket reconnects or the browser comes back online.
 */
export function usePendingUploadsDelivery(viewerId: string): void {
  const client = useApolloClient();
  useEffect(() => {
    const sender = new PendingUploadsSender(outboxFor(viewerId), pendingUploadsFor(viewerId), (peerId) =>
      uploadQueueFor(client, viewerId, peerId),
    );
    senders.set(viewerId, sender);
    void sender.restore();
    let previous = connectionStatus.get();
    const stopWatchingSocket = connectionStatus.subscribe(() => {
      const status = connectionStatus.get();
      if (status === 'connected' && previous !== 'connected') sender.flush();
      previous = status;
    });
    window.addEventListener('online', sender.flush);
    return () => {
      stopWatchingSocket();
      window.removeEventListener('online', sender.flush);
      sender.stop();
      if (senders.get(viewerId) === sender) senders.delete(viewerId);
    };
  }, [client, viewerId]);
}
