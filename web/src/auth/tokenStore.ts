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

export type LogoutReason = 'expired' | 'user';
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
    const why = reason === 'expired' && current === ending ? 'user' : reason;
    current = null;
    stored.remove();
    notify(why);
  },
  /**
   * The user is ending the current session (logOut, logOutEverywhere): until
   * the returned function is called, the token being refused is reported as
   * their log-out ('user'), not as 'expired'.
   */
  endingSession(): () => void {
    const token = current;
    ending = token;
    return () => {
      if (ending === token) ending = null;
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
