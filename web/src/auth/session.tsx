import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { MeDocument } from '../gql/graphql';
import { errorCode } from '../shared/errors';
import { authRequest } from './authRequest';
import { savedViewer, type Viewer } from './savedViewer';
import { forgetAccount } from './forgetAccount';
import { logoutReasonOf, tokenStore, type LogoutReason } from './tokenStore';

/**
 * The session, without a GraphQL client: the login page and the session
 * restore are served before (and without) the signed-in app, which brings
 * Apollo (app/SignedIn.tsx; issue #12).
 *
 * Invariants:
 * - The token is tokenStore's (every tab's); the viewer is the one last
 *   confirmed for that token (savedViewer), so a reload shows the chat at once,
 *   offline too. The signed-in app confirms it (`me`) and reports the answer
 *   with `confirm`; a token the server no longer recognises logs out with the
 *   reason the server gives: 'expired', or 'ended' (signed out from another
 *   device; tokenStore.logoutReasonOf).
 * - A token without a saved viewer (e.g. another tab signed in without saving
 *   one) asks the server `me` over plain HTTP (authRequest) before the chat
 *   is shown: 'loading', then 'authenticated', 'anonymous' (expired or ended) or 'error'
 *   (unreachable; retry or log out).
 * - Logging out, here or in another tab, forgets the saved viewer at once, and
 *   everything else of the user on this device (forgetAccount.ts); signed out
 *   otherwise, their unsent messages and drafts wait for them.
 */

// `me`, as operations.ts writes it (generated: this module does not go through `graphql()`, see there).
export { MeDocument as MeQuery } from '../gql/graphql';

type SessionState =
  | { status: 'anonymous'; reason?: LogoutReason }
  | { status: 'loading' }
  | { status: 'error'; message: string; retry(): void }
  | {
      status: 'authenticated';
      viewer: Viewer;
      /** The server said so in this page (log-in, or asked): no need to ask it again. Else the saved viewer. */
      confirmed: boolean;
    };

interface SessionApi {
  state: SessionState;
  /** Store the token from logIn/signUp, with the viewer it belongs to. */
  signIn(token: string, viewer: Viewer): void;
  signOut(): void;
  /**
   * The server's answer to `me` for the current token (the signed-in app asks it): the viewer, kept for the next
   * reload, or null when the server no longer recognises the token (ended: 'ended').
   */
  confirm(viewer: Viewer | null): void;
}

const SessionContext = createContext<SessionApi | null>(null);

/** The viewer the server confirmed for a token (in this tab). */
type Confirmed = { token: string; viewer: Viewer };
/** A restore that could not reach the server: for which token, at which attempt. */
type Failure = { token: string; attempt: number; message: string };

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState(tokenStore.get);
  const [reason, setReason] = useState<LogoutReason | undefined>();
  const [confirmed, setConfirmed] = useState<Confirmed | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  /** Bumped by "Try again" after a failed restore. */
  const [attempt, setAttempt] = useState(0);

  useEffect(
    () =>
      tokenStore.subscribe((next, why) => {
        // Nothing of the previous user may survive a logout (see forgetAccount).
        if (next === null) {
          savedViewer.clear();
          forgetAccount(why ?? 'user');
        }
        setToken(next);
        setReason(why);
      }),
    [],
  );

  // Until (or if, when offline) the server answers, trust the last answer for this token.
  const viewer = useMemo(
    () => (token && confirmed?.token === token ? confirmed.viewer : savedViewer.get(token)),
    [confirmed, token],
  );

  // No viewer saved for this token: ask the server who it belongs to.
  const unknown = token !== null && viewer === null;
  useEffect(() => {
    if (!unknown || !token) return;
    const abort = new AbortController();
    authRequest(MeDocument, { signal: abort.signal }).then(
      ({ me }) => {
        if (abort.signal.aborted || tokenStore.get() !== token) return;
        if (!me) {
          tokenStore.clear('ended');
          return;
        }
        savedViewer.set(token, me);
        setConfirmed({ token, viewer: me });
      },
      (error: unknown) => {
        if (abort.signal.aborted || tokenStore.get() !== token) return;
        if (errorCode(error) === 'UNAUTHENTICATED')
          tokenStore.clear(logoutReasonOf(error instanceof Error ? error.message : undefined));
        else setFailure({ token, attempt, message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => abort.abort();
  }, [unknown, token, attempt]);

  const signIn = useCallback((newToken: string, user: Viewer) => {
    savedViewer.set(newToken, user);
    setConfirmed({ token: newToken, viewer: user });
    tokenStore.set(newToken);
  }, []);
  const signOut = useCallback(() => tokenStore.clear('user'), []);
  const confirm = useCallback((user: Viewer | null) => {
    const current = tokenStore.get();
    if (!current) return;
    if (!user) {
      tokenStore.clear('ended');
      return;
    }
    savedViewer.set(current, user);
    setConfirmed((previous) =>
      previous?.token === current &&
      previous.viewer.id === user.id &&
      previous.viewer.username === user.username &&
      previous.viewer.displayName === user.displayName
        ? previous
        : { token: current, viewer: user },
    );
  }, []);

  const state: SessionState = useMemo(() => {
    if (!token) return { status: 'anonymous', reason };
    if (viewer) return { status: 'authenticated', viewer, confirmed: confirmed?.token === token };
    if (failure?.token === token && failure.attempt === attempt) {
      return { status: 'error', message: failure.message, retry: () => setAttempt((n) => n + 1) };
    }
    return { status: 'loading' };
  }, [token, viewer, confirmed, reason, failure, attempt]);

  const api = useMemo(() => ({ state, signIn, signOut, confirm }), [state, signIn, signOut, confirm]);
  return <SessionContext.Provider value={api}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession must be used inside <SessionProvider>');
  return ctx;
}

/** The signed-in user; only call below the authenticated branch of the app. */
export function useViewer(): Viewer {
  const { state } = useSession();
  if (state.status !== 'authenticated') throw new Error('useViewer needs an authenticated session');
  return state.viewer;
}
