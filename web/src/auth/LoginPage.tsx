import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { LogInDocument, SignUpDocument } from '../gql/graphql';
import { describeError, errorArgument } from '../shared/errors';
import { rateLimitOf } from '../shared/rateLimit';
import { tabForKey } from '../shared/tabKeys';
import { ThemeToggle } from '../shared/ThemeToggle';
import { authRequest } from './authRequest';
import { useSession } from './session';

// logIn and signUp, as operations.ts writes them; sent without Apollo (authRequest), which the login page does
// not download.
export { LogInDocument as LogInMutation, SignUpDocument as SignUpMutation } from '../gql/graphql';

type Mode = 'login' | 'signup';
type Field = 'username' | 'password' | 'displayName';
const MODES: Mode[] = ['login', 'signup'];
const FIELD_ORDER: Field[] = ['username', 'displayName', 'password'];

export function LoginPage({
  onSubmitting,
}: {
  /** A log-in or sign-up is sent: e.g. to fetch the signed-in app meanwhile (App.tsx). */
  onSubmitting?: () => void;
} = {}) {
  const { state, signIn } = useSession();
  const [mode, setMode] = useState<Mode>('login');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  /** The last submit: in flight, or what the server (or the network) said; for the mode it was made in. */
  const [attempt, setAttempt] = useState<{ mode: Mode; busy: boolean; error?: Error } | null>(null);
  const ids = { user: useId(), pass: useId(), name: useId(), error: useId(), tabs: useId(), panel: useId() };
  const usernameInput = useRef<HTMLInputElement>(null);
  const passwordInput = useRef<HTMLInputElement>(null);
  const displayNameInput = useRef<HTMLInputElement>(null);
  const tabList = useRef<HTMLDivElement>(null);
  /** Fields left empty at the last submit, with what to do about them. */
  const [missing, setMissing] = useState<Partial<Record<Field, string>>>({});
  /** The field the server's refusal names (e.g. a username already taken). */
  const [refused, setRefused] = useState<Field | null>(null);

  const busy = attempt?.busy ?? false;
  const error = attempt?.mode === mode ? attempt.error : undefined;
  const expired = state.status === 'anonymous' && state.reason === 'expired';

  /** After a failed submit, focus goes to the first field to fix. */
  function focusFirst(invalid: Field[]) {
    const first = FIELD_ORDER.find((f) => invalid.includes(f));
    const input = { username: usernameInput, password: passwordInput, displayName: displayNameInput }[
      first ?? 'username'
    ];
    if (first) input.current?.focus();
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const empty: Partial<Record<Field, string>> = {};
    if (!username.trim()) empty.username = 'Enter your username.';
    if (!password) empty.password = mode === 'login' ? 'Enter your password.' : 'Choose a password.';
    setMissing(empty);
    setRefused(null);
    if (Object.keys(empty).length) {
      setAttempt(null);
      focusFirst(Object.keys(empty) as Field[]);
      return;
    }
    setAttempt({ mode, busy: true });
    onSubmitting?.();
    try {
      if (mode === 'login') {
        const { logIn } = await authRequest(LogInDocument, { variables: { username: username.trim(), password } });
        signIn(logIn.token, logIn.user);
      } else {
        const { signUp } = await authRequest(SignUpDocument, {
          variables: { username: username.trim(), password, displayName: displayName.trim() || null },
        });
        signIn(signUp.token, signUp.user);
      }
      setAttempt(null);
    } catch (e) {
      // Shown below; the field it names (if any) gets the focus.
      setAttempt({ mode, busy: false, error: e instanceof Error ? e : new Error(String(e)) });
      const argument = errorArgument(e);
      const field = FIELD_ORDER.find((f) => f === argument) ?? null;
      setRefused(field);
      if (field) focusFirst([field]);
    }
  }

  function switchMode(next: Mode) {
    setMode(next);
    setMissing({});
    setRefused(null);
    setAttempt(null);
  }

  // The ARIA tabs pattern: arrow keys (and Home/End) move between the tabs, selecting as they go.
  function onTabKeyDown(event: KeyboardEvent) {
    const next = tabForKey(event.key, MODES, mode);
    if (!next) return;
    event.preventDefault();
    switchMode(next);
    tabList.current?.ownerDocument.getElementById(`${ids.tabs}-${next}`)?.focus();
  }

  const invalid = (field: Field) => (missing[field] !== undefined || refused === field ? true : undefined);
  const describedBy = (field: Field) =>
    [missing[field] ? `${ids.error}-${field}` : null, refused === field ? ids.error : null].filter(Boolean).join(' ') ||
    undefined;
  const fieldError = (field: Field) =>
    missing[field] ? (
      <p className="error field-error" id={`${ids.error}-${field}`}>
        {missing[field]}
      </p>
    ) : null;

  return (
    <main className="auth">
      <ThemeToggle className="auth__theme" />
      <div className="auth__card">
        <h1 className="brand">
          <span className="brand__mark" aria-hidden="true" /> parley
        </h1>
        <p className="auth__tagline">Private, persistent one-to-one chat.</p>

        <div className="tabs" role="tablist" aria-label="Account" onKeyDown={onTabKeyDown} ref={tabList}>
          {MODES.map((m) => (
            <button
              key={m}
              type="button"
              role="tab"
              id={`${ids.tabs}-${m}`}
              aria-selected={mode === m}
              aria-controls={ids.panel}
              tabIndex={mode === m ? 0 : -1}
              className="tabs__tab"
              onClick={() => switchMode(m)}
            >
              {m === 'login' ? 'Log in' : 'Sign up'}
            </button>
          ))}
        </div>

        {expired && (
          <p className="notice" role="status">
            Your session has expired. Please log in again.
          </p>
        )}

        {/* The tab panel wraps the form: a <form> may not take the tabpanel role (ARIA in HTML). */}
        <div id={ids.panel} role="tabpanel" aria-labelledby={`${ids.tabs}-${mode}`}>
          <form className="auth__form" onSubmit={onSubmit} noValidate aria-describedby={error ? ids.error : undefined}>
            <label htmlFor={ids.user}>Username</label>
            <input
              id={ids.user}
              ref={usernameInput}
              aria-invalid={invalid('username')}
              aria-describedby={describedBy('username')}
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              value={username}
              onChange={(e) => setUsername(e.target.value)}
            />
            {fieldError('username')}
            {mode === 'signup' && (
              <>
                <label htmlFor={ids.name}>
                  Display name <span className="muted">(optional)</span>
                </label>
                <input
                  id={ids.name}
                  ref={displayNameInput}
                  aria-invalid={invalid('displayName')}
                  aria-describedby={describedBy('displayName')}
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
              ref={passwordInput}
              aria-invalid={invalid('password')}
              aria-describedby={describedBy('password')}
              name="password"
              type="password"
              autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            {fieldError('password')}
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
      </div>
    </main>
  );
}
