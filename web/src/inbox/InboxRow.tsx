import { usePeerTyping } from '../apollo/typing';
import { getFragmentData, graphql, type FragmentType } from '../gql';
import { Avatar } from '../shared/Avatar';
import { Icon } from '../shared/Icon';
import { fullTime, relativeTime } from './relativeTime';

export const InboxRow_conversation = graphql(`
  fragment InboxRow_conversation on Conversation {
    id
    unreadCount
    muted
    lastActivityAt
    peer {
      id
      username
      displayName
    }
    lastMessage {
      id
      content
      createdAt
      sender {
        id
      }
    }
  }
`);

/** One line of a message, as a preview: whitespace (new lines included) folded. */
function previewText(content: string): string {
  return content.replace(/\s+/g, ' ').trim();
}

/**
 * One conversation of the inbox: the peer, the last message ("You: …" for the
 * viewer's own), when, how many unread, whether the peer is typing and whether
 * it is muted (no push notifications). The button's accessible name starts
 * with the peer's name, as shown.
 */
export function InboxRow(props: {
  conversation: FragmentType<typeof InboxRow_conversation>;
  viewerId: string;
  /** The peer of the conversation open beside the inbox, if any. */
  activePeerId?: string;
  now: number;
  onOpen(peerId: string): void;
}) {
  const conversation = getFragmentData(InboxRow_conversation, props.conversation);
  const { peer, lastMessage, unreadCount, muted } = conversation;
  const typing = usePeerTyping(peer.id);
  const mine = lastMessage.sender.id === props.viewerId;
  const name = peer.displayName || peer.username;
  const active = peer.id === props.activePeerId;

  return (
    <li>
      <button
        type="button"
        className={`inbox-row${active ? ' inbox-row--active' : ''}${unreadCount > 0 ? ' inbox-row--unread' : ''}`}
        aria-current={active ? 'page' : undefined}
        onClick={() => props.onOpen(peer.id)}
        data-testid="inbox-row"
        data-peer-id={peer.id}
      >
        <Avatar name={name} />
        <span className="inbox-row__text">
          <span className="inbox-row__top">
            <span className="inbox-row__name" dir="auto">
              {name}
            </span>
            <time
              className="inbox-row__time"
              dateTime={conversation.lastActivityAt}
              title={fullTime(conversation.lastActivityAt)}
            >
              {relativeTime(conversation.lastActivityAt, props.now)}
            </time>
          </span>
          <span className="inbox-row__bottom">
            {typing ? (
              <span className="inbox-row__preview typing">typing…</span>
            ) : (
              <span className="inbox-row__preview">
                {mine && <span className="inbox-row__you">You: </span>}
                <span dir="auto">{previewText(lastMessage.content)}</span>
              </span>
            )}
            {muted && (
              <span className="inbox-row__muted" role="img" aria-label="Muted" title="Muted">
                <Icon size={14}>
                  <path d="M11 5L6 9H2v6h4l5 4V5zM23 9l-6 6M17 9l6 6" />
                </Icon>
              </span>
            )}
            {unreadCount > 0 && (
              <span className="unread-badge" role="img" aria-label={`${unreadCount} unread`}>
                {unreadCount > 99 ? '99+' : unreadCount}
              </span>
            )}
          </span>
        </span>
      </button>
    </li>
  );
}
