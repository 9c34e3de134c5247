import { LoginPage } from '../auth/LoginPage';
import { useSession } from '../auth/session';
import { ChatShell } from './ChatShell';

export function App() {
  const { state, signOut } = useSession();
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
            <button type="button" className="button button--ghost" onClick={signOut}>
              Log out
            </button>
          </div>
        </div>
      );
    case 'authenticated':
      return <ChatShell />;
  }
}
