import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createParleyClient } from './apollo/client';
import { App } from './app/App';
import { SessionProvider } from './auth/session';
import { failedSends } from './chat/failedSends';
import './styles.css';

const parley = createParleyClient();

function onTokenChange() {
  failedSends.clear();
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
