import { hashOf, parseRoute } from './useRoute';

/** What the service worker posts (public/sw-push.js): change them together. */
export const OPEN_CONVERSATION = 'parley:open-conversation';
export const WHICH_CONVERSATION = 'parley:which-conversation';

/**
 * The page's side of Web Push in the service worker (public/sw-push.js); set up once at start-up, signed in or not.
 * - A click on a push notification opens its conversation in this window: the worker picks the window, focuses it
 *   and names the conversation; the route changes (a hash: app/useRoute.ts).
 * - Before showing a push, the worker asks each focused window which conversation it shows (a window's URL as the
 *   worker sees it does not follow hash changes in Chromium): the answer goes back on the port it sent.
 */
export function answerServiceWorker(): void {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('message', (event: MessageEvent) => {
    const data = event.data as { type?: unknown; peerId?: unknown } | null;
    if (data?.type === WHICH_CONVERSATION) {
      const route = parseRoute(window.location.hash);
      event.ports[0]?.postMessage({
        peerId: route.name === 'chat' ? route.peerId : null,
        visible: document.visibilityState === 'visible' && document.hasFocus(),
      });
    } else if (data?.type === OPEN_CONVERSATION && typeof data.peerId === 'string' && data.peerId) {
      window.location.hash = hashOf({ name: 'chat', peerId: data.peerId });
    }
  });
}
