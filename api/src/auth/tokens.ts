// JWTs (HS256, via jose) that identify a user. The secret comes from JWT_SECRET, or is generated on first start
// and kept in the data directory so tokens survive restarts.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SignJWT, jwtVerify, errors } from 'jose';

const ISSUER = 'parley';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type TokenService = {
  sign(userId: string): Promise<string>;
  /** The user id in a valid token, or a reason the token was refused. */
  verify(token: string): Promise<{ userId: string } | { error: string }>;
};

export function createTokenService(secret: string, ttl: string): TokenService {
  const key = new TextEncoder().encode(secret);
  return {
    sign: (userId) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(userId)
        .setIssuer(ISSUER)
        .setIssuedAt()
        .setExpirationTime(ttl)
        .sign(key),
    verify: async (token) => {
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, algorithms: ['HS256'] });
        // User ids are UUIDs: a signed token naming anything else was not made by this server's sign().
        return payload.sub && UUID.test(payload.sub)
          ? { userId: payload.sub.toLowerCase() }
          : { error: 'The token names no user.' };
      } catch (err) {
        if (err instanceof errors.JWTExpired) return { error: 'The token has expired: log in again.' };
        return { error: 'The token is not valid: log in again.' };
      }
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
