import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { LogInDocument, SignUpDocument } from '../gql/graphql';
import { describeError, errorArgument } from '../shared/errors';
import { rateLimitOf } from '../shared/rateLimit';
import { tabForKey } from '../shared/tabKeys';
import { ThemeToggle } from '../shared/ThemeToggle';
import { problemsOf, sentence, type Field, type FormMode } from './formProblems';
import { authRequest } from './authRequest';
import { useSession } from './session';

// logIn and signUp, as operations.ts writes them; sent without Apollo (authRequest), which the login page does
// not download.
export { LogInDocument as LogInMutation, SignUpDocument as SignUpMutation } from '../gql/graphql';

type Mode = FormMode;
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
  /** Fields whose problems are shown: left once (blur), or all of them after a submit; checked as the person types. */
  const [shown, setShown] = useState<Partial<Record<Field, boolean>>>({});
  /** What the server said about one field (e.g. a username already taken), until that field changes. */
  const [refused, setRefused] = useState<{ field: Field; message: string } | null>(null);

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

  const values = { username, password, displayName };
  const problems = problemsOf(mode, values);
  const problemOf = (field: Field): string | undefined =>
    (shown[field] ? problems[field] : undefined) ?? (refused?.field === field ? refused.message : undefined);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setShown({ username: true, password: true, displayName: true });
    setRefused(null);
    const invalid = Object.keys(problems) as Field[];
    if (invalid.length) {
      setAttempt(null);
      focusFirst(invalid);
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
      const failure = e instanceof Error ? e : new Error(String(e));
      // A refusal that names a field is shown under it (and focuses it); anything else below the form.
      const argument = errorArgument(e);
      const field = FIELD_ORDER.find((f) => f === argument) ?? null;
      if (field && !rateLimitOf(failure)) {
        setAttempt(null);
        setRefused({ field, message: sentence(describeError(failure)) });
        focusFirst([field]);
      } else setAttempt({ mode, busy: false, error: failure });
    }
  }

  function switchMode(next: Mode) {
    setMode(next);
    setShown({});
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

  const errorId = (field: Field) => `${ids.error}-${field}`;
  const invalid = (field: Field) => (problemOf(field) ? true : undefined);
  const describedBy = (field: Field) => (problemOf(field) ? errorId(field) : undefined);
  const fieldError = (field: Field) => {
    const problem = problemOf(field);
    return problem ? (
      <p className="error field-error" id={errorId(field)}>
        {problem}
      </p>
    ) : null;
  };
  /** Typing in a field checks it again and retires what the server said about it. */
  const edit = (field: Field, set: (value: string) => void) => (value: string) => {
    set(value);
    if (refused?.field === field) setRefused(null);
  };
  const leave = (field: Field) => () => {
    // A field left empty is not scolded until a submit: the person may just be moving through the form.
    const value = values[field];
    if (value) setShown((previous) => (previous[field] ? previous : { ...previous, [field]: true }));
  };
  const signedOutReason =
    state.status === 'anonymous' && state.reason === 'deleted'
      ? 'Your account has been deleted. Goodbye, and thank you for using parley.'
      : state.status === 'anonymous' && state.reason === 'ended'
        ? 'You were signed out from another device. Please log in again.'
        : expired
          ? 'Your session has expired. Please log in again.'
          : null;

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

        {signedOutReason && (
          <p className="notice" role="status">
            {signedOutReason}
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
              onChange={(e) => edit('username', setUsername)(e.target.value)}
              onBlur={leave('username')}
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
                  onChange={(e) => edit('displayName', setDisplayName)(e.target.value)}
                  onBlur={leave('displayName')}
                />
                {fieldError('displayName')}
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
              onChange={(e) => edit('password', setPassword)(e.target.value)}
              onBlur={leave('password')}
            />
            {fieldError('password')}
            {error && (
              <p className="error" role="alert" id={ids.error}>
                {/* Too many attempts: the server's "try again in N s", however the 429 arrived. */}
                {rateLimitOf(error)?.message ?? describeError(error)}
              </p>
            )}
            <button className="button button--primary" type="submit" disabled={busy} aria-busy={busy || undefined}>
              {busy && <span className="spinner spinner--small" aria-hidden="true" />}
              {busy
                ? mode === 'login'
                  ? 'Logging in…'
                  : 'Creating your account…'
                : mode === 'login'
                  ? 'Log in'
                  : 'Create account'}
            </button>
            {/* Sign-up hashes the password on purpose slowly (argon2id, OWASP's minimums): say that it is working. */}
            <p className="visually-hidden" role="status">
              {busy ? (mode === 'login' ? 'Logging in…' : 'Creating your account…') : ''}
            </p>
          </form>
        </div>
      </div>
    </main>
  );
}
