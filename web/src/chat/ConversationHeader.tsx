import { useFragment } from '@apollo/client/react';
import { useEffect } from 'react';
import { graphql } from '../gql';
import { Avatar } from '../shared/Avatar';
import { ConnectionBadge } from './ConnectionBadge';
import { peerNames, type PeerName } from './peerNames';

const ConversationHeader_user = graphql(`
  fragment ConversationHeader_user on User {
    id
    username
    displayName
  }
`);

/**
 * The peer is read from the cache by identity (User:<id>), filled by the people
 * list or by the conversation's messages, else from the names remembered on
 * this device (a reload while offline); it may still be unknown after a cold
 * reload of an empty conversation, hence the fallbacks.
 */
function usePeer(peerId: string): Partial<PeerName> | undefined {
  const { data } = useFragment({ fragment: ConversationHeader_user, from: { __typename: 'User', id: peerId } });
  const known = data?.displayName ? { username: data.username, displayName: data.displayName } : undefined;
  useEffect(() => {
    if (known?.username && known.displayName)
      peerNames.remember(peerId, { username: known.username, displayName: known.displayName });
  }, [peerId, known?.username, known?.displayName]);
  return known ?? peerNames.get(peerId);
}

export function ConversationHeader(props: { peerId: string; onBack(): void; typing?: boolean }) {
  const data = usePeer(props.peerId);
  const name = data?.displayName ?? data?.username ?? 'Conversation';

  return (
    <header className="conversation__header">
      <button
        type="button"
        className="icon-button conversation__back"
        onClick={props.onBack}
        aria-label="Back to conversations"
      >
        <svg
          width="22"
          height="22"
          viewBox="0 0 24 24"
          aria-hidden="true"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
          strokeLinejoin="round"
        >
          <path d="M15 18l-6-6 6-6" />
        </svg>
      </button>
      <Avatar name={name} size={36} />
      <div className="conversation__title">
        <h2>{name}</h2>
        {/* Always present, so that assistive technology announces "typing…" when it appears. */}
        <span className="conversation__status" aria-live="polite">
          {props.typing && <span className="typing">typing…</span>}
        </span>
        {!props.typing && data?.username && <span className="muted">@{data.username}</span>}
      </div>
      <ConnectionBadge className="conversation__connection" />
    </header>
  );
}

export function usePeerName(peerId: string): string {
  return usePeer(peerId)?.displayName ?? 'them';
}
