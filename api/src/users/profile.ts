// Changing your own account: display name (the sign-up rules, shared/accountRules.ts) and password.
import type { PrismaClient } from '../db/index.ts';
import type { Throttle } from '../throttle.ts';
import { confirmPassword, parseDisplayName, parsePassword } from './accounts.ts';
import { hashPassword } from './passwords.ts';
import type { PublicUser } from './types.ts';

type AccountDeps = { prisma: PrismaClient; throttle: Throttle; clientIp: string };

/** A new display name ("" means the username); returns the user as peers now see them. */
export async function updateProfile(
  deps: { prisma: PrismaClient },
  viewer: PublicUser,
  args: { displayName: string },
): Promise<PublicUser> {
  const displayName = parseDisplayName(args.displayName, viewer.username);
  return deps.prisma.user.update({
    where: { id: viewer.id },
    data: { displayName },
    select: { id: true, username: true, displayName: true },
  });
}

/** A new password, after the current one is confirmed (throttled like a log-in). Ending the other sessions is the
 * caller's (auth/sessions.ts). */
export async function changePassword(
  deps: AccountDeps,
  viewer: PublicUser,
  args: { currentPassword: string; newPassword: string },
): Promise<void> {
  const password = parsePassword(args.newPassword, 'newPassword');
  await confirmPassword(deps, viewer, args.currentPassword);
  await deps.prisma.user.update({ where: { id: viewer.id }, data: { passwordHash: await hashPassword(password) } });
}
