import { storageItem } from '../shared/storage';

/**
 * What the user was writing, per conversation, kept on this device under their user id (parley.drafts.<id>): a
 * reload, or being signed out from another device, does not lose it; the same user finds it when they sign in
 * again. Logging out on this device forgets it with everything else (auth/forgetAccount.ts).
 */
export function draftsFor(userId: string) {
  const stored = storageItem(`parley.drafts.${userId}`);
  const readAll = (): Record<string, string> => {
    const all = stored.get();
    return typeof all === 'object' && all !== null ? (all as Record<string, string>) : {};
  };
  return {
    get(peerId: string): string {
      const text = readAll()[peerId];
      return typeof text === 'string' ? text : '';
    },
    set(peerId: string, text: string): void {
      const all = readAll();
      if ((all[peerId] ?? '') === text) return;
      if (text) all[peerId] = text;
      else delete all[peerId];
      if (Object.keys(all).length) stored.set(all);
      else stored.remove();
    },
  };
}
