/**
 * The single source of truth for the session token.
 *
 * Everything that authenticates (the HTTP auth link, the graphql-ws
 * connectionParams, the React session state) reads from here, so a login,
 * logout or expiry is seen everywhere at once.
 */
const STORAGE_KEY = 'parley.token';

export type LogoutReason = 'expired' | 'user';
type Listener = (token: string | null, reason?: LogoutReason) => void;

const listeners = new Set<Listener>();

function readStorage(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled (private mode, sandboxed iframe)
  }
}

let current: string | null = readStorage();

export const tokenStore = {
  get(): string | null {
    return current;
  },
  set(token: string): void {
    current = token;
    try {
      window.localStorage.setItem(STORAGE_KEY, token);
    } catch {
      /* keep it in memory only */
    }
    listeners.forEach((l) => l(current));
  },
  clear(reason: LogoutReason = 'user'): void {
    if (current === null) return;
    current = null;
    try {
      window.localStorage.removeItem(STORAGE_KEY);
    } catch {
      /* ignore */
    }
    listeners.forEach((l) => l(null, reason));
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** Re-read localStorage (tests, and another tab logging in/out). */
  reload(): void {
    current = readStorage();
  },
};

export function authorizationHeader(token: string | null): string | undefined {
  return token ? `Bearer ${token}` : undefined;
}
