import { signUpProblems, type AccountField } from '../../../shared/accountRules';

/** What the login page checks before it sends anything (LoginPage.tsx). */
export type FormMode = 'login' | 'signup';
export type Field = AccountField;
export type Problems = Partial<Record<Field, string>>;

/** The API's rule text, as a sentence under its field ("username must be …" → "Username must be …"). */
export const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * What is wrong with the form, by field, by the server's own rules (shared/accountRules.ts, which the API refuses
 * with): a log-in needs a username and a password; a sign-up, ones the server will accept.
 */
export function problemsOf(
  mode: FormMode,
  values: { username: string; password: string; displayName: string },
): Problems {
  const problems: Problems = {};
  if (mode === 'signup') {
    for (const [field, text] of Object.entries(signUpProblems(values))) problems[field as Field] = sentence(text);
  }
  if (!values.username.trim()) problems.username = 'Enter your username.';
  if (!values.password) problems.password = mode === 'login' ? 'Enter your password.' : 'Choose a password.';
  return problems;
}
