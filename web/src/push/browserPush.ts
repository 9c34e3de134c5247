/**
 * The browser's side of Web Push: permission, and this device's subscription with the browser's push service
 * (`pushManager`, on the service worker's registration). No GraphQL here: usePushNotifications tells the server.
 */

/** A subscription as the server takes it (registerPushSubscription). */
export interface PushKeys {
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** The browser refuses notifications for this site: only its settings can change that. */
export class NotificationsBlocked extends Error {
  constructor() {
    super('Notifications are blocked in your browser settings');
  }
}

/** Whether this browser can receive pushes here (a service worker, the Push API and notifications). */
export function pushSupported(): boolean {
  return (
    typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window
  );
}

export function permission(): NotificationPermission {
  return pushSupported() ? Notification.permission : 'denied';
}

const REGISTRATION_WAIT_MS = 10_000;

/** The service worker's registration (the app registers it at start-up, shared/serviceWorker.ts). */
async function registration(): Promise<ServiceWorkerRegistration> {
  const existing = await navigator.serviceWorker.getRegistration();
  if (existing) return existing;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('The app’s service worker is not running here.')), REGISTRATION_WAIT_MS);
  });
  try {
    return await Promise.race([navigator.serviceWorker.ready, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function base64Url(bytes: ArrayBuffer | null): string {
  if (!bytes) return '';
  let text = '';
  for (const byte of new Uint8Array(bytes)) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(text.length / 4) * 4, '=');
  const raw = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

export function keysOf(subscription: PushSubscription): PushKeys {
  return {
    endpoint: subscription.endpoint,
    p256dh: base64Url(subscription.getKey('p256dh')),
    auth: base64Url(subscription.getKey('auth')),
  };
}

/** Whether `subscription` was made for this server key (a server whose key changed needs a new one). */
function madeFor(subscription: PushSubscription, publicKey: string): boolean {
  const key = subscription.options?.applicationServerKey;
  return !key || base64Url(key) === base64Url(fromBase64Url(publicKey).buffer);
}

export const browserPush = {
  /** This device's subscription, if any (whoever made it). */
  async current(): Promise<PushSubscription | null> {
    if (!pushSupported()) return null;
    const reg = await navigator.serviceWorker.getRegistration();
    return (await reg?.pushManager.getSubscription()) ?? null;
  },

  /**
   * From the person's click only: asks for permission when never asked, then subscribes with the server's key
   * (a subscription for another key is replaced). Rejects with NotificationsBlocked when refused.
   */
  async subscribe(publicKey: string): Promise<PushKeys> {
    if (!pushSupported()) throw new Error('This browser cannot receive notifications.');
    let allowed = Notification.permission;
    if (allowed === 'default') allowed = await Notification.requestPermission();
    if (allowed !== 'granted') throw new NotificationsBlocked();
    const reg = await registration();
    const existing = await reg.pushManager.getSubscription();
    if (existing && madeFor(existing, publicKey)) return keysOf(existing);
    await existing?.unsubscribe();
    const subscription = await reg.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: fromBase64Url(publicKey),
    });
    return keysOf(subscription);
  },

  /** Ends this device's subscription with the push service; resolves to its endpoint (null: there was none). */
  async unsubscribe(): Promise<string | null> {
    const subscription = await browserPush.current().catch(() => null);
    if (!subscription) return null;
    await subscription.unsubscribe().catch(() => false);
    return subscription.endpoint;
  },
};
