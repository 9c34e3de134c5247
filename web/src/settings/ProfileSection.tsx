import { useMutation } from '@apollo/client/react';
import { useRef, useState, type FormEvent } from 'react';
import { displayNameProblem, normalizeDisplayName } from '../../../shared/accountRules';
import { useSession, useViewer } from '../auth/session';
import { graphql } from '../gql';
import { Field } from './Field';
import { refusalOf, sentence } from './refusal';
import { SettingsSection } from './SettingsSection';

export const UpdateProfileMutation = graphql(`
  mutation UpdateProfile($displayName: String!) {
    updateProfile(displayName: $displayName) {
      id
      username
      displayName
    }
  }
`);

/**
 * The display name, checked as it is typed by the rules sign-up uses (shared/accountRules.ts, which the server
 * refuses with). Saved, it is this session's viewer at once (and kept for the next reload); peers see it live.
 */
export function ProfileSection() {
  const viewer = useViewer();
  const { confirm } = useSession();
  const [name, setName] = useState(viewer.displayName);
  const [touched, setTouched] = useState(false);
  const [refused, setRefused] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const [update, { loading }] = useMutation(UpdateProfileMutation);

  const rule = displayNameProblem(name);
  const problem = (touched && rule ? sentence(rule) : null) ?? refused;
  const unchanged = normalizeDisplayName(name) === normalizeDisplayName(viewer.displayName);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    setRefused(null);
    setSaved(false);
    if (rule) {
      input.current?.focus();
      return;
    }
    try {
      const { data } = await update({ variables: { displayName: normalizeDisplayName(name) } });
      if (data) {
        confirm(data.updateProfile);
        setName(data.updateProfile.displayName);
        setSaved(true);
      }
    } catch (error) {
      setRefused(refusalOf(error).message);
      input.current?.focus();
    }
  }

  return (
    <SettingsSection title="Profile" description={`Your username is @${viewer.username}; it cannot be changed.`}>
      <form className="settings-form" onSubmit={onSubmit} noValidate>
        <Field
          label="Display name"
          inputRef={input}
          name="displayName"
          autoComplete="nickname"
          value={name}
          problem={problem}
          hint="Shown to the people you talk to. Empty: your username."
          onChange={(e) => {
            setName(e.target.value);
            setTouched(true);
            setRefused(null);
            setSaved(false);
          }}
        />
        <div className="settings-form__actions">
          <button className="button button--primary" type="submit" disabled={loading || unchanged}>
            {loading ? 'Saving…' : 'Save name'}
          </button>
          <span className="settings-form__status" role="status">
            {saved ? 'Name saved.' : ''}
          </span>
        </div>
      </form>
    </SettingsSection>
  );
}
