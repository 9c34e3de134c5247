import { builder, viewerOf } from '../builder.ts';
import type { PublicUser } from '../users/types.ts';
import { logIn, signUp, USERNAME_RULE } from '../users/accounts.ts';
import { UserType } from './user.ts';

const AuthPayload = builder.objectRef<{ token: string; user: PublicUser }>('AuthPayload').implement({
  description: 'The result of signing up or logging in.',
  fields: (t) => ({
    token: t.exposeString('token', {
      description:
        'A JWT naming a new session. Send it as `Authorization: Bearer <token>` over HTTP/SSE, or as ' +
        '`connectionParams: { authorization: "Bearer <token>" }` over graphql-ws. Valid until it expires (JWT_TTL) ' +
        'or logOut / logOutEverywhere ends its session.',
    }),
    user: t.field({ type: UserType, description: 'The signed-in user.', resolve: (p) => p.user }),
  }),
});

builder.mutationFields((t) => ({
  signUp: t.field({
    type: AuthPayload,
    skipTypeScopes: true, // public: how a token is got
    description:
      'Creates an account and signs in. BAD_USER_INPUT when the username is taken or an argument is invalid.',
    args: {
      username: t.arg.string({ required: true, description: `Unique handle, ${USERNAME_RULE}; case-insensitive.` }),
      password: t.arg.string({ required: true, description: 'At least 8 characters.' }),
      displayName: t.arg.string({
        required: false,
        description: 'Name shown to others, up to 64 characters; defaults to the username.',
      }),
    },
    resolve: async (_root, args, ctx) => {
      await ctx.throttle.signUp(ctx.clientIp);
      const user = await signUp(ctx.prisma, args);
      ctx.log.info({ userId: user.id }, 'user signed up');
      return { user, token: await ctx.sessions.start(user.id, ctx.userAgent) };
    },
  }),
  logIn: t.field({
    type: AuthPayload,
    skipTypeScopes: true, // public: how a token is got
    description: 'Signs in with username and password. UNAUTHENTICATED when they do not match.',
    args: {
      username: t.arg.string({ required: true, description: 'The username (case-insensitive).' }),
      password: t.arg.string({ required: true, description: 'The password.' }),
    },
    resolve: async (_root, args, ctx) => {
      const user = await logIn(ctx, args);
      return { user, token: await ctx.sessions.start(user.id, ctx.userAgent) };
    },
  }),
  logOut: t.boolean({
    description:
      'Ends the session of the token this request carries: the token is refused from then on, on every instance, ' +
      'and sockets opened with it are closed (4403). True when the session was open.',
    resolve: (_root, _args, ctx) => {
      const viewer = viewerOf(ctx);
      return ctx.sessions.end(viewer.id, ctx.session!.id);
    },
  }),
  logOutEverywhere: t.int({
    description: 'Ends every open session of yours (every device), this one included. Returns how many were ended.',
    resolve: (_root, _args, ctx) => ctx.sessions.endAll(viewerOf(ctx).id),
  }),
}));
