// A classic script run inside the service worker (not part of the app's TypeScript build).
/**
 * Web Push in parley's service worker (issue #21). Workbox generates the worker (vite.config.ts) and imports this
 * script into it (`workbox.importScripts`), so the offline shell stays Workbox's and this file only adds:
 *
 * - `push`: one notification per conversation (tag `parley-chat-<peer id>`: the newest message replaces the older
 *   one, and alerts again unless the one it replaces is only seconds old — a burst alerts once). Nothing is shown
 *   when a visible, focused window already shows that conversation (asked of the window). The app badge follows
 *   the unread total.
 *   "Show message text in notifications" off (stored by the page in Cache storage, see
 *   src/push/previewSetting.ts): "New message from <name>" instead of the text.
 * - `notificationclick`: opens the conversation in a window of the app (the focused one, else any, told by
 *   postMessage: src/app/serviceWorkerMessages.ts), or in a new window when none is open.
 *
 * The payload is the server's (docs/api.md, "Web Push"): { conversationWithUserId, messageId, title, body,
 * unreadTotal }.
 */
(() => {
  const SETTINGS_CACHE = 'parley-settings';
  const PREVIEW_KEY = '/__parley/settings/push-preview';
  /** A replacement this soon after the one it replaces does not alert again. */
  const QUIET_REPLACE_MS = 10_000;
  /** Messages to the app's windows (src/app/serviceWorkerMessages.ts). */
  const OPEN_MESSAGE = 'parley:open-conversation';
  const WHICH_MESSAGE = 'parley:which-conversation';
  const ASK_TIMEOUT_MS = 1_000;

  const tagOf = (peerId) => `parley-chat-${peerId}`;
  const conversationHash = (peerId) => `#/chat/${encodeURIComponent(peerId)}`;

  /** Whether the person wants message text on this device (default: yes); read on every push. */
  async function showsText() {
    try {
      const stored = await (await caches.open(SETTINGS_CACHE)).match(PREVIEW_KEY);
      if (!stored) return true;
      return (await stored.json()).preview !== false;
    } catch {
      return true;
    }
  }

  async function setBadge(total) {
    const nav = self.navigator;
    if (typeof total !== 'number' || !nav) return;
    try {
      if (total > 0 && typeof nav.setAppBadge === 'function') await nav.setAppBadge(total);
      else if (total <= 0 && typeof nav.clearAppBadge === 'function') await nav.clearAppBadge();
    } catch {
      /* badges not allowed here (not installed): nothing to keep */
    }
  }

  /** The peer whose conversation a window's URL names (src/app/useRoute.ts); that URL may be stale, see below. */
  function peerInUrl(client) {
    try {
      const match = /^#\/chat\/([^/?#]+)/.exec(new URL(client.url).hash);
      return match ? decodeURIComponent(match[1]) : null;
    } catch {
      return null;
    }
  }

  /**
   * Whether a window shows `peerId`'s conversation to the person: visible and focused, and its route is that
   * conversation. The route is asked of the page (src/app/serviceWorkerMessages.ts): Chromium's Client.url does not
   * follow the app's hash changes. A page that does not answer in time is judged by its URL.
   */
  function shows(client, peerId) {
    if (client.visibilityState !== 'visible' || !client.focused) return Promise.resolve(false);
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      const timer = setTimeout(() => resolve(peerInUrl(client) === peerId), ASK_TIMEOUT_MS);
      channel.port1.onmessage = (event) => {
        clearTimeout(timer);
        const answer = event.data || {};
        resolve(answer.visible !== false && answer.peerId === peerId);
      };
      client.postMessage({ type: WHICH_MESSAGE }, [channel.port2]);
    });
  }

  const appWindows = () => self.clients.matchAll({ type: 'window', includeUncontrolled: true });

  function readPayload(event) {
    try {
      const data = event.data ? event.data.json() : null;
      return data && typeof data.conversationWithUserId === 'string' ? data : null;
    } catch {
      return null;
    }
  }

  async function onPush(event) {
    const data = readPayload(event);
    if (!data) {
      // Something we cannot read: say so rather than nothing (a push must show a notification).
      await self.registration.showNotification('parley', { body: 'You have new messages', tag: 'parley' });
      return;
    }
    await setBadge(data.unreadTotal);
    const peerId = data.conversationWithUserId;
    const windows = await appWindows();
    if ((await Promise.all(windows.map((w) => shows(w, peerId)))).includes(true)) return;

    const tag = tagOf(peerId);
    const name = typeof data.title === 'string' && data.title ? data.title : 'parley';
    const text = typeof data.body === 'string' ? data.body : '';
    const body = (await showsText()) && text ? text : `New message from ${name}`;
    const previous = await self.registration.getNotifications({ tag });
    const now = Date.now();
    const recent = previous.some((n) => typeof n.timestamp === 'number' && now - n.timestamp < QUIET_REPLACE_MS);
    await self.registration.showNotification(name, {
      body,
      tag,
      renotify: previous.length > 0 && !recent,
      timestamp: now,
      icon: '/favicon.svg',
      badge: '/favicon.svg',
      data: { peerId, messageId: data.messageId ?? null },
    });
  }

  async function openConversation(peerId) {
    const windows = (await appWindows()).filter((w) => new URL(w.url).origin === self.location.origin);
    const target = windows.find((w) => w.focused) ?? windows.find((w) => w.visibilityState === 'visible') ?? windows[0];
    if (!target) {
      await self.clients.openWindow(`/${conversationHash(peerId)}`);
      return;
    }
    target.postMessage({ type: OPEN_MESSAGE, peerId });
    try {
      await target.focus();
    } catch {
      /* focusing needs the click's permission; the conversation is open in it all the same */
    }
  }

  /** event.waitUntil, except for an event dispatched by script (it throws there: the work still runs). */
  function keepAlive(event, work) {
    const guarded = work.catch(() => undefined);
    try {
      event.waitUntil(guarded);
    } catch {
      /* not dispatched by the browser */
    }
  }

  self.addEventListener('push', (event) => keepAlive(event, onPush(event)));

  self.addEventListener('notificationclick', (event) => {
    const peerId = event.notification.data && event.notification.data.peerId;
    event.notification.close();
    if (typeof peerId === 'string') keepAlive(event, openConversation(peerId));
  });
})();
