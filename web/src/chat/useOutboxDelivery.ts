import { useApolloClient } from '@apollo/client/react';
import { useEffect } from 'react';
import { connectionStatus } from '../apollo/connectionStatus';
import { outboxFor } from './outbox';
import { changesFor } from './outboxChanges';
import { applyChange } from './outboxChangesCache';
import { ChangeSender } from './outboxChangesSender';
import { OutboxSender } from './outboxSender';
import { usePendingUploadsDelivery } from './pendingUploadsDelivery';

/**
 * Keeps the signed-in user's outboxes moving (new messages, and changes to stored ones: outboxChanges.ts) while the app is open: a round at
 * start (entries left over from before a reload), whenever the subscription
 * socket (re)connects or the browser comes back online — both good signs the
 * server is reachable again — and on the sender's own backoff timer.
 */
export function useOutboxDelivery(viewerId: string): void {
  const client = useApolloClient();
  // Messages sent before their files were uploaded: the files go on (and survive a reload), then the message.
  usePendingUploadsDelivery(viewerId);
  useEffect(() => {
    const messages = new OutboxSender(client, outboxFor(viewerId));
    const queue = changesFor(viewerId);
    const changes = new ChangeSender(client, queue);
    // Changes left from before a reload show at once (on the messages the kept cache holds).
    for (const change of queue.all()) applyChange(client.cache, change);
    const flush = () => {
      messages.flush();
      changes.flush();
    };
    let previous = connectionStatus.get();
    const stopWatchingSocket = connectionStatus.subscribe(() => {
      const status = connectionStatus.get();
      if (status === 'connected' && previous !== 'connected') flush();
      previous = status;
    });
    // A new change goes out at once (the sender ignores the calls of its own progress while a round runs).
    const stopWatchingChanges = queue.subscribe(changes.flush);
    window.addEventListener('online', flush);
    flush();
    return () => {
      stopWatchingSocket();
      stopWatchingChanges();
      window.removeEventListener('online', flush);
      messages.stop();
      changes.stop();
    };
  }, [client, viewerId]);
}
