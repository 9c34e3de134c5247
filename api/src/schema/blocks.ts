// Blocking: who you do not want to hear from (issue #22). The rules themselves live where they apply: sendMessage's
// statement refuses a message between a blocked pair, typing and read receipts are not passed on, users(search:)
// leaves out whom you blocked (users/blocks.ts says which).
import { builder, viewerOf } from '../builder.ts';
import { blockedUsers, blockUser, unblockUser } from '../users/blocks.ts';
import { publishBlockViews } from '../chat/account-events.ts';
import { ConversationType } from './conversation.ts';
import { UserConnection } from './user.ts';

builder.objectFields(ConversationType, (t) => ({
  blockedByMe: t.boolean({
    description:
      'True while you have blocked the peer (blockUser): neither of you can send to the other, typing and read ' +
      'receipts are not exchanged. History stays readable.',
    resolve: async (c, _args, ctx) => (await ctx.blocks.of(c.viewerId)).byMe.has(c.peer.id),
  }),
  blockedMe: t.boolean({
    description:
      'True while the peer has blocked you: sendMessage to them is FORBIDDEN ("You can\'t message this person."), as ' +
      'it would tell you anyway. A client shows that instead of a composer.',
    resolve: async (c, _args, ctx) => (await ctx.blocks.of(c.viewerId)).me.has(c.peer.id),
  }),
}));

builder.queryFields((t) => ({
  blockedUsers: t.field({
    type: UserConnection,
    description: 'The people you have blocked, most recently blocked first. Relay paging forward (`first`/`after`).',
    args: {
      first: t.arg.int({ required: false, description: 'Page size, 1..100 (default 20).' }),
      after: t.arg.string({ required: false, description: 'Users after this cursor (`pageInfo.endCursor`).' }),
    },
    resolve: (_root, args, ctx) => blockedUsers(ctx.sql, viewerOf(ctx).id, args),
  }),
}));

builder.mutationFields((t) => ({
  blockUser: t.boolean({
    description:
      'Blocks a user: from now on neither of you can send to the other (FORBIDDEN "You can\'t message this person."), ' +
      'typing and read receipts are not exchanged, and they no longer appear in your users(search:). Your history ' +
      'with them stays readable to both. Idempotent: true. NOT_FOUND for an unknown user; BAD_USER_INPUT for yourself.',
    args: { userId: t.arg.id({ required: true, description: 'Whom to block.' }) },
    resolve: async (_root, args, ctx) => {
      const viewer = viewerOf(ctx);
      await ctx.throttle.cheap(viewer.id);
      const peerId = await blockUser(ctx, viewer.id, args.userId);
      await publishBlockViews(ctx, viewer.id, peerId);
      return true;
    },
  }),
  unblockUser: t.boolean({
    description:
      'Takes a block back: you can message each other again (unless they blocked you). Idempotent: true, also when ' +
      'you had not blocked them. NOT_FOUND for an unknown user.',
    args: { userId: t.arg.id({ required: true, description: 'Whom to unblock.' }) },
    resolve: async (_root, args, ctx) => {
      const viewer = viewerOf(ctx);
      await ctx.throttle.cheap(viewer.id);
      const peerId = await unblockUser(ctx, viewer.id, args.userId);
      await publishBlockViews(ctx, viewer.id, peerId);
      return true;
    },
  }),
}));
