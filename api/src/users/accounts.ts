// Sign-up and log-in rules. Usernames are case-insensitive (stored lower-cased).
import type { PublicUser } from './types.ts';
import type { PrismaClient } from '../db/index.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { badInput, clientError, isUniqueViolation } from '../errors.ts';
import type { Throttle } from '../throttle.ts';
import {
  displayNameProblem,
  normalizeDisplayName,
  normalizeUsername,
  passwordProblem,
  usernameProblem,
} from '../../../shared/accountRules.ts';

const PUBLIC_FIELDS = { id: true, username: true, displayName: true } as const;

export { normalizeUsername, USERNAME_RULE } from '../../../shared/accountRules.ts';

// The rules and their messages are shared with the web client's sign-up form (shared/accountRules.ts).
function parseUsername(value: string): string {
  const problem = usernameProblem(value);
  if (problem) throw badInput(problem, 'username');
  return normalizeUsername(value);
}

export function parsePassword(value: string, argument = 'password'): string {
  const problem = passwordProblem(value);
  if (problem) throw badInput(problem.replace(/^password/, argument), argument);
  return value;
}

export function parseDisplayName(value: string | null | undefined, username: string): string {
  const problem = displayNameProblem(value);
  if (problem) throw badInput(problem, 'displayName');
  return normalizeDisplayName(value) || username;
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
 * Password guessing is throttled per username and per client IP: every attempt is counted before its password is
 * checked, and a success is refunded (it forgives the username's failures).
 */
export async function logIn(
  deps: { prisma: PrismaClient; throttle: Throttle; clientIp: string },
  args: { username: string; password: string },
): Promise<PublicUser> {
  const username = normalizeUsername(args.username);
  await deps.throttle.beforeLogIn(username, deps.clientIp);
  // The only reads of a password hash: they stay in this function and the next.
  const user = await deps.prisma.user.findUnique({
    where: { username },
    select: { ...PUBLIC_FIELDS, passwordHash: true },
  });
  const ok = await verifyPassword(user?.passwordHash ?? null, args.password);
  // One message for both cases, so log-in does not reveal which usernames exist.
  // A failure stays counted (beforeLogIn counted the attempt); a success is refunded.
  if (!user || !ok) throw clientError('UNAUTHENTICATED', 'Wrong username or password.');
  await deps.throttle.logInSucceeded(username, deps.clientIp);
  return { id: user.id, username: user.username, displayName: user.displayName };
}

/**
 * Checks a signed-in user's password again (changePassword, deleteAccount), throttled exactly as a log-in under
 * their username: the attempt is counted first, a success refunded. UNAUTHENTICATED when it does not match.
 */
export async function confirmPassword(
  deps: { prisma: PrismaClient; throttle: Throttle; clientIp: string },
  viewer: PublicUser,
  password: string,
): Promise<void> {
  await deps.throttle.beforeLogIn(viewer.username, deps.clientIp);
  const user = await deps.prisma.user.findFirst({
    where: { id: viewer.id, deletedAt: null },
    select: { passwordHash: true },
  });
  const ok = await verifyPassword(user?.passwordHash || null, password);
  if (!user || !ok) throw clientError('UNAUTHENTICATED', 'Wrong password.');
  await deps.throttle.logInSucceeded(viewer.username, deps.clientIp);
}
