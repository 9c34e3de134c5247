import { useViewer } from '../auth/session';
import { PushSettings } from '../push/PushSettings';
import { SettingsSection } from './SettingsSection';

/**
 * Notifications: the inbox's bell (desktop notifications while the tab is hidden) and, where the browser and the
 * server have Web Push, the push settings (push/PushSettings.tsx, also behind the sidebar's notification button):
 * enable or turn off, and whether a notification shows the message's text.
 */
export function NotificationSettings() {
  const viewer = useViewer();
  return (
    <SettingsSection title="Notifications">
      <p className="muted">
        Desktop notifications for messages that arrive while parley is in the background: turn them on or off with the
        bell at the top of your inbox.
      </p>
      <PushSettings viewerId={viewer.id} />
    </SettingsSection>
  );
}
