// Your account: profile, password, where you are signed in, and leaving for good (issue #22).
import { builder, viewerOf } from '../builder.ts';
import type { SessionInfo } from '../auth/session-list.ts';
import { parseSessionId, SESSION_NOT_FOUND } from '../auth/session-list.ts';
import { notFound } from '../errors.ts';
import { changePassword, updateProfile } from '../users/profile.ts';
import { publishToPeers } from '../chat/account-events.ts';
import { deleteAccount } from './account-deletion.ts';
import { connectionTypes } from './connection.ts';
import { UserType } from './user.ts';

const SessionType = builder.objectRef<SessionInfo & { current: boolean }>('Session').implement({
  description: 'A place you are signed in: one log-in (or sign-up) on one device, until it is logged out or expires.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable unique id of the session (a UUID); logOutSession takes it.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When you logged in (or signed up).' }),
    lastSeenAt: t.expose('lastSeenAt', {
      type: 'DateTime',
      description: 'When the session was last used, to within a few minutes (it is not written on every request).',
    }),
    userAgent: t.exposeString('userAgent', {
      nullable: true,
      description:
        'The User-Agent the client sent when it logged in, shortened to at most 200 characters; null when none.',
    }),
    current: t.exposeBoolean('current', { description: 'True for the session of the token this request carries.' }),
  }),
});

const SessionConnection = connectionTypes('Session', SessionType, 'session');

builder.queryFields((t) => ({
  sessions: t.field({
    type: SessionConnection,
    description:
      'Where you are signed in: your open sessions (not logged out, not expired), most recently created first. ' +
      'Relay paging forward (`first`/`after`).',
    args: {
      first: t.arg.int({ required: false, description: 'Page size, 1..100 (default 20).' }),
      after: t.arg.string({ required: false, description: 'Sessions after this cursor (`pageInfo.endCursor`).' }),
    },
    resolve: async (_root, args, ctx) => {
      const page = await ctx.sessions.list(viewerOf(ctx).id, args);
      const current = ctx.session?.id;
      return {
        ...page,
        edges: page.edges.map((e) => ({ cursor: e.cursor, node: { ...e.node, current: e.node.id === current } })),
      };
    },
  }),
}));

builder.mutationFields((t) => ({
  updateProfile: t.field({
    type: UserType,
    description:
      'Changes your display name, with the rules of signUp (BAD_USER_INPUT, argument displayName); an empty name ' +
      'means your username. Your peers see it at once: each conversation of yours is sent to them again by ' +
      'conversationUpdated.',
    args: {
      displayName: t.arg.string({
        required: true,
        description: 'Name shown to others, up to 64 characters, no control characters; "" for your username.',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const viewer = viewerOf(ctx);
      await ctx.throttle.cheap(viewer.id);
      const user = await updateProfile(ctx, viewer, args);
      await publishToPeers(ctx, viewer.id);
      return user;
    },
  }),
  changePassword: t.boolean({
    description:
      'Changes your password. UNAUTHENTICATED when currentPassword is wrong (throttled like logIn: RATE_LIMITED ' +
      'after too many failures); BAD_USER_INPUT (newPassword) when the new one breaks the signUp rules. Every OTHER ' +
      'session of yours is ended at once, on every instance, and its sockets are closed (4403); this one stays. True.',
    args: {
      currentPassword: t.arg.string({ required: true, description: 'Your password now.' }),
      newPassword: t.arg.string({ required: true, description: 'The new password: 8..256 characters.' }),
    },
    resolve: async (_root, args, ctx) => {
      const viewer = viewerOf(ctx);
      await changePassword(ctx, viewer, args);
      const ended = await ctx.sessions.endOthers(viewer.id, ctx.session!.id);
      ctx.log.info({ userId: viewer.id, endedSessions: ended }, 'password changed');
      return true;
    },
  }),
  logOutSession: t.boolean({
    description:
      'Ends one of your sessions (from `sessions`): its token is refused from then on, on every instance, and its ' +
      'sockets are closed. True when it was open, false when it had already ended; NOT_FOUND when no session of ' +
      'yours has this id.',
    args: { id: t.arg.id({ required: true, description: 'The session (Session.id).' }) },
    resolve: async (_root, args, ctx) => {
      const viewer = viewerOf(ctx);
      const id = parseSessionId(args.id, 'id');
      const result = await ctx.sessions.endById(viewer.id, id);
      if (result === 'unknown') throw notFound(SESSION_NOT_FOUND);
      return result === 'ended';
    },
  }),
  deleteAccount: t.boolean({
    description:
      'Deletes your account for good. UNAUTHENTICATED when password is wrong (throttled like logIn). Every session ' +
      'of yours ends and its sockets close; every message you sent becomes a tombstone (text, reactions and ' +
      'attachments erased) for your peers, live; you are shown to them as "Deleted user"; your username is free ' +
      'again; nobody can log in to the account again. True.',
    args: { password: t.arg.string({ required: true, description: 'Your password, to confirm.' }) },
    resolve: async (_root, args, ctx) => {
      await deleteAccount(ctx, viewerOf(ctx), args);
      return true;
    },
  }),
}));
