// The account rules (sign-up's username, password and display name), shared by the API (api/src/users/accounts.ts
// refuses with these messages) and the web client (auth/LoginPage.tsx checks them as the person types), so the two
// never disagree. No imports: both sides load it as it is (the login route's bundle stays small).

export type AccountField = 'username' | 'password' | 'displayName';

export const USERNAME_RULE = '3..32 characters: letters, digits, ".", "_" or "-"';
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;
export const DISPLAY_NAME_MAX = 64;

/** Usernames are case-insensitive: stored and compared lower-cased, without surrounding spaces. */
export function normalizeUsername(value: string): string {
  return value.trim().toLowerCase();
}

/** Bidi embedding, override and isolate controls: in a name they make text render in another order (spoofing). */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;

/** What is wrong with a username (null: nothing), in the API's words. */
export function usernameProblem(value: string): string | null {
  return /^[a-z0-9._-]{3,32}$/.test(normalizeUsername(value)) ? null : `username must be ${USERNAME_RULE}.`;
}

export function passwordProblem(value: string): string | null {
  if (value.length < PASSWORD_MIN) return `password must be at least ${PASSWORD_MIN} characters.`;
  if (value.length > PASSWORD_MAX) return `password must be at most ${PASSWORD_MAX} characters.`;
  return null;
}

/** A display name as stored: spaces collapsed; empty means "use the username". */
export function normalizeDisplayName(value: string | null | undefined): string {
  return (value ?? '').trim().replace(/\s+/g, ' ');
}

export function displayNameProblem(value: string | null | undefined): string | null {
  const name = normalizeDisplayName(value);
  if (BIDI_CONTROLS.test(name) || /[\p{Cc}]/u.test(name))
    return 'displayName must not contain control or bidirectional override characters.';
  if ([...name].length > DISPLAY_NAME_MAX) return `displayName must be at most ${DISPLAY_NAME_MAX} characters.`;
  return null;
}

/** Every problem of a sign-up, by field (an empty object: the server will accept its shape). */
export function signUpProblems(input: {
  username: string;
  password: string;
  displayName?: string | null;
}): Partial<Record<AccountField, string>> {
  const problems: Partial<Record<AccountField, string>> = {};
  const username = usernameProblem(input.username);
  const password = passwordProblem(input.password);
  const displayName = displayNameProblem(input.displayName);
  if (username) problems.username = username;
  if (displayName) problems.displayName = displayName;
  if (password) problems.password = password;
  return problems;
}
