// deleteAccount, across the domains it touches, in the order that makes it safe to stop anywhere: the password is
// confirmed; the account is closed (no log-in, no search, no sends to it: one statement); every session ends on
// every instance (sockets close); the messages become tombstones (published); the peers' inboxes are sent again
// with "Deleted user" and the tombstones.
import type { Context } from '../context.ts';
import { publishToPeers } from '../chat/account-events.ts';
import { eraseMessagesOf } from '../chat/erase.ts';
import { confirmPassword } from '../users/accounts.ts';
import { closeAccount } from '../users/deletion.ts';
import type { PublicUser } from '../users/types.ts';

export async function deleteAccount(ctx: Context, viewer: PublicUser, args: { password: string }): Promise<void> {
  await confirmPassword(ctx, viewer, args.password);
  const { closed, peers } = await closeAccount(ctx.sql, viewer.id);
  ctx.blocks.changed([viewer.id, ...peers]);
  const sessions = await ctx.sessions.endAll(viewer.id);
  const erased = await eraseMessagesOf(ctx, viewer.id);
  await publishToPeers(ctx, viewer.id);
  ctx.log.info({ userId: viewer.id, closed, sessions, erasedMessages: erased }, 'account deleted');
}
