import { useMutation } from '@apollo/client/react';
import { useRef, useState, type FormEvent } from 'react';
import { passwordProblem } from '../../../shared/accountRules';
import { graphql } from '../gql';
import { Field } from './Field';
import { refusalOf, sentence } from './refusal';
import { SettingsSection } from './SettingsSection';

export const ChangePasswordMutation = graphql(`
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
  }
`);

type Field = 'currentPassword' | 'newPassword';

/**
 * A new password, with the current one: the new one checked as it is typed by sign-up's rules. The server ends
 * every other session of the user; this one stays signed in.
 */
export function PasswordSection() {
  const [values, setValues] = useState<Record<Field, string>>({ currentPassword: '', newPassword: '' });
  const [shown, setShown] = useState<Partial<Record<Field, boolean>>>({});
  const [refused, setRefused] = useState<{ field: Field | null; message: string } | null>(null);
  const [done, setDone] = useState(false);
  const currentInput = useRef<HTMLInputElement>(null);
  const newInput = useRef<HTMLInputElement>(null);
  const focus = (field: Field) => (field === 'currentPassword' ? currentInput : newInput).current?.focus();
  const [change, { loading }] = useMutation(ChangePasswordMutation);

  const rules: Partial<Record<Field, string>> = {};
  if (!values.currentPassword) rules.currentPassword = 'Enter your current password.';
  const newProblem = passwordProblem(values.newPassword);
  if (newProblem) rules.newPassword = sentence(newProblem);
  const problemOf = (field: Field) =>
    (shown[field] ? rules[field] : undefined) ?? (refused?.field === field ? refused.message : undefined);

  const edit = (field: Field) => (value: string) => {
    setValues((previous) => ({ ...previous, [field]: value }));
    setDone(false);
    if (refused?.field === field || refused?.field === null) setRefused(null);
    // The new password is checked as it is typed; the current one only once submitted (or left).
    if (field === 'newPassword' && value) setShown((previous) => ({ ...previous, newPassword: true }));
  };

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setShown({ currentPassword: true, newPassword: true });
    setRefused(null);
    setDone(false);
    const first = (['currentPassword', 'newPassword'] as const).find((field) => rules[field]);
    if (first) {
      focus(first);
      return;
    }
    try {
      await change({ variables: values });
      setValues({ currentPassword: '', newPassword: '' });
      setShown({});
      setDone(true);
    } catch (error) {
      const refusal = refusalOf(error, 'currentPassword');
      const field = refusal.field === 'currentPassword' || refusal.field === 'newPassword' ? refusal.field : null;
      setRefused({ field, message: refusal.message });
      if (field) focus(field);
    }
  }

  return (
    <SettingsSection title="Password" description="Changing it signs you out everywhere else.">
      <form className="settings-form" onSubmit={onSubmit} noValidate>
        {/* For password managers: whose password this is. */}
        <Field
          label="Current password"
          inputRef={currentInput}
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          value={values.currentPassword}
          problem={problemOf('currentPassword')}
          onChange={(e) => edit('currentPassword')(e.target.value)}
          onBlur={() => values.currentPassword && setShown((s) => ({ ...s, currentPassword: true }))}
        />
        <Field
          label="New password"
          inputRef={newInput}
          name="newPassword"
          type="password"
          autoComplete="new-password"
          value={values.newPassword}
          problem={problemOf('newPassword')}
          onChange={(e) => edit('newPassword')(e.target.value)}
        />
        {refused?.field === null && (
          <p className="error" role="alert">
            {refused.message}
          </p>
        )}
        <div className="settings-form__actions">
          <button className="button button--primary" type="submit" disabled={loading} aria-busy={loading || undefined}>
            {loading ? 'Changing…' : 'Change password'}
          </button>
          <span className="settings-form__status" role="status">
            {done ? 'Password changed. Your other sessions were signed out.' : ''}
          </span>
        </div>
      </form>
    </SettingsSection>
  );
}
