import { lazy, Suspense } from 'react';
import { LoginPage } from '../auth/LoginPage';
import { useSession } from '../auth/session';
import { useLogOutOverHttp } from '../auth/logOut';

// The signed-in app (Apollo Client, the socket, the chat) is a chunk of its own: the login page does not download
// it (issue #12). Its download starts as soon as a log-in is sent or a session is being restored (the 'loading'
// state), so it is usually there when the session is. If it cannot be fetched (offline before the service worker has it, or a newer
// deploy has replaced it) the user is offered a reload, which gets the current index.html and its chunks — never a
// blank page.
const loadSignedIn = () => import('./SignedIn');
const SignedIn = lazy(() =>
  loadSignedIn().then(
    (module) => ({ default: module.SignedIn }),
    () => ({ default: SignedInUnavailable }),
  ),
);

/** Starts the download early; a failure is shown once the session is there. */
const prefetchSignedIn = () => void loadSignedIn().catch(() => undefined);

const splash = (
  <div className="splash" role="status">
    <span className="spinner" aria-hidden="true" /> Loading parley…
  </div>
);

function SignedInUnavailable() {
  return (
    <div className="splash" role="alert">
      <p>Could not load parley. Check your connection, then reload.</p>
      <div className="splash__actions">
        <button type="button" className="button button--primary" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    </div>
  );
}

export function App() {
  const { state } = useSession();
  // Ends the session on the server too when it answers; signs out here regardless. (Only offered before the
  // signed-in app is shown: over plain HTTP.)
  const { logOut, busy } = useLogOutOverHttp();
  switch (state.status) {
    case 'anonymous':
      // The signed-in app downloads while the server checks the password.
      return <LoginPage onSubmitting={prefetchSignedIn} />;
    case 'loading':
      prefetchSignedIn();
      return splash;
    case 'error':
      return (
        <div className="splash" role="alert">
          <p>Could not reach parley. {state.message}</p>
          <div className="splash__actions">
            <button type="button" className="button button--primary" onClick={state.retry}>
              Try again
            </button>
            <button
              type="button"
              className="button button--ghost"
              onClick={() => void logOut()}
              disabled={busy !== null}
            >
              {busy ? 'Logging out…' : 'Log out'}
            </button>
          </div>
        </div>
      );
    case 'authenticated':
      return (
        <Suspense fallback={splash}>
          <SignedIn />
        </Suspense>
      );
  }
}
