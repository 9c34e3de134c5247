import { LoginPage } from '../auth/LoginPage';
import { useSession } from '../auth/session';
import { useLogOut } from '../auth/useLogOut';
import { ChatShell } from './ChatShell';

export function App() {
  const { state } = useSession();
  // Ends the session on the server too when it answers; signs out here regardless.
  const { logOut, busy } = useLogOut();
  switch (state.status) {
    case 'anonymous':
      return <LoginPage />;
    case 'loading':
      return (
        <div className="splash" role="status">
          <span className="spinner" aria-hidden="true" /> Loading parley…
        </div>
      );
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
      return <ChatShell />;
  }
}
