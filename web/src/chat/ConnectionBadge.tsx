import { useSyncExternalStore } from 'react';
import { useConnectionStatus, type ConnectionStatus } from '../apollo/connectionStatus';

const LABELS: Record<ConnectionStatus, string> = {
  idle: 'Offline',
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
};

function subscribeToNetwork(listener: () => void) {
  window.addEventListener('online', listener);
  window.addEventListener('offline', listener);
  return () => {
    window.removeEventListener('online', listener);
    window.removeEventListener('offline', listener);
  };
}

/** The socket's state; while the device itself has no network, a socket that is not live is "Offline". */
function useShownStatus(): ConnectionStatus {
  const status = useConnectionStatus();
  const online = useSyncExternalStore(
    subscribeToNetwork,
    () => navigator.onLine,
    () => true,
  );
  return !online && status !== 'connected' ? 'idle' : status;
}

/**
 * Shows whether live updates (the graphql-ws socket) are flowing. Not a live
 * region: there may be two badges (sidebar and conversation header), and
 * changes are announced once, by ConnectionAnnouncer.
 */
export function ConnectionBadge({ className = '' }: { className?: string }) {
  const status = useShownStatus();
  return (
    <span className={`connection connection--${status} ${className}`} data-status={status}>
      <span className="connection__dot" aria-hidden="true" />
      <span className="visually-hidden">Connection: </span>
      {LABELS[status]}
    </span>
  );
}

/** The one live region for the connection state: render it once per page. */
export function ConnectionAnnouncer() {
  const status = useShownStatus();
  return (
    <p className="visually-hidden" role="status" data-testid="connection-announcer">
      Connection: {LABELS[status]}
    </p>
  );
}
