// What resolvers use of Web Push: the public key, and a session's subscriptions.
import type { Sql } from '../db/index.ts';
import {
  parseEndpoint,
  parseKeys,
  registerSubscription,
  unregisterSubscription,
  type SubscriptionArgs,
} from './subscriptions.ts';

export type PushService = {
  /** The VAPID public key (base64url); null when push is off. */
  publicKey: string | null;
  register(viewer: { userId: string; sessionId: string }, args: SubscriptionArgs): Promise<boolean>;
  unregister(userId: string, endpoint: string): Promise<boolean>;
  /** A message was stored (after its commit): its pushes go out soon. */
  messageStored(): void;
};

/** `publicKey` null: push is off; registration answers false (after checking its arguments). */
export function createPushService(sql: Sql, publicKey: string | null, messageStored = () => {}): PushService {
  return {
    publicKey,
    messageStored,
    register: async (viewer, args) => {
      if (publicKey !== null) return registerSubscription(sql, viewer, args);
      parseEndpoint(args.endpoint);
      parseKeys(args.p256dh, args.auth);
      return false;
    },
    unregister: (userId, endpoint) => unregisterSubscription(sql, userId, endpoint),
  };
}
