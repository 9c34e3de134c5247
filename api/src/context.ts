// The per-operation context: who is asking (from the HTTP Authorization header, or graphql-ws connectionParams)
// and the services resolvers use.
import type { TokenService } from './auth/tokens.ts';
import { bearerToken } from './auth/tokens.ts';
import type { ViewerCache } from './auth/viewers.ts';
import type { ChatPubSub } from './chat/events.ts';
import type { MessageFeed } from './chat/live.ts';
import type { Typing } from './chat/typing.ts';
import type { PublicUser } from './users/types.ts';
import type { PrismaClient, Sql } from './db/index.ts';
import type { Logger } from './logger.ts';
import { isDatabaseUnavailable, serviceUnavailable, unauthenticated } from './errors.ts';

export type Viewer = PublicUser;

export type Services = {
  prisma: PrismaClient;
  sql: Sql;
  pubsub: ChatPubSub;
  feed: MessageFeed;
  typing: Typing;
  tokens: TokenService;
  viewers: ViewerCache;
  log: Logger;
};

export type Context = Services & {
  viewer: Viewer | null;
  /** Why a presented token was refused (expired, malformed, unknown user); null when none was presented. */
  authError: string | null;
};

export type Authentication = { viewer: Viewer | null; authError: string | null };

/** Resolves `Authorization` (header or connectionParams value) into the signed-in user. */
export async function authenticate(services: Services, authorization: unknown): Promise<Authentication> {
  const token = bearerToken(authorization);
  if (token === undefined) return { viewer: null, authError: null };
  if (token === null) return { viewer: null, authError: 'Authorization must be "Bearer <token>".' };
  const verified = await services.tokens.verify(token);
  if ('error' in verified) return { viewer: null, authError: verified.error };
  // During an outage the look-up fails for every request: a clear, retryable answer (logged once, by db/outage.ts).
  const user = await services.viewers.get(verified.userId).catch((err: unknown) => {
    throw isDatabaseUnavailable(err) ? serviceUnavailable() : err;
  });
  if (!user) return { viewer: null, authError: 'The token belongs to a user that no longer exists: sign up again.' };
  return { viewer: user, authError: null };
}

/** The `authorization` entry of graphql-ws connectionParams (or of the headers GraphiQL sends with each
 * operation), whatever its letter case: people write "Authorization". */
export function authorizationParam(params: Record<string, unknown> | undefined): unknown {
  if (!params) return undefined;
  const key = Object.keys(params).find((k) => k.toLowerCase() === 'authorization');
  return key ? params[key] : undefined;
}

/** The signed-in user, or an UNAUTHENTICATED error. */
export function requireViewer(ctx: Context): Viewer {
  if (!ctx.viewer) throw unauthenticated(ctx.authError ?? undefined);
  return ctx.viewer;
}
