import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createParleyClient } from './apollo/client';
import { connectionStatus } from './apollo/connectionStatus';
import { App } from './app/App';
import { SessionProvider } from './auth/session';
import { theme } from './shared/theme';
import './styles.css';

// The remembered theme, before anything is drawn.
theme.applyStored();

const parley = createParleyClient();

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
