// The per-operation context: who is asking (from the HTTP Authorization header, or graphql-ws connectionParams)
// and the services resolvers use.
import type { TokenService } from './auth/tokens.ts';
import { bearerToken } from './auth/tokens.ts';
import type { Sessions } from './auth/sessions.ts';
import type { ViewerCache } from './auth/viewers.ts';
import type { ChatPubSub } from './chat/events.ts';
import type { MessageFeed } from './chat/live.ts';
import type { Typing } from './chat/typing.ts';
import type { PublicUser } from './users/types.ts';
import type { PrismaClient, Sql } from './db/index.ts';
import type { Logger } from './logger.ts';
import type { Throttle } from './throttle.ts';
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
  sessions: Sessions;
  throttle: Throttle;
  log: Logger;
};

/** The session a request is signed in with. */
export type SessionRef = { id: string; expiresAt: Date };

export type Authentication = {
  viewer: Viewer | null;
  session: SessionRef | null;
  /** Why a presented token was refused (expired, ended, malformed, unknown user); null when none was presented. */
  authError: string | null;
};

export type Context = Services &
  Authentication & {
    /** The client's address (the socket's, or X-Forwarded-For's first with TRUST_PROXY): what throttling counts. */
    clientIp: string;
  };

/** Resolves `Authorization` (header or connectionParams value) into the signed-in user. */
export async function authenticate(services: Services, authorization: unknown): Promise<Authentication> {
  const refused = (authError: string) => ({ viewer: null, session: null, authError });
  const token = bearerToken(authorization);
  if (token === undefined) return { viewer: null, session: null, authError: null };
  if (token === null) return refused('Authorization must be "Bearer <token>".');
  const verified = await services.tokens.verify(token);
  if ('error' in verified) return refused(verified.error);
  // During an outage the look-up fails for every request: a clear, retryable answer (logged once, by db/outage.ts).
  const user = await services.sessions.viewerOf(verified).catch((err: unknown) => {
    throw isDatabaseUnavailable(err) ? serviceUnavailable() : err;
  });
  if (!user) return refused('The session has ended (logged out, or its user no longer exists): log in again.');
  return { viewer: user, session: { id: verified.sessionId, expiresAt: verified.expiresAt }, authError: null };
}

/** The `authorization` entry of graphql-ws connectionParams (or of the headers GraphiQL sends with each
 * operation), whatever its letter case: people write "Authorization". */
export function authorizationParam(params: Record<string, unknown> | undefined): unknown {
  if (!params) return undefined;
  const key = Object.keys(params).find((k) => k.toLowerCase() === 'authorization');
  return key ? params[key] : undefined;
}

/** The client's address: the socket's, or with `trustProxy` the first X-Forwarded-For entry. */
export function clientIpOf(socketAddress: string | undefined, forwardedFor: string | null | undefined, trustProxy: boolean) {
  const forwarded = trustProxy ? forwardedFor?.split(',')[0]?.trim() : undefined;
  return forwarded || socketAddress || 'unknown';
}

/** The signed-in user, or an UNAUTHENTICATED error. */
export function requireViewer(ctx: Context): Viewer {
  if (!ctx.viewer) throw unauthenticated(ctx.authError ?? undefined);
  return ctx.viewer;
}
