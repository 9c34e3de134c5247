// JWTs (HS256, via jose) that identify a user. The secret comes from JWT_SECRET, or is generated on first start
// and kept in the data directory so tokens survive restarts.
// Every request presents its token, so verifying is on the hottest path: the key is imported once, and a token
// verified once is remembered until it expires (bounded, least recently used first out). That is safe because a
// signature never stops being valid before `exp`: whether its session is still open is checked on every request by
// sessions.ts, so a logged-out token is refused at once however long its signature stays cached here.
import { randomBytes, webcrypto } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SignJWT, jwtVerify, errors } from 'jose';
import { LRUCache } from 'lru-cache';

const ISSUER = 'parley';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type VerifiedToken = { userId: string; sessionId: string; expiresAt: Date };

export type TokenService = {
  /** A token for a session (see sessions.ts), valid until the session expires. */
  sign(session: { userId: string; sessionId: string; expiresAt: Date }): Promise<string>;
  /** The user and session a valid token names, or a reason the token was refused. Whether the session is still
   * open is sessions.ts's business. */
  verify(token: string): Promise<VerifiedToken | { error: string }>;
  /** The lifetime of a new session. */
  ttlMs: number;
};

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** `30d`, `12h`, `900s` in milliseconds. */
export function parseTtl(ttl: string): number {
  const match = /^(\d+)([smhdw])$/.exec(ttl);
  if (!match) throw new Error(`Not a duration: ${ttl}`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** Verified tokens remembered at most (a few MB); beyond that the least recently used is verified again. */
const MAX_VERIFIED = 20_000;

export function createTokenService(secret: string, ttl: string): TokenService {
  // Imported once, as a CryptoKey: jose runs on WebCrypto and imports a raw secret again on every sign and verify
  // (a secret KeyObject too: jose exports it to bytes each time).
  const key = webcrypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );
  const verified = new LRUCache<string, VerifiedToken>({
    // Counted through maxSize: `max` would allocate room for every entry at start.
    maxSize: MAX_VERIFIED,
    sizeCalculation: () => 1,
  });

  const check = async (token: string): Promise<VerifiedToken | { error: string }> => {
    try {
      const { payload } = await jwtVerify(token, await key, {
        issuer: ISSUER,
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'sub'],
      });
      // Ids are UUIDs: a signed token naming anything else was not made by this server's sign().
      if (!payload.sub || !UUID.test(payload.sub)) return { error: 'The token names no user.' };
      if (typeof payload.sid !== 'string' || !UUID.test(payload.sid)) {
        return { error: 'The token names no session (it predates sessions): log in again.' };
      }
      return {
        userId: payload.sub.toLowerCase(),
        sessionId: payload.sid.toLowerCase(),
        expiresAt: new Date(payload.exp! * 1000),
      };
    } catch (err) {
      if (err instanceof errors.JWTExpired) return { error: 'The token has expired: log in again.' };
      return { error: 'The token is not valid: log in again.' };
    }
  };

  return {
    ttlMs: parseTtl(ttl),
    sign: async ({ userId, sessionId, expiresAt }) =>
      new SignJWT({ sid: sessionId })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(userId)
        .setIssuer(ISSUER)
        .setIssuedAt()
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(await key),
    verify: async (token) => {
      // Keyed by the whole token, signature included: only the exact string that was verified is trusted.
      const known = verified.get(token);
      if (known && known.expiresAt.getTime() > Date.now()) return known;
      if (known) verified.delete(token); // expired since: verify again, for jose's answer
      const result = await check(token);
      const ttl = 'error' in result ? 0 : result.expiresAt.getTime() - Date.now();
      if (ttl > 0) verified.set(token, result as VerifiedToken, { ttl }); // (a ttl of 0 would mean "forever")
      return result;
    },
  };
}

/** JWT_SECRET when set; otherwise the secret stored in `dataDir/jwt-secret`, created on first use. */
export async function loadJwtSecret(configured: string | undefined, dataDir: string): Promise<string> {
  if (configured) return configured;
  const file = path.join(dataDir, 'jwt-secret');
  const existing = await readFile(file, 'utf8').catch(() => null);
  if (existing?.trim()) return existing.trim();
  await mkdir(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  await writeFile(file, secret + '\n', { mode: 0o600, flag: 'wx' }).catch(async (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err; // another process created it first: use theirs
  });
  return (await readFile(file, 'utf8')).trim();
}

/** The token in an `Authorization: Bearer <token>` value; undefined when absent, null when malformed. */
export function bearerToken(header: unknown): string | null | undefined {
  if (header === undefined || header === null || header === '') return undefined;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}
