import { builder, signInError, viewerOf } from '../builder.ts';
import type { PublicUser } from '../users/types.ts';
import { searchUsers } from '../users/directory.ts';
import { connectionTypes } from './connection.ts';

export const UserType = builder.objectRef<PublicUser>('User').implement({
  description: 'A person who can chat.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable unique id (a UUID).' }),
    username: t.exposeString('username', {
      description: 'Unique handle used to log in and to find people; lower-case.',
    }),
    displayName: t.exposeString('displayName', { description: 'Name to show in conversations.' }),
  }),
});

export const UserConnection = connectionTypes('User', UserType, 'user');

builder.queryFields((t) => ({
  me: t.field({
    type: UserType,
    nullable: true,
    skipTypeScopes: true, // public: null without a token
    description:
      'The signed-in user; null when no token is sent. An invalid or expired token is an UNAUTHENTICATED error.',
    resolve: (_root, _args, ctx) => {
      if (ctx.authError) throw signInError(ctx);
      return ctx.viewer;
    },
  }),
  users: t.field({
    type: UserConnection,
    description:
      'People to start a chat with (everyone but you, the people you blocked and deleted accounts), ordered by username.',
    args: {
      search: t.arg.string({
        required: false,
        description: 'Only users whose username or display name contains this text (case-insensitive).',
      }),
      first: t.arg.int({ required: false, description: 'Page size, 1..100 (default 20).' }),
      after: t.arg.string({ required: false, description: 'Return users after this cursor (`pageInfo.endCursor`).' }),
    },
    resolve: (_root, args, ctx) => searchUsers(ctx.prisma, viewerOf(ctx).id, args),
  }),
}));
