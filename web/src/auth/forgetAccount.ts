import type { LogoutReason } from './tokenStore';

/**
 * What of a signed-out user stays on this device (localStorage, `parley.*`).
 *
 * - Logging out here (or in another tab), or deleting the account: nothing. Every key of the app goes but the device's own preferences
 *   (theme, notifications): the token, the saved viewer, the cache, remembered names, every outbox and draft.
 * - Signed out from elsewhere or expired: the person did not choose to leave. Their unsent messages and drafts are
 *   kept, under their user id (parley.outbox.<id>, parley.drafts.<id>), for when the same user signs in again; the
 *   rest (the cache, remembered names) goes.
 */
const PREFIX = 'parley.';
const DEVICE_PREFERENCES = new Set(['parley.theme', 'parley.notifications']);
const KEPT_FOR_SAME_USER = /^parley\.(outbox|drafts)\./;

export function forgetAccount(reason: LogoutReason, storage?: Storage): void {
  try {
    const area = storage ?? window.localStorage;
    const keys = Array.from({ length: area.length }, (_, i) => area.key(i)).filter(
      (key): key is string => key !== null && key.startsWith(PREFIX) && !DEVICE_PREFERENCES.has(key),
    );
    const everything = reason === 'user' || reason === 'deleted';
    for (const key of keys) if (everything || !KEPT_FOR_SAME_USER.test(key)) area.removeItem(key);
  } catch {
    // Storage disabled: nothing was kept.
  }
}
