import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { persistCache } from './apollo/cachePersistence';
import { createParleyClient } from './apollo/client';
import { connectionStatus } from './apollo/connectionStatus';
import { App } from './app/App';
import { SessionProvider } from './auth/session';
import { registerServiceWorker } from './shared/serviceWorker';
import { theme } from './shared/theme';
import './styles.css';

// The remembered theme, before anything is drawn.
theme.applyStored();

const parley = createParleyClient();
// What this user last saw, for a reload without a network (also what the service worker is for).
persistCache(parley.client.cache);
registerServiceWorker();

// A different (or no) user: forget socket history and make any open socket
// re-authenticate. (Each user's outbox is kept under their own key; logging
// out clears it, see ChatShell.)
function onTokenChange() {
  connectionStatus.reset();
  parley.restartSocket();
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApolloProvider client={parley.client}>
      <SessionProvider onTokenChange={onTokenChange}>
        <App />
      </SessionProvider>
    </ApolloProvider>
  </StrictMode>,
);
