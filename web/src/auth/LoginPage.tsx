import { useMutation } from '@apollo/client/react';
import { useId, useState, type FormEvent } from 'react';
import { graphql } from '../gql';
import { describeError } from '../shared/errors';
import { rateLimitOf } from '../shared/rateLimit';
import { useSession } from './session';

export const LogInMutation = graphql(`
  mutation LogIn($username: String!, $password: String!) {
    logIn(username: $username, password: $password) {
      token
      user {
        id
        username
        displayName
      }
    }
  }
`);

export const SignUpMutation = graphql(`
  mutation SignUp($username: String!, $password: String!, $displayName: String) {
    signUp(username: $username, password: $password, displayName: $displayName) {
      token
      user {
        id
        username
        displayName
      }
    }
  }
`);

type Mode = 'login' | 'signup';

export function LoginPage() {
  const { state, signIn } = useSession();
  const [mode, setMode] = useState<Mode>('login');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [logIn, logInResult] = useMutation(LogInMutation);
  const [signUp, signUpResult] = useMutation(SignUpMutation);
  const ids = { user: useId(), pass: useId(), name: useId(), error: useId() };

  const busy = logInResult.loading || signUpResult.loading;
  const error = mode === 'login' ? logInResult.error : signUpResult.error;
  const expired = state.status === 'anonymous' && state.reason === 'expired';

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    try {
      if (mode === 'login') {
        const { data } = await logIn({ variables: { username: username.trim(), password } });
        if (data) signIn(data.logIn.token, data.logIn.user);
      } else {
        const { data } = await signUp({
          variables: { username: username.trim(), password, displayName: displayName.trim() || null },
        });
        if (data) signIn(data.signUp.token, data.signUp.user);
      }
    } catch {
      // Shown from the mutation result below.
    }
  }

  function switchMode(next: Mode) {
    setMode(next);
    logInResult.reset();
    signUpResult.reset();
  }

  return (
    <main className="auth">
      <div className="auth__card">
        <h1 className="brand">
          <span className="brand__mark" aria-hidden="true" /> parley
        </h1>
        <p className="auth__tagline">Private, persistent one-to-one chat.</p>

        <div className="tabs" role="tablist" aria-label="Account">
          <button
            type="button"
            role="tab"
            aria-selected={mode === 'login'}
            className="tabs__tab"
            onClick={() => switchMode('login')}
          >
            Log in
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={mode === 'signup'}
            className="tabs__tab"
            onClick={() => switchMode('signup')}
          >
            Sign up
          </button>
        </div>

        {expired && (
          <p className="notice" role="status">
            Your session has expired. Please log in again.
          </p>
        )}

        <form className="auth__form" onSubmit={onSubmit} aria-describedby={error ? ids.error : undefined}>
          <label htmlFor={ids.user}>Username</label>
          <input
            id={ids.user}
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
          {mode === 'signup' && (
            <>
              <label htmlFor={ids.name}>
                Display name <span className="muted">(optional)</span>
              </label>
              <input
                id={ids.name}
                name="displayName"
                autoComplete="nickname"
                value={displayName}
                onChange={(e) => setDisplayName(e.target.value)}
              />
            </>
          )}
          <label htmlFor={ids.pass}>Password</label>
          <input
            id={ids.pass}
            name="password"
            type="password"
            autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          {error && (
            <p className="error" role="alert" id={ids.error}>
              {/* Too many attempts: the server's "try again in N s", however the 429 arrived. */}
              {rateLimitOf(error)?.message ?? describeError(error)}
            </p>
          )}
          <button className="button button--primary" type="submit" disabled={busy}>
            {busy ? 'Please wait…' : mode === 'login' ? 'Log in' : 'Create account'}
          </button>
        </form>
      </div>
    </main>
  );
}
