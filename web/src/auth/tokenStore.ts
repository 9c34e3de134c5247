import { storageItem } from '../shared/storage';

/**
 * The single source of truth for the session token.
 *
 * Everything that authenticates (the HTTP auth link, the graphql-ws
 * connectionParams, the React session state) reads from here, so a login,
 * logout or expiry is seen everywhere at once — in every tab: the token is
 * kept in localStorage, and a change another tab makes is followed here.
 */
const STORAGE_KEY = 'parley.token';

/**
 * Why the token went: the user logged out on this device ('user'), its session lapsed ('expired'), it was ended
 * elsewhere ('ended': "log out everywhere" on another device, or the user is gone), or the user deleted their
 * account here ('deleted').
 */
export type LogoutReason = 'expired' | 'ended' | 'user' | 'deleted';

/** The reason the server gave for refusing a token (a 4403 close reason, an UNAUTHENTICATED message), as ours. */
export function logoutReasonOf(serverReason: string | undefined): 'expired' | 'ended' {
  // api/src/auth/tokens.ts and api/src/http/graphql-ws.ts: "The token has expired…", "Token expired…" for expiry;
  // "Logged out", "Session ended…", "The session has ended (logged out…)" when it was ended.
  // Anything else (an older server, a proxy's words) is told as before: expired.
  const reason = serverReason ?? '';
  return !/expired/i.test(reason) && /logged out|ended/i.test(reason) ? 'ended' : 'expired';
}
type Listener = (token: string | null, reason?: LogoutReason) => void;

const listeners = new Set<Listener>();
// Stored as plain text (not JSON), as it always has been.
const stored = storageItem(STORAGE_KEY);
let current: string | null = stored.getText();
/**
 * The token whose session the user is ending right now (useLogOut). The
 * server refuses it from the moment it has ended it — its socket is closed
 * with 4403 even before the logOut answer arrives — and that is the user's
 * own log-out, not an expiry to tell them about.
 */
let ending: string | null = null;
/** How the ending session's refusal is reported: the user's own log-out, or their account deleted. */
let endingAs: 'user' | 'deleted' = 'user';

function notify(reason?: LogoutReason) {
  listeners.forEach((l) => l(current, reason));
}

export const tokenStore = {
  get(): string | null {
    return current;
  },
  set(token: string): void {
    current = token;
    stored.setText(token);
    notify();
  },
  clear(reason: LogoutReason = 'user'): void {
    if (current === null) return;
    const why = reason !== 'user' && reason !== 'deleted' && current === ending ? endingAs : reason;
    current = null;
    stored.remove();
    notify(why);
  },
  /**
   * The user is ending the current session (logOut, logOutEverywhere, or
   * deleteAccount with `as` 'deleted'): until the returned function is
   * called, the token being refused is reported `as` that ('user': their
   * log-out), not as 'expired' or 'ended'.
   */
  endingSession(as: 'user' | 'deleted' = 'user'): () => void {
    const token = current;
    ending = token;
    endingAs = as;
    return () => {
      if (ending === token) {
        ending = null;
        endingAs = 'user';
      }
    };
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** Re-read localStorage: another tab logged in or out (and tests). */
  reload(): void {
    const next = stored.getText();
    if (next === current) return;
    current = next;
    notify(next === null ? 'user' : undefined);
  },
};

// The browser tells every *other* tab of the origin about a storage change
// (key null: storage was cleared).
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key === STORAGE_KEY || event.key === null) tokenStore.reload();
  });
}

export function authorizationHeader(token: string | null): string | undefined {
  return token ? `Bearer ${token}` : undefined;
}
