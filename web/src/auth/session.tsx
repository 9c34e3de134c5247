import { useApolloClient, useQuery } from '@apollo/client/react';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { graphql } from '../gql';
import { savedViewer, type Viewer } from './savedViewer';
import { tokenStore, type LogoutReason } from './tokenStore';

// The signed-in user, as the rest of the app needs it (id for "is this mine",
// displayName for optimistic messages).
export const MeQuery = graphql(`
  query Me {
    me {
      id
      username
      displayName
    }
  }
`);

type SessionState =
  | { status: 'anonymous'; reason?: LogoutReason }
  | { status: 'loading' }
  | { status: 'error'; message: string; retry(): void }
  | { status: 'authenticated'; viewer: Viewer };

interface SessionApi {
  state: SessionState;
  /** Store the token from logIn/signUp and prime the cache with the viewer. */
  signIn(token: string, viewer: Viewer): void;
  signOut(): void;
}

const SessionContext = createContext<SessionApi | null>(null);

export function SessionProvider({
  children,
  onTokenChange,
}: {
  children: ReactNode;
  /** Called after login/logout, e.g. to restart the subscription socket. */
  onTokenChange?: () => void;
}) {
  const client = useApolloClient();
  const [token, setToken] = useState(tokenStore.get);
  const [reason, setReason] = useState<LogoutReason | undefined>();
  const previous = useRef(token);

  useEffect(
    () =>
      tokenStore.subscribe((next, why) => {
        const replaced = previous.current !== null && next !== null;
        previous.current = next;
        setToken(next);
        setReason(why);
        if (next === null) {
          // Nothing of the previous user may survive a logout.
          savedViewer.clear();
          void client.clearStore();
        } else if (replaced) {
          // Another tab signed in over this session: drop what belongs to it
          // and ask the server again (`me` included) with the new token. Its
          // refetches may be cut short by the screen changing; queries still
          // shown report their own errors.
          client.resetStore().catch(() => undefined);
        }
        onTokenChange?.();
      }),
    [client, onTokenChange],
  );

  const me = useQuery(MeQuery, { skip: !token, fetchPolicy: 'cache-first' });
  const confirmed = me.data?.me ?? null;
  // Until (or if, when offline) the server answers, trust the last answer for this token.
  const viewer = useMemo(() => confirmed ?? savedViewer.get(token), [confirmed, token]);

  useEffect(() => {
    if (token && confirmed) savedViewer.set(token, confirmed);
  }, [token, confirmed]);

  // A token the server no longer recognises answers `me: null`.
  useEffect(() => {
    if (token && me.dataState === 'complete' && !me.loading && me.data?.me === null) {
      tokenStore.clear('expired');
    }
  }, [token, me.dataState, me.loading, me.data]);

  const signIn = useCallback(
    (newToken: string, user: Viewer) => {
      client.writeQuery({ query: MeQuery, data: { me: { ...user, __typename: 'User' } } });
      tokenStore.set(newToken);
    },
    [client],
  );
  const signOut = useCallback(() => tokenStore.clear('user'), []);

  const state: SessionState = useMemo(() => {
    if (!token) return { status: 'anonymous', reason };
    if (viewer) return { status: 'authenticated', viewer };
    if (me.error) return { status: 'error', message: me.error.message, retry: () => void me.refetch() };
    return { status: 'loading' };
  }, [token, viewer, reason, me]);

  const api = useMemo(() => ({ state, signIn, signOut }), [state, signIn, signOut]);
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
