import { useEffect, useRef } from 'react';
import { useConnectionCount } from './connectionStatus';

/**
 * Calls `refetch` when the subscription socket (re)connects — the server is
 * reachable again — if `needed` is true at that moment: for data that could
 * not be loaded while it was not. A change of `needed` alone refetches
 * nothing; each connection is acted on once, and not the one already up when
 * the component mounted.
 */
export function useRefetchOnReconnect(needed: boolean, refetch: () => Promise<unknown>): void {
  const connections = useConnectionCount();
  const handled = useRef(connections);
  useEffect(() => {
    if (connections === handled.current) return;
    handled.current = connections;
    if (needed) void refetch().catch(() => undefined);
  }, [connections, needed, refetch]);
}
