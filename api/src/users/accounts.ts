// Sign-up and log-in rules. Usernames are case-insensitive (stored lower-cased).
import type { PublicUser } from './types.ts';
import type { PrismaClient } from '../db/index.ts';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { badInput, clientError, isUniqueViolation } from '../errors.ts';
import type { Throttle } from '../throttle.ts';

const PUBLIC_FIELDS = { id: true, username: true, displayName: true } as const;

export const USERNAME_RULE = '3..32 characters: letters, digits, ".", "_" or "-"';

export function normalizeUsername(value: string): string {
  return value.trim().toLowerCase();
}

function parseUsername(value: string): string {
  const username = normalizeUsername(value);
  if (!/^[a-z0-9._-]{3,32}$/.test(username)) throw badInput(`username must be ${USERNAME_RULE}.`, 'username');
  return username;
}

function parsePassword(value: string): string {
  if (value.length < 8) throw badInput('password must be at least 8 characters.', 'password');
  if (value.length > 256) throw badInput('password must be at most 256 characters.', 'password');
  return value;
}

/** Bidi embedding, override and isolate controls: in a name they make text render in another order (spoofing). */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;

function parseDisplayName(value: string | null | undefined, username: string): string {
  const name = (value ?? '').trim().replace(/\s+/g, ' ');
  if (!name) return username;
  if (BIDI_CONTROLS.test(name) || /[\p{Cc}]/u.test(name)) {
    throw badInput('displayName must not contain control or bidirectional override characters.', 'displayName');
  }
  if ([...name].length > 64) throw badInput('displayName must be at most 64 characters.', 'displayName');
  return name;
}

export async function signUp(
  prisma: PrismaClient,
  args: { username: string; password: string; displayName?: string | null },
): Promise<PublicUser> {
  const username = parseUsername(args.username);
  const password = parsePassword(args.password);
  const displayName = parseDisplayName(args.displayName, username);
  try {
    return await prisma.user.create({
      data: { username, displayName, passwordHash: await hashPassword(password) },
      select: PUBLIC_FIELDS,
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw badInput(`The username "${username}" is taken.`, 'username');
    throw err;
  }
}

/**
 * Password guessing is throttled per username and per client IP (failures only; a success forgives the username's).
 */
export async function logIn(
  deps: { prisma: PrismaClient; throttle: Throttle; clientIp: string },
  args: { username: string; password: string },
): Promise<PublicUser> {
  const username = normalizeUsername(args.username);
  await deps.throttle.beforeLogIn(username, deps.clientIp);
  // The only read of a password hash: it stays in this function.
  const user = await deps.prisma.user.findUnique({
    where: { username },
    select: { ...PUBLIC_FIELDS, passwordHash: true },
  });
  const ok = await verifyPassword(user?.passwordHash ?? null, args.password);
  // One message for both cases, so log-in does not reveal which usernames exist.
  if (!user || !ok) {
    await deps.throttle.logInFailed(username, deps.clientIp);
    throw clientError('UNAUTHENTICATED', 'Wrong username or password.');
  }
  await deps.throttle.logInSucceeded(username);
  return { id: user.id, username: user.username, displayName: user.displayName };
}
