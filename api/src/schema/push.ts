// Web Push: the server's VAPID key, a session's push subscriptions, and muting a conversation.
import { builder, viewerOf } from '../builder.ts';
import { setConversationMuted } from '../chat/mute.ts';
import { ConversationType } from './conversation.ts';

builder.objectField(ConversationType, 'muted', (t) =>
  t.exposeBoolean('muted', {
    description:
      'You muted it (setConversationMuted): its messages send you no Web Push. Its unread count still counts.',
  }),
);

builder.queryFields((t) => ({
  pushPublicKey: t.string({
    nullable: true,
    description:
      "The server's VAPID public key (base64url, an uncompressed P-256 point): `applicationServerKey` for " +
      '`PushManager.subscribe`. Null when this server sends no Web Push (PUSH=off). Requires sign-in.',
    resolve: (_root, _args, ctx) => ctx.push.publicKey,
  }),
}));

builder.mutationFields((t) => ({
  registerPushSubscription: t.boolean({
    description:
      "Registers a browser's push subscription (`PushSubscription.toJSON()`) for this session: each message to you " +
      'is then pushed to it, until this session ends (logOut, logOutEverywhere), unregisterPushSubscription, or ' +
      'the push service drops it. An endpoint registered again moves to this session. False when push is off. ' +
      'BAD_USER_INPUT for an endpoint that is not https: (http: only to a loopback host) or keys that are not ' +
      'valid. Requires sign-in.',
    args: {
      endpoint: t.arg.string({ required: true, description: 'The push service URL (`subscription.endpoint`).' }),
      p256dh: t.arg.string({
        required: true,
        description: "`keys.p256dh`: the browser's P-256 public key, uncompressed (65 bytes), base64url.",
      }),
      auth: t.arg.string({ required: true, description: '`keys.auth`: the 16-byte auth secret, base64url.' }),
    },
    resolve: (_root, args, ctx) => {
      const viewer = viewerOf(ctx);
      return ctx.push.register({ userId: viewer.id, sessionId: ctx.session!.id }, args);
    },
  }),
  unregisterPushSubscription: t.boolean({
    description:
      'Stops pushes to a subscription of yours (call it after `PushSubscription.unsubscribe()`). True when it was ' +
      'registered. Requires sign-in.',
    args: { endpoint: t.arg.string({ required: true, description: 'The push service URL it was registered with.' }) },
    resolve: (_root, args, ctx) => ctx.push.unregister(viewerOf(ctx).id, args.endpoint),
  }),
  setConversationMuted: t.field({
    type: ConversationType,
    description:
      'Mutes (no Web Push for its messages) or unmutes your conversation with one user; its unread count still ' +
      'counts. NOT_FOUND when the user does not exist or you have no conversation yet. Requires sign-in.',
    args: {
      withUserId: t.arg.id({ required: true, description: 'The other participant.' }),
      muted: t.arg.boolean({ required: true, description: 'True: no push for this conversation; false: push again.' }),
    },
    resolve: async (_root, args, ctx) => {
      const viewer = viewerOf(ctx);
      await ctx.throttle.cheap(viewer.id);
      return setConversationMuted(ctx.sql, viewer.id, args);
    },
  }),
}));
