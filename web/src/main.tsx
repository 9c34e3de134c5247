import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { answerServiceWorker } from './app/serviceWorkerMessages';
import { SessionProvider } from './auth/session';
import { registerServiceWorker } from './shared/serviceWorker';
import { theme } from './shared/theme';
import './styles.css';

// The remembered theme, before anything is drawn.
theme.applyStored();
registerServiceWorker();
answerServiceWorker();

// The login page and the session restore need no GraphQL client: Apollo, the socket and the cache kept on this
// device come with the signed-in app (app/SignedIn.tsx), a chunk of its own (issue #12).
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider>
      <App />
    </SessionProvider>
  </StrictMode>,
);
