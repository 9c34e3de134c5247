// The per-operation context: who is asking (from the HTTP Authorization header, or graphql-ws connectionParams)
// and the services resolvers use.
import type { Uploads } from './attachments/uploads.ts';
import type { TokenService } from './auth/tokens.ts';
import { bearerToken } from './auth/tokens.ts';
import type { Sessions } from './auth/sessions.ts';
import type { ViewerCache } from './auth/viewers.ts';
import type { BlockCache } from './users/blocks.ts';
import type { ChatPubSub } from './chat/events.ts';
import type { MessageFeed } from './chat/live.ts';
import type { ChangeFeed } from './chat/changeFeed.ts';
import type { Typing } from './chat/typing.ts';
import type { PublicUser } from './users/types.ts';
import type { PrismaClient, Sql } from './db/index.ts';
import type { Logger } from './logger.ts';
import type { Throttle } from './throttle.ts';
import type { PushService } from './push/service.ts';
import { isDatabaseUnavailable, serviceUnavailable } from './errors.ts';

export type Viewer = PublicUser;

export type Services = {
  prisma: PrismaClient;
  sql: Sql;
  pubsub: ChatPubSub;
  feed: MessageFeed;
  /** messageUpdated's feed (edits, deletions, reactions). */
  changeFeed: ChangeFeed;
  /** How long after sending a message can be edited, in seconds (0: no limit). */
  editWindowSeconds: number;
  typing: Typing;
  tokens: TokenService;
  viewers: ViewerCache;
  sessions: Sessions;
  /** Each user's blocks, both ways (users/blocks.ts). */
  blocks: BlockCache;
  throttle: Throttle;
  uploads: Uploads;
  /** Web Push: the VAPID key and a session's subscriptions. */
  push: PushService;
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
    /** The client's User-Agent (the upgrade request's over graphql-ws); null when none was sent. */
    userAgent: string | null;
  };

/** Resolves `Authorization` (header or connectionParams value) into the signed-in user. */
export async function authenticate(services: Services, authorization: unknown): Promise<Authentication> {
  const refused = (authError: string) => ({ viewer: null, session: null, authError });
  if (authorization instanceof CredentialsShapeError) return refused(authorization.message);
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

/**
 * Credentials sent in a shape parley does not read (see authorizationParam). `authenticate` refuses them with
 * `message`, which names what to send instead; graphql-ws closes such a socket with 4400 Bad Request.
 */
export class CredentialsShapeError {
  constructor(readonly message: string) {}
}

/** Key names that mean "credentials" (lower case, without `-`, `_`, spaces), other than `authorization`. */
const CREDENTIAL_NAME = /auth|token|jwt|bearer|credential|apikey|password|secret/;
const SEND = 'send "authorization": "Bearer <token>"';
/** A client's key, quoted for a message (and a close reason, at most 123 bytes): printable ASCII, short. */
const quoted = (key: string) =>
  `"${key
    .replace(/[^\x20-\x7e]/g, '?')
    .replace(/"/g, "'")
    .slice(0, 32)}"`;
const present = (value: unknown) => value !== undefined && value !== null && value !== '';

/**
 * The `Authorization` value of graphql-ws connectionParams (or of the headers GraphiQL sends with each operation),
 * whatever its letter case, read at the top (`{ authorization }`, what parley's web client sends) or inside
 * `headers` (`{ headers: { Authorization } }`, what many mobile and third-party clients send). Undefined when there
 * is none: anonymous. Credentials in any other shape give a CredentialsShapeError, never an anonymous connection:
 * another key that names credentials (`token`, `authToken`, `jwt`, …), an Authorization that is not a
 * "Bearer <token>" string, `headers` that is not an object, two different Authorization values.
 */
export function authorizationParam(params: Record<string, unknown> | undefined): unknown {
  if (!params || typeof params !== 'object') return undefined;
  const found: { path: string; value: unknown }[] = [];
  const scan = (entries: Record<string, unknown>, prefix: string): CredentialsShapeError | undefined => {
    for (const [key, value] of Object.entries(entries)) {
      const name = key.toLowerCase().replace(/[-_\s]/g, '');
      if (name === 'authorization') {
        if (present(value)) found.push({ path: prefix + key, value });
      } else if (name === 'headers' && !prefix) {
        if (!present(value)) continue;
        if (typeof value !== 'object' || Array.isArray(value)) {
          return new CredentialsShapeError(`${quoted(key)} must be an object: {"authorization": "Bearer <token>"}`);
        }
        const refused = scan(value as Record<string, unknown>, `${key}.`);
        if (refused) return refused;
      } else if (CREDENTIAL_NAME.test(name) && present(value)) {
        return new CredentialsShapeError(`${quoted(prefix + key)} is not read: ${SEND}`);
      }
    }
    return undefined;
  };
  const refused = scan(params, '');
  if (refused) return refused;
  for (const { path, value } of found) {
    if (bearerToken(value) === null) {
      return new CredentialsShapeError(
        `${quoted(path)} must be ${typeof value === 'string' ? '' : 'a string: '}"Bearer <token>"`,
      );
    }
  }
  if (new Set(found.map((f) => f.value)).size > 1) {
    return new CredentialsShapeError(`Two different authorization values were sent: ${SEND} once`);
  }
  return found[0]?.value;
}

/** The client's address: the socket's, or with `trustProxy` the first X-Forwarded-For entry. */
export function clientIpOf(
  socketAddress: string | undefined,
  forwardedFor: string | null | undefined,
  trustProxy: boolean,
) {
  const forwarded = trustProxy ? forwardedFor?.split(',')[0]?.trim() : undefined;
  return forwarded || socketAddress || 'unknown';
}
