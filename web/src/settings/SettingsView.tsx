import { useEffect, useRef } from 'react';
import { Icon } from '../shared/Icon';
import { AppearanceSection } from './AppearanceSection';
import { BlockedSection } from './BlockedSection';
import { DeleteAccountSection } from './DeleteAccountSection';
import { ExportSection } from './ExportSection';
import { NotificationSettings } from './NotificationSettings';
import { PasswordSection } from './PasswordSection';
import { ProfileSection } from './ProfileSection';
import { SessionsSection } from './SessionsSection';

/**
 * The account's settings (`#/settings`, a chunk of its own loaded from the signed-in app): profile, password,
 * sessions, blocked people, appearance, notifications, the data export and deleting the account. Each section
 * loads, fails and retries on its own. The heading takes the focus when the view opens.
 *
 * `forget` drops what the features keep of the user on this device (ChatShell's: the outbox, remembered names),
 * for when the account is deleted.
 */
export function SettingsView(props: { onBack(): void; forget(): void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="settings" aria-labelledby="settings-title">
      <header className="settings__header">
        <button type="button" className="icon-button" onClick={props.onBack} aria-label="Back to conversations">
          <Icon size={22}>
            <path d="M15 18l-6-6 6-6" />
          </Icon>
        </button>
        <h2 id="settings-title" ref={heading} tabIndex={-1}>
          Settings
        </h2>
      </header>
      <div className="settings__body">
        <ProfileSection />
        <PasswordSection />
        <SessionsSection />
        <BlockedSection />
        <AppearanceSection />
        <NotificationSettings />
        <ExportSection />
        <DeleteAccountSection forget={props.forget} />
      </div>
    </section>
  );
}
