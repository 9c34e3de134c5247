import { useQuery } from '@apollo/client/react';
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { Icon } from '../shared/Icon';
import { pushSupported } from './browserPush';
import { PushPublicKeyQuery } from './operations';
import { PushSettings } from './PushSettings';

/**
 * The sidebar's way to the push settings: a button that shows them in a panel under it (Escape closes it). Absent
 * where push is unavailable: the browser has no Web Push, or the server has push off (`pushPublicKey` null).
 * The settings stay mounted while the panel is closed, so that this device's subscription is kept in step with the
 * session and the browser's permission from the start (usePushNotifications).
 */
export function PushMenu({ viewerId }: { viewerId: string }) {
  const supported = pushSupported();
  const { data } = useQuery(PushPublicKeyQuery, { skip: !supported, fetchPolicy: 'cache-first' });
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const id = useId();
  if (!supported || !data?.pushPublicKey) return null;
  const close = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    setOpen(false);
    toggle.current?.focus();
  };
  return (
    <span className="push-menu">
      <button
        ref={toggle}
        type="button"
        className="icon-button push-menu__toggle"
        aria-label="Notification settings"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((was) => !was)}
      >
        <Icon size={20}>
          <path d="M4 6h10M18 6h2M4 12h4M12 12h8M4 18h12M20 18h0" />
          <circle cx="16" cy="6" r="2" />
          <circle cx="10" cy="12" r="2" />
          <circle cx="18" cy="18" r="2" />
        </Icon>
      </button>
      <div id={id} className="push-menu__panel" hidden={!open} onKeyDown={close}>
        <PushSettings viewerId={viewerId} />
      </div>
    </span>
  );
}
