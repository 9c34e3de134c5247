/**
 * Names of the people the user has had open, so a conversation reloaded while
 * the server is unreachable (showing only the outbox) is still titled
 * correctly. Dropped on logout together with the rest of the session.
 */
const STORAGE_KEY = 'parley.peers';

export interface PeerName {
  username: string;
  displayName: string;
}

function readAll(): Record<string, PeerName> {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? '{}');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, PeerName>) : {};
  } catch {
    return {};
  }
}

export const peerNames = {
  get(userId: string): PeerName | undefined {
    const entry = readAll()[userId];
    return entry && typeof entry.displayName === 'string' ? entry : undefined;
  },
  remember(userId: string, name: PeerName): void {
    const all = readAll();
    if (all[userId]?.displayName === name.displayName && all[userId]?.username === name.username) return;
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...all, [userId]: name }));
    } catch {
      /* only a nicety */
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
