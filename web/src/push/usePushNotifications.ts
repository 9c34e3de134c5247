import { useMutation, useQuery } from '@apollo/client/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from '../shared/errors';
import { pushDevice } from '../shared/pushDevice';
import { browserPush, keysOf, NotificationsBlocked, permission, pushSupported } from './browserPush';
import { PushPublicKeyQuery, RegisterPushSubscriptionMutation, UnregisterPushSubscriptionMutation } from './operations';

/**
 * - `unavailable`: no Web Push here (the browser cannot, or the server has push off): nothing to show.
 * - `loading`: still finding out.
 * - `blocked`: the browser refuses notifications for parley (only its settings can change that).
 * - `off` / `on`: this device gets pushes for the signed-in person, or not.
 */
export type PushStatus = 'unavailable' | 'loading' | 'blocked' | 'off' | 'on';

export interface PushNotifications {
  status: PushStatus;
  /** Waiting for the browser or the server. */
  busy: boolean;
  /** Why the last action did not happen. */
  error: string | null;
  enable(): Promise<void>;
  disable(): Promise<void>;
}

/**
 * Web Push for the signed-in person on this device (issue #21). Permission is asked only from `enable` (a click);
 * the subscription is told to the server (registerPushSubscription) and forgotten there on `disable`. On load, a
 * subscription this person made is told to the server again (a new session after a log-in elsewhere moves it);
 * one left by someone else, or kept after the browser blocked notifications, is ended.
 */
export function usePushNotifications(viewerId: string): PushNotifications {
  const supported = pushSupported();
  const { data, loading } = useQuery(PushPublicKeyQuery, { skip: !supported, fetchPolicy: 'cache-first' });
  const publicKey = data?.pushPublicKey ?? null;
  const [register] = useMutation(RegisterPushSubscriptionMutation);
  const [unregister] = useMutation(UnregisterPushSubscriptionMutation);
  const [subscribed, setSubscribed] = useState<boolean | null>(null);
  const [allowed, setAllowed] = useState(permission);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const running = useRef(false);

  /** Ends this device's subscription, here and on the server (best effort: the push service also forgets it). */
  const end = useCallback(async () => {
    pushDevice.clear();
    const endpoint = await browserPush.unsubscribe();
    if (endpoint) await unregister({ variables: { endpoint } }).catch(() => undefined);
    setSubscribed(false);
  }, [unregister]);

  // What this device holds, once the server's key is known, and whenever the person comes back to the tab
  // (permission may have been changed in the browser's settings meanwhile).
  useEffect(() => {
    if (!supported || !publicKey) return;
    let live = true;
    const check = async () => {
      const now = permission();
      setAllowed(now);
      const subscription = await browserPush.current().catch(() => null);
      if (!live || running.current) return;
      const mine = subscription !== null && pushDevice.enabledFor() === viewerId;
      if (subscription && (now !== 'granted' || !mine)) return end();
      setSubscribed(mine);
      if (mine && subscription) await register({ variables: keysOf(subscription) }).catch(() => undefined);
    };
    void check();
    window.addEventListener('focus', check);
    return () => {
      live = false;
      window.removeEventListener('focus', check);
    };
  }, [supported, publicKey, viewerId, register, end]);

  const act = useCallback(async (work: () => Promise<void>) => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      await work();
    } finally {
      running.current = false;
      setBusy(false);
      setAllowed(permission());
    }
  }, []);

  const enable = useCallback(
    () =>
      act(async () => {
        if (!publicKey) return;
        try {
          const keys = await browserPush.subscribe(publicKey);
          try {
            await register({ variables: keys });
          } catch (failure) {
            await browserPush.unsubscribe(); // not left subscribed with a server that does not know it
            throw failure;
          }
          pushDevice.set(viewerId);
          setSubscribed(true);
        } catch (failure) {
          if (!(failure instanceof NotificationsBlocked)) setError(describeError(failure));
          else if (permission() !== 'denied') setError('Notifications were not allowed: they stay off.');
        }
      }),
    [act, publicKey, register, viewerId],
  );

  const disable = useCallback(() => act(end), [act, end]);

  let status: PushStatus;
  if (!supported || (!loading && !publicKey)) status = 'unavailable';
  else if (allowed === 'denied') status = 'blocked';
  else if (loading || subscribed === null) status = 'loading';
  else status = subscribed ? 'on' : 'off';
  return { status, busy, error, enable, disable };
}
