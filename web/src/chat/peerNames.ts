import { storageItem } from '../shared/storage';

/**
 * Names of the people the user has had open, so a conversation reloaded while
 * the server is unreachable (showing only the outbox) is still titled
 * correctly. Dropped on logout together with the rest of the session.
 */
const stored = storageItem('parley.peers');

export interface PeerName {
  username: string;
  displayName: string;
}

function readAll(): Record<string, PeerName> {
  const all = stored.get();
  return typeof all === 'object' && all !== null ? (all as Record<string, PeerName>) : {};
}

export const peerNames = {
  get(userId: string): PeerName | undefined {
    const entry = readAll()[userId];
    return entry && typeof entry.displayName === 'string' ? entry : undefined;
  },
  remember(userId: string, name: PeerName): void {
    const all = readAll();
    if (all[userId]?.displayName === name.displayName && all[userId]?.username === name.username) return;
    stored.set({ ...all, [userId]: name }); // lost if storage is disabled: only a nicety
  },
  clear(): void {
    stored.remove();
  },
};
