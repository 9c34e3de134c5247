import { desktopNotifications, useNotificationState } from './notifications';
import { Icon } from '../shared/Icon';

/** Bell in the sidebar header: turns desktop notifications on (asking permission from this click) or off. */
export function NotificationToggle({ className = '' }: { className?: string }) {
  const state = useNotificationState();
  if (state === 'unsupported') return null;
  const on = state === 'on';
  const denied = state === 'denied';
  const hint = denied
    ? 'Desktop notifications are blocked in this browser’s settings'
    : on
      ? 'Desktop notifications are on: click to turn them off'
      : 'Turn on desktop notifications for messages that arrive while parley is in the background';
  return (
    <button
      type="button"
      className={`icon-button notification-toggle notification-toggle--${state} ${className}`}
      aria-label="Desktop notifications"
      title={hint}
      aria-pressed={on}
      disabled={denied}
      data-state={state}
      onClick={() => (on ? desktopNotifications.turnOff() : void desktopNotifications.turnOn())}
    >
      <Icon size={20}>
        <path d="M18 8a6 6 0 10-12 0c0 7-3 9-3 9h18s-3-2-3-9M13.73 21a2 2 0 01-3.46 0" />
        {!on && <path d="M3 3l18 18" />}
      </Icon>
    </button>
  );
}
