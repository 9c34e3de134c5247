import { useCallback, useSyncExternalStore } from 'react';

/** A message to open a conversation at: its id (highlighted) and its history cursor (Message.cursor). */
export interface MessageAt {
  id: string;
  cursor: string;
}

/**
 * Minimal hash routing: `#/` (people), `#/chat/<userId>` and `#/chat/<userId>?at=<messageId>&cursor=<cursor>`
 * (the conversation opened at a message, e.g. a search hit), `#/settings` (the account's settings). The hash keeps
 * the open view across reloads without needing server routes.
 */
export type Route = { name: 'home' } | { name: 'settings' } | { name: 'chat'; peerId: string; at?: MessageAt };

export function parseRoute(hash: string): Route {
  if (/^#\/settings\/?$/.test(hash)) return { name: 'settings' };
  const match = /^#\/chat\/([^/?#]+)(?:\?(.*))?/.exec(hash);
  if (!match) return { name: 'home' };
  const query = new URLSearchParams(match[2] ?? '');
  const id = query.get('at');
  const cursor = query.get('cursor');
  return { name: 'chat', peerId: decodeURIComponent(match[1]!), ...(id && cursor ? { at: { id, cursor } } : {}) };
}

export function hashOf(route: Route): string {
  if (route.name === 'settings') return '#/settings';
  if (route.name !== 'chat') return '#/';
  const at = route.at ? `?${new URLSearchParams({ at: route.at.id, cursor: route.at.cursor }).toString()}` : '';
  return `#/chat/${encodeURIComponent(route.peerId)}${at}`;
}

function subscribe(listener: () => void) {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}
const getHash = () => window.location.hash;

export function useRoute(): [Route, (route: Route) => void] {
  const hash = useSyncExternalStore(subscribe, getHash, () => '');
  const navigate = useCallback((route: Route) => {
    window.location.hash = hashOf(route);
  }, []);
  return [parseRoute(hash), navigate];
}
