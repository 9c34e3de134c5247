// What peers' inboxes must show again after an account change (issue #22): a new display name or a deleted account
// (every conversation of the user, as each peer sees it), a block or an unblock (the pair's conversation, as both
// see it: Conversation.blockedByMe / blockedMe). Published after the commit, as every conversationUpdated is.
import type { Sql } from '../db/index.ts';
import type { Logger } from '../logger.ts';
import { publishConversationUpdated, type ChatPubSub } from './events.ts';
import { conversationWith, peerViews } from './inbox.ts';

type Deps = { sql: Sql; pubsub: ChatPubSub; log: Logger };

/** Each of the user's conversations, as its peer now sees it. Never throws: the change is committed. */
export async function publishToPeers(deps: Deps, userId: string): Promise<void> {
  try {
    for await (const views of peerViews(deps.sql, userId)) publishConversationUpdated(deps.pubsub, ...views);
  } catch (err) {
    deps.log.error({ err, userId }, "peers' conversations could not be published");
  }
}

/** The pair's conversation (if they have one), as each of the two now sees it. */
export async function publishBlockViews(deps: Deps, viewerId: string, peerId: string): Promise<void> {
  try {
    const mine = await conversationWith(deps.sql, viewerId, peerId);
    if (!mine) return;
    const theirs = await conversationWith(deps.sql, peerId, viewerId);
    publishConversationUpdated(deps.pubsub, mine, ...(theirs ? [theirs] : []));
  } catch (err) {
    deps.log.error({ err, viewerId, peerId }, 'a blocked conversation could not be published');
  }
}
