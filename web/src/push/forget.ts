import { pushDevice } from '../shared/pushDevice';
import { browserPush } from './browserPush';

/**
 * On log-out (this device): this person's subscription ends with the session — here with the browser's push
 * service; the server drops a session's subscriptions when the session ends.
 */
export function forgetPushSubscription(): void {
  if (!pushDevice.enabledFor()) return;
  pushDevice.clear();
  void browserPush.unsubscribe();
}
