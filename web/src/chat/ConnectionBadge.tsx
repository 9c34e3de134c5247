import { useConnectionStatus, type ConnectionStatus } from '../apollo/connectionStatus';

const LABELS: Record<ConnectionStatus, string> = {
  idle: 'Offline',
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
};

/** Shows whether live updates (the graphql-ws socket) are flowing. */
export function ConnectionBadge({ className = '' }: { className?: string }) {
  const status = useConnectionStatus();
  return (
    <span
      className={`connection connection--${status} ${className}`}
      role="status"
      aria-live="polite"
      aria-label={`Connection: ${LABELS[status]}`}
      data-status={status}
    >
      <span className="connection__dot" aria-hidden="true" />
      {LABELS[status]}
    </span>
  );
}
