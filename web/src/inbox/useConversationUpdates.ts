import { useSubscription } from '@apollo/client/react';
import { useEffect, useRef } from 'react';
import { graphql } from '../gql';
import { addToInbox } from './inboxCache';
import { closePushNotification, pushDevice } from '../shared/pushDevice';
import { desktopNotifications } from './notifications';
import { useRefreshUnreadTotal } from './unreadTotal';

const ConversationUpdatedSubscription = graphql(`
  subscription ConversationUpdated {
    conversationUpdated {
      id
      unreadCount
      lastActivityAt
      peer {
        id
        displayName
      }
      lastMessage {
        id
        content
        sender {
          id
        }
      }
      # Blocked either way (issue #22): kept current in Conversation:<id> for the open conversation (chat/useBlock.ts).
      blockedByMe
      blockedMe
      ...InboxRow_conversation
    }
  }
`);

const PREVIEW_LENGTH = 140;

/**
 * Keeps the inbox live, whichever conversation is open: every change to one of
 * the viewer's conversations (a message either way, a read by either side, in
 * any of their sessions) is written by Apollo into `Conversation:<id>`, which
 * updates its row, its badge and — through the list's read policy — its place.
 * A conversation the inbox does not hold yet is added to it; the unread total
 * is asked for again. A message from the peer while the tab is hidden shows a
 * desktop notification (when turned on, and Web Push is not: then the service
 * worker shows it); clicking it opens the conversation. A conversation read
 * closes its notifications, the service worker's too.
 *
 * Mount once for the signed-in user. After a reconnect the inbox refetches
 * itself (useInbox): events are state, not a log, and are not replayed.
 */
export function useConversationUpdates(viewerId: string, options: { onOpen(peerId: string): void }): void {
  const refreshUnreadTotal = useRefreshUnreadTotal();
  /** Messages already considered for a notification: one per message, even if several events carry it. */
  const considered = useRef(new Set<string>());
  const onOpen = useRef(options.onOpen);
  useEffect(() => {
    onOpen.current = options.onOpen;
  });

  useSubscription(ConversationUpdatedSubscription, {
    onData({ client, data }) {
      const conversation = data.data?.conversationUpdated;
      if (!conversation) return;
      addToInbox(client.cache, conversation);
      refreshUnreadTotal();

      const tag = `parley-conversation-${conversation.id}`;
      const message = conversation.lastMessage;
      if (conversation.unreadCount === 0) {
        desktopNotifications.close(tag); // read here or elsewhere
        closePushNotification(conversation.peer.id);
        return;
      }
      if (message.sender.id === viewerId || considered.current.has(message.id)) return;
      considered.current.add(message.id);
      // With Web Push on for this person here, the service worker shows it (public/sw-push.js), not the tab too.
      if (document.visibilityState !== 'hidden' || pushDevice.enabledFor() === viewerId) return;
      const body = message.content.replace(/\s+/g, ' ').trim();
      desktopNotifications.show({
        tag,
        title: conversation.peer.displayName,
        body: body.length > PREVIEW_LENGTH ? `${body.slice(0, PREVIEW_LENGTH - 1)}…` : body,
        onClick: () => onOpen.current(conversation.peer.id),
      });
    },
  });
}
