import { useSyncExternalStore } from 'react';
import { storageItem } from '../shared/storage';

/**
 * Desktop notifications for messages that arrive while the tab is hidden.
 *
 * Off until the user turns them on: permission is only ever asked from that
 * click (browsers ignore or penalise asking on load), and when the browser
 * refuses, they stay off. Turning them off again is remembered on this device.
 *
 * - `unsupported`: no Notification API here.
 * - `denied`: the browser refuses (the user blocked them; only browser settings can change it).
 * - `off`: not asked yet, dismissed, or turned off here.
 * - `on`: shown.
 */
export type NotificationState = 'unsupported' | 'denied' | 'off' | 'on';

const turnedOff = storageItem('parley.notifications');
const listeners = new Set<() => void>();
/** Open notifications by tag (one per conversation), to close when the conversation is read. */
const shown = new Map<string, Notification>();

function api(): typeof Notification | undefined {
  return typeof window !== 'undefined' && 'Notification' in window ? window.Notification : undefined;
}

function read(): NotificationState {
  const N = api();
  if (!N) return 'unsupported';
  if (N.permission === 'denied') return 'denied';
  return N.permission === 'granted' && turnedOff.getText() !== 'off' ? 'on' : 'off';
}

/** The state listeners last heard of. */
let announced: NotificationState = read();
function refresh() {
  const next = read();
  if (next === announced) return;
  announced = next;
  listeners.forEach((l) => l());
}

export const desktopNotifications = {
  /** Read afresh each time: the browser's permission can change without telling (settings, another tab). */
  state: read,

  /** From a user gesture only: asks the browser for permission if it was never given or refused. */
  async turnOn(): Promise<void> {
    const N = api();
    if (!N) return;
    turnedOff.remove();
    if (N.permission === 'default') {
      try {
        await N.requestPermission();
      } catch {
        /* an old callback-only API, or refused to ask: stays off */
      }
    }
    refresh();
  },

  turnOff(): void {
    turnedOff.setText('off');
    shown.forEach((n) => n.close());
    shown.clear();
    refresh();
  },

  /** Shows one, replacing the one with the same `tag` (here, in other tabs too); nothing unless on. */
  show(options: { tag: string; title: string; body: string; onClick(): void }): void {
    refresh();
    const N = api();
    if (!N || read() !== 'on') return;
    try {
      const notification = new N(options.title, { body: options.body, tag: options.tag, icon: '/favicon.svg' });
      shown.set(options.tag, notification);
      notification.onclick = () => {
        window.focus();
        options.onClick();
        notification.close();
      };
      notification.onclose = () => {
        if (shown.get(options.tag) === notification) shown.delete(options.tag);
      };
    } catch {
      /* e.g. Chrome on Android, where only a service worker may show one */
    }
  },

  close(tag: string): void {
    shown.get(tag)?.close();
    shown.delete(tag);
  },

  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    // What changed before anyone listened (the first listener after the page loaded, or after a while without any).
    refresh();
    // Permission changed in the browser's settings while away from the tab.
    window.addEventListener('focus', refresh);
    return () => {
      listeners.delete(listener);
      window.removeEventListener('focus', refresh);
    };
  },
};

/**
 * The state as listeners last heard of it (kept current by `subscribe`: on focus, and by turnOn/turnOff/show), not
 * read afresh: React asks for it several times per render, and the browser's permission is a synchronous call to
 * the browser process each time (issue #24).
 */
const lastAnnounced = () => announced;

export function useNotificationState(): NotificationState {
  return useSyncExternalStore(desktopNotifications.subscribe, lastAnnounced, lastAnnounced);
}
