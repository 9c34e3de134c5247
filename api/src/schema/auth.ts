import { builder } from '../builder.ts';
import type { PublicUser } from '../users/types.ts';
import { logIn, signUp, USERNAME_RULE } from '../users/accounts.ts';
import { UserType } from './user.ts';

const AuthPayload = builder.objectRef<{ token: string; user: PublicUser }>('AuthPayload').implement({
  description: 'The result of signing up or logging in.',
  fields: (t) => ({
    token: t.exposeString('token', {
      description:
        'A JWT. Send it as `Authorization: Bearer <token>` over HTTP/SSE, or as `connectionParams: { authorization: "Bearer <token>" }` over graphql-ws.',
    }),
    user: t.field({ type: UserType, description: 'The signed-in user.', resolve: (p) => p.user }),
  }),
});

builder.mutationFields((t) => ({
  signUp: t.field({
    type: AuthPayload,
    description: 'Creates an account and signs in. BAD_USER_INPUT when the username is taken or an argument is invalid.',
    args: {
      username: t.arg.string({ required: true, description: `Unique handle, ${USERNAME_RULE}; case-insensitive.` }),
      password: t.arg.string({ required: true, description: 'At least 8 characters.' }),
      displayName: t.arg.string({
        required: false,
        description: 'Name shown to others, up to 64 characters; defaults to the username.',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const user = await signUp(ctx.prisma, args);
      ctx.log.info({ userId: user.id }, 'user signed up');
      return { user, token: await ctx.tokens.sign(user.id) };
    },
  }),
  logIn: t.field({
    type: AuthPayload,
    description: 'Signs in with username and password. UNAUTHENTICATED when they do not match.',
    args: {
      username: t.arg.string({ required: true, description: 'The username (case-insensitive).' }),
      password: t.arg.string({ required: true, description: 'The password.' }),
    },
    resolve: async (_root, args, ctx) => {
      const user = await logIn(ctx.prisma, args);
      return { user, token: await ctx.tokens.sign(user.id) };
    },
  }),
}));
