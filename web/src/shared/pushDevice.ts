import { storageItem } from './storage';

/**
 * Who turned Web Push on in this browser (issue #21): the browser's subscription belongs to the device, not to a
 * person, so the id of the user who chose it is kept beside it. Read by the push settings (push/) to tell their own
 * subscription from one left by someone else, and by the inbox (inbox/useConversationUpdates.ts), which leaves
 * background notifications to the service worker while push is on.
 */
const owner = storageItem('parley.push');

export const pushDevice = {
  enabledFor(): string | null {
    return owner.getText();
  },
  set(userId: string): void {
    owner.setText(userId);
  },
  clear(): void {
    owner.remove();
  },
};

/** The tag of a conversation's push notification (public/sw-push.js uses the same). */
export const pushTag = (peerId: string) => `parley-chat-${peerId}`;

/** Closes the service worker's notification for a conversation (read here or elsewhere). */
export function closePushNotification(peerId: string): void {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  void navigator.serviceWorker
    .getRegistration()
    .then((registration) => registration?.getNotifications({ tag: pushTag(peerId) }))
    .then((shown) => shown?.forEach((notification) => notification.close()))
    .catch(() => undefined);
}
