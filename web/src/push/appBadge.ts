import { useEffect } from 'react';

type BadgeNavigator = Navigator & { setAppBadge?(count?: number): Promise<void>; clearAppBadge?(): Promise<void> };

/**
 * The installed app's badge shows the unread total (issue #21): set here while the app is open, by the service
 * worker on each push while it is not (public/sw-push.js). Where badges do not exist, or are not allowed (not
 * installed), nothing happens.
 */
export function useAppBadge(total: number | undefined): void {
  useEffect(() => {
    if (total === undefined || typeof navigator === 'undefined') return;
    const nav = navigator as BadgeNavigator;
    const done = total > 0 ? nav.setAppBadge?.(total) : nav.clearAppBadge?.();
    done?.catch(() => undefined);
  }, [total]);
}
