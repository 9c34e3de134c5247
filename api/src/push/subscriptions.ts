// Web Push subscriptions: what a browser's PushSubscription.toJSON() gives (endpoint, keys.p256dh, keys.auth),
// registered by one session. Registering an endpoint again moves it to the registering session (and user); ending
// a session deletes its subscriptions (auth/sessions.ts, in the same statement); a push service's 404/410 deletes
// one (deliver.ts).
import { createECDH } from 'node:crypto';
import { isIP } from 'node:net';
import type { Sql } from '../db/index.ts';
import { col, statement } from '../db/sql.ts';
import { badInput } from '../errors.ts';

export type SubscriptionArgs = { endpoint: string; p256dh: string; auth: string };

const MAX_ENDPOINT = 2048;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

const LOOPBACK_NAMES = new Set(['localhost', '[::1]']);
function isLoopback(hostname: string): boolean {
  if (LOOPBACK_NAMES.has(hostname)) return true;
  return isIP(hostname) === 4 && hostname.startsWith('127.');
}

/** The endpoint as a URL: https:, or http: to a loopback host (a push receiver on the same machine, for tests). */
export function parseEndpoint(endpoint: string): string {
  const url = endpoint.length <= MAX_ENDPOINT && URL.canParse(endpoint) ? new URL(endpoint) : null;
  if (!url || url.username || url.password) {
    throw badInput(`endpoint is not a push service URL (https:, at most ${MAX_ENDPOINT} characters).`, 'endpoint');
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname))) return url.href;
  throw badInput('endpoint must be an https: URL (http: only to a loopback host).', 'endpoint');
}

function base64url(value: string, argument: string, what: string, bytes: number): Buffer {
  const decoded = BASE64URL.test(value) ? Buffer.from(value, 'base64url') : null;
  if (!decoded || decoded.length !== bytes) {
    throw badInput(`${argument} is not ${what} (${bytes} bytes, base64url).`, argument);
  }
  return decoded;
}

/** p256dh: an uncompressed point on P-256 (0x04 ‖ x ‖ y, 65 bytes); auth: 16 bytes. Both base64url, as browsers give. */
export function parseKeys(p256dh: string, auth: string): { p256dh: string; auth: string } {
  const point = base64url(p256dh, 'p256dh', "the subscription's P-256 public key", 65);
  try {
    if (point[0] !== 4) throw new Error('compressed');
    // Deriving a secret with it fails unless the point is on the curve.
    const probe = createECDH('prime256v1');
    probe.generateKeys();
    probe.computeSecret(point);
  } catch {
    throw badInput('p256dh is not a point on P-256 (an uncompressed public key, 65 bytes, base64url).', 'p256dh');
  }
  base64url(auth, 'auth', "the subscription's auth secret", 16);
  return { p256dh: point.toString('base64url'), auth: Buffer.from(auth, 'base64url').toString('base64url') };
}

// $1 endpoint, $2 p256dh, $3 auth, $4 session, $5 user. An endpoint seen before moves here (keys renewed). Only
// into a session still open: a log-out that commits first leaves nothing behind (no row back).
export const REGISTER = statement(
  'push_register',
  `INSERT INTO "PushSubscription" ("id", "endpoint", "p256dh", "auth", "sessionId", "userId")
   SELECT gen_random_uuid(), $1::text, $2::text, $3::text, s."id", s."userId" FROM "Session" s
   WHERE s."id" = $4::uuid AND s."userId" = $5::uuid AND s."endedAt" IS NULL
   ON CONFLICT ("endpoint") DO UPDATE
     SET "p256dh" = EXCLUDED."p256dh", "auth" = EXCLUDED."auth", "sessionId" = EXCLUDED."sessionId",
         "userId" = EXCLUDED."userId", "createdAt" = now()
   RETURNING "id"`,
  { id: col.uuid },
);

// $1 endpoint, $2 user: only the user's own.
export const UNREGISTER = statement(
  'push_unregister',
  `DELETE FROM "PushSubscription" WHERE "endpoint" = $1::text AND "userId" = $2::uuid RETURNING "id"`,
  { id: col.uuid },
);

export async function registerSubscription(
  sql: Sql,
  viewer: { userId: string; sessionId: string },
  args: SubscriptionArgs,
): Promise<boolean> {
  const endpoint = parseEndpoint(args.endpoint);
  const keys = parseKeys(args.p256dh, args.auth);
  const rows = await sql.query(REGISTER, [endpoint, keys.p256dh, keys.auth, viewer.sessionId, viewer.userId]);
  return rows.length === 1;
}

/** True when the endpoint was one of the viewer's subscriptions. */
export async function unregisterSubscription(sql: Sql, userId: string, endpoint: string): Promise<boolean> {
  if (!URL.canParse(endpoint)) return false;
  return (await sql.query(UNREGISTER, [new URL(endpoint).href, userId])).length > 0;
}
