import { useEffect, useId, useState } from 'react';
import { previewSetting } from './previewSetting';
import { usePushNotifications } from './usePushNotifications';

export const BLOCKED_TEXT = 'Notifications are blocked in your browser settings';

/**
 * Notifications on this device (issue #21), a section of its own so that it can sit in any settings area: turning
 * Web Push on (permission is asked from that click, never before) or off, and whether notifications show the
 * message text. Renders nothing where push is unavailable (the browser cannot, or the server has push off).
 */
export function PushSettings({ viewerId }: { viewerId: string }) {
  const push = usePushNotifications(viewerId);
  const ids = useId();
  if (push.status === 'unavailable') return null;
  const on = push.status === 'on';
  const waiting = push.busy || push.status === 'loading';
  return (
    <section className="push-settings" aria-labelledby={`${ids}-title`} data-status={push.status}>
      <h2 id={`${ids}-title`} className="push-settings__title">
        Notifications
      </h2>
      {push.status === 'blocked' ? (
        <p className="push-settings__state" role="status">
          {BLOCKED_TEXT}
        </p>
      ) : (
        <>
          <p className="muted push-settings__state" role="status">
            {push.status === 'loading'
              ? 'Checking…'
              : on
                ? 'On for this device: new messages reach you even with parley closed.'
                : 'Get a notification for new messages, even with parley closed.'}
          </p>
          <button
            type="button"
            className={`button${on ? ' button--ghost' : ''} push-settings__toggle`}
            // aria-disabled, not disabled: the focus stays on the button while the browser and the server answer.
            onClick={() => !waiting && void (on ? push.disable() : push.enable())}
            aria-disabled={waiting}
          >
            {push.busy ? (on ? 'Turning off…' : 'Enabling…') : on ? 'Turn off notifications' : 'Enable notifications'}
          </button>
          {on && <PreviewToggle />}
        </>
      )}
      {push.error && (
        <p className="error push-settings__error" role="alert">
          {push.error}
        </p>
      )}
    </section>
  );
}

/** "Show message text in notifications": kept on this device, where the service worker reads it. */
function PreviewToggle() {
  const [preview, setPreview] = useState<boolean | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void previewSetting.get().then((value) => live && setPreview(value));
    return () => {
      live = false;
    };
  }, []);
  if (!previewSetting.available()) return null;
  const change = (next: boolean) => {
    setPreview(next);
    setProblem(null);
    previewSetting.set(next).catch(() => {
      setPreview(!next);
      setProblem('Could not keep this setting on this device.');
    });
  };
  return (
    <>
      <label className="push-settings__preview">
        <input
          type="checkbox"
          checked={preview ?? true}
          disabled={preview === null}
          onChange={(event) => change(event.target.checked)}
        />
        Show message text in notifications
      </label>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}
