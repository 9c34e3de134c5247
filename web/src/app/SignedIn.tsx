import type { ApolloClient } from '@apollo/client';
import { ApolloProvider, getApolloContext, useQuery } from '@apollo/client/react';
import { useContext, useEffect } from 'react';
import { persistCache } from '../apollo/cachePersistence';
import { createParleyClient } from '../apollo/client';
import { connectionStatus } from '../apollo/connectionStatus';
import { MeQuery } from '../auth/operations';
import { useSession } from '../auth/session';
import { tokenStore } from '../auth/tokenStore';
import { ChatShell } from './ChatShell';

/**
 * The signed-in app: Apollo Client (HTTP and the graphql-ws socket), the cache kept on this device, and the chat.
 * A chunk of its own, loaded by App.tsx once there is a session: the login page does not download any of it
 * (issue #12; signing in goes over auth/authRequest.ts).
 *
 * Invariants:
 * - One Apollo client for the page, made when the signed-in app is first shown, and restored from the cache kept
 *   on this device before the chat first renders (apollo/cachePersistence.ts).
 * - Every change of session is followed from then on, shown or not: a log-out (here, in another tab, an expiry)
 *   clears the cache, another session replacing this one refetches everything, and the socket re-authenticates.
 * - The server confirms the session (`me`, cache-first: the kept cache leaves it out, so it is asked on every
 *   reload; not after a log-in, which said who it is); a token it no longer recognises is logged out with the
 *   reason shown (auth/session.tsx, `confirm`).
 */

type Followed = Pick<ApolloClient, 'clearStore' | 'resetStore'>;

/** Keeps `client` to the current session (see the invariants above); returns a function that stops. */
export function followSession(client: Followed, restartSocket?: () => void): () => void {
  let previous = tokenStore.get();
  return tokenStore.subscribe((next) => {
    const replaced = previous !== null && next !== null;
    previous = next;
    if (next === null) {
      // Nothing of the previous user may survive a logout.
      void client.clearStore();
    } else if (replaced) {
      // Another tab signed in over this session: drop what belongs to it and ask the server again with the new
      // token. Its refetches may be cut short by the screen changing; queries still shown report their own errors.
      client.resetStore().catch(() => undefined);
    }
    // A different (or no) user: forget socket history and make any open socket re-authenticate. (Each user's
    // outbox is kept under their own key; logging out clears it, see ChatShell.)
    connectionStatus.reset();
    restartSocket?.();
  });
}

let appClient: ApolloClient | undefined;

/** The page's client, made on first use. */
function parleyClient(): ApolloClient {
  if (!appClient) {
    const parley = createParleyClient();
    // What this user last saw, for a reload without a network (also what the service worker is for).
    persistCache(parley.client.cache);
    followSession(parley.client, parley.restartSocket);
    appClient = parley.client;
  }
  return appClient;
}

/** Asks the server who the session is (see the invariants), unless it said so in this page already. */
function ConfirmSession() {
  const { state, confirm } = useSession();
  const known = state.status === 'authenticated' && state.confirmed;
  const me = useQuery(MeQuery, { fetchPolicy: 'cache-first', skip: known });
  const answered = me.dataState === 'complete' && !me.loading;
  const viewer = answered ? me.data?.me : undefined;
  useEffect(() => {
    if (viewer !== undefined) confirm(viewer);
  }, [viewer, confirm]);
  return null;
}

/**
 * Right after a log-in or sign-up the login form (and its focus) is gone: the focus goes to the composer when a
 * conversation is open, else to the inbox's selected tab — never left on the page's body.
 */
function FocusAfterSignIn() {
  const { state } = useSession();
  const justSignedIn = state.status === 'authenticated' && state.confirmed;
  useEffect(() => {
    if (!justSignedIn) return;
    const frame = requestAnimationFrame(() => {
      const active = document.activeElement;
      if (active && active !== document.body) return; // something took it already (the composer's own autoFocus)
      const target =
        document.querySelector<HTMLElement>('.composer textarea:not(:disabled)') ??
        document.querySelector<HTMLElement>('.sidebar [role="tab"][aria-selected="true"]');
      target?.focus();
    });
    return () => cancelAnimationFrame(frame);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when the signed-in app first shows
  }, []);
  return null;
}

export function SignedIn() {
  // A client provided around the app (tests) is used as it is, and follows the session while shown.
  const provided = useContext(getApolloContext()).client;
  useEffect(() => (provided ? followSession(provided) : undefined), [provided]);
  return (
    <ApolloProvider client={provided ?? parleyClient()}>
      <ConfirmSession />
      <ChatShell />
      <FocusAfterSignIn />
    </ApolloProvider>
  );
}
