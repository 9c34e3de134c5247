import { useMutation } from '@apollo/client/react';
import { useRef, useState, type FormEvent } from 'react';
import { normalizeUsername } from '../../../shared/accountRules';
import { useViewer } from '../auth/session';
import { tokenStore } from '../auth/tokenStore';
import { graphql } from '../gql';
import { Field } from './Field';
import { refusalOf } from './refusal';
import { SettingsSection } from './SettingsSection';

export const DeleteAccountMutation = graphql(`
  mutation DeleteAccount($password: String!) {
    deleteAccount(password: $password)
  }
`);

type Field = 'confirmation' | 'password';

/**
 * Leaving for good: the username typed out and the password. The server ends every session (this one's socket is
 * closed even before the answer arrives: tokenStore.endingSession('deleted') makes that the deletion, not an
 * ended session), erases the messages and frees the username; this device then forgets everything of the user
 * (`forget`: what the features keep in memory; auth/forgetAccount.ts: what is stored) and the login page says so.
 */
export function DeleteAccountSection(props: { forget(): void }) {
  const viewer = useViewer();
  const [values, setValues] = useState<Record<Field, string>>({ confirmation: '', password: '' });
  const [submitted, setSubmitted] = useState(false);
  const [refused, setRefused] = useState<{ field: Field | null; message: string } | null>(null);
  const confirmationInput = useRef<HTMLInputElement>(null);
  const passwordInput = useRef<HTMLInputElement>(null);
  const focus = (field: Field) => (field === 'confirmation' ? confirmationInput : passwordInput).current?.focus();
  const [deleteAccount, { loading }] = useMutation(DeleteAccountMutation);

  const rules: Partial<Record<Field, string>> = {};
  if (normalizeUsername(values.confirmation) !== viewer.username)
    rules.confirmation = values.confirmation ? 'That is not your username.' : `Type ${viewer.username} to confirm.`;
  if (!values.password) rules.password = 'Enter your password.';
  const problemOf = (field: Field) =>
    (submitted ? rules[field] : undefined) ?? (refused?.field === field ? refused.message : undefined);

  const edit = (field: Field) => (value: string) => {
    setValues((previous) => ({ ...previous, [field]: value }));
    if (refused?.field === field || refused?.field === null) setRefused(null);
  };

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (loading) return;
    setSubmitted(true);
    setRefused(null);
    const first = (['confirmation', 'password'] as const).find((field) => rules[field]);
    if (first) {
      focus(first);
      return;
    }
    const token = tokenStore.get();
    // However the session ends (the answer, or its socket closed first), this device forgets the user.
    const stopWatching = tokenStore.subscribe((next, why) => {
      if (next === null && why === 'deleted') props.forget();
    });
    const release = tokenStore.endingSession('deleted');
    try {
      await deleteAccount({ variables: { password: values.password } });
      if (tokenStore.get() === token) tokenStore.clear('deleted');
    } catch (error) {
      if (tokenStore.get() !== token) return; // deleted: its socket was closed before the answer came
      const refusal = refusalOf(error, 'password');
      const field = refusal.field === 'password' ? 'password' : null;
      setRefused({ field, message: refusal.message });
      if (field) focus(field);
    } finally {
      release();
      stopWatching();
    }
  }

  return (
    <SettingsSection
      title="Delete account"
      danger
      description="Your messages are erased for everyone, people see you as “Deleted user”, and your username is freed. This cannot be undone."
    >
      <form className="settings-form" onSubmit={onSubmit} noValidate aria-label="Delete account">
        <Field
          label={`Type your username (${viewer.username}) to confirm`}
          inputRef={confirmationInput}
          name="confirmUsername"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          value={values.confirmation}
          problem={problemOf('confirmation')}
          onChange={(e) => edit('confirmation')(e.target.value)}
        />
        <Field
          label="Password"
          inputRef={passwordInput}
          name="password"
          type="password"
          autoComplete="current-password"
          value={values.password}
          problem={problemOf('password')}
          onChange={(e) => edit('password')(e.target.value)}
        />
        {refused?.field === null && (
          <p className="error" role="alert">
            {refused.message}
          </p>
        )}
        <div className="settings-form__actions">
          <button className="button button--danger" type="submit" disabled={loading} aria-busy={loading || undefined}>
            {loading ? 'Deleting your account…' : 'Delete my account'}
          </button>
        </div>
      </form>
    </SettingsSection>
  );
}
