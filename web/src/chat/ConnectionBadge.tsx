import { useConnectionStatus, useNetworkLost, type ConnectionStatus } from '../apollo/connectionStatus';

const LABELS: Record<ConnectionStatus, string> = {
  idle: 'Offline',
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
};

/** The socket's state; while the network is gone (the browser says so, or a ping went unanswered): "Offline". */
function useShownStatus(): ConnectionStatus {
  const status = useConnectionStatus();
  const networkLost = useNetworkLost();
  return networkLost ? 'idle' : status;
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
