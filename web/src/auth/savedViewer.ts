import type { MeQuery } from '../gql/graphql';
import { storageItem } from '../shared/storage';

/** The signed-in user, as `me` returns it (see MeQuery in session.tsx). */
export type Viewer = NonNullable<MeQuery['me']>;

/**
 * The signed-in user as last confirmed by the server, kept with the token it
 * belongs to. On a reload the app can show the chat (and the outbox's unsent
 * messages) without waiting for `me` — also while the server is unreachable.
 */
const stored = storageItem('parley.viewer');

export const savedViewer = {
  get(token: string | null): Viewer | null {
    if (!token) return null;
    const saved = stored.get() as { token?: string; viewer?: Viewer } | null | undefined;
    return saved?.token === token && saved.viewer?.id ? saved.viewer : null;
  },
  /** When storage is disabled the app needs the server to start. */
  set(token: string, viewer: Viewer): void {
    stored.set({ token, viewer });
  },
  clear(): void {
    stored.remove();
  },
};
