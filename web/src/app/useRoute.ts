import { useCallback, useSyncExternalStore } from 'react';

/**
 * Minimal hash routing: `#/` (people) and `#/chat/<userId>`. The hash keeps
 * the open conversation across reloads without needing server routes.
 */
type Route = { name: 'home' } | { name: 'chat'; peerId: string };

function parseRoute(hash: string): Route {
  const match = /^#\/chat\/([^/?#]+)/.exec(hash);
  return match ? { name: 'chat', peerId: decodeURIComponent(match[1]) } : { name: 'home' };
}

function subscribe(listener: () => void) {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}
const getHash = () => window.location.hash;

export function useRoute(): [Route, (route: Route) => void] {
  const hash = useSyncExternalStore(subscribe, getHash, () => '');
  const navigate = useCallback((route: Route) => {
    window.location.hash = route.name === 'chat' ? `#/chat/${encodeURIComponent(route.peerId)}` : '#/';
  }, []);
  return [parseRoute(hash), navigate];
}
