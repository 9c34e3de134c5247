import type { Viewer } from './session';

/**
 * The signed-in user as last confirmed by the server, kept with the token it
 * belongs to. On a reload the app can show the chat (and the outbox's unsent
 * messages) without waiting for `me` — also while the server is unreachable.
 */
const STORAGE_KEY = 'parley.viewer';

export const savedViewer = {
  get(token: string | null): Viewer | null {
    if (!token) return null;
    try {
      const saved = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? 'null') as { token?: string; viewer?: Viewer } | null;
      return saved?.token === token && saved.viewer?.id ? saved.viewer : null;
    } catch {
      return null;
    }
  },
  set(token: string, viewer: Viewer): void {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify({ token, viewer }));
    } catch {
      /* storage disabled: the app then needs the server to start */
    }
  },
  clear(): void {
    try {
      window.localStorage.removeItem(STORAGE_KEY);
    } catch {
      /* ignore */
    }
  },
};
