import { useApolloClient } from '@apollo/client/react';
import { useEffect } from 'react';
import { connectionStatus } from '../apollo/connectionStatus';
import { outboxFor } from './outbox';
import { OutboxSender } from './outboxSender';

/**
 * Keeps the signed-in user's outbox moving while the app is open: a round at
 * start (entries left over from before a reload), whenever the subscription
 * socket (re)connects or the browser comes back online — both good signs the
 * server is reachable again — and on the sender's own backoff timer.
 */
export function useOutboxDelivery(viewerId: string): void {
  const client = useApolloClient();
  useEffect(() => {
    const sender = new OutboxSender(client, outboxFor(viewerId));
    let previous = connectionStatus.get();
    const stopWatchingSocket = connectionStatus.subscribe(() => {
      const status = connectionStatus.get();
      if (status === 'connected' && previous !== 'connected') sender.flush();
      previous = status;
    });
    window.addEventListener('online', sender.flush);
    sender.flush();
    return () => {
      stopWatchingSocket();
      window.removeEventListener('online', sender.flush);
      sender.stop();
    };
  }, [client, viewerId]);
}
