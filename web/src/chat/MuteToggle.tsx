import { useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { graphql } from '../gql';
import { describeError } from '../shared/errors';
import { Icon } from '../shared/Icon';

export const ConversationMutedQuery = graphql(`
  query ConversationMuted($withUserId: ID!) {
    conversation(withUserId: $withUserId) {
      id
      muted
    }
  }
`);

export const SetConversationMutedMutation = graphql(`
  mutation SetConversationMuted($withUserId: ID!, $muted: Boolean!) {
    setConversationMuted(withUserId: $withUserId, muted: $muted) {
      id
      muted
    }
  }
`);

/**
 * Mute in the conversation header (issue #21): a muted conversation sends no push notification; its unread count
 * still counts. The answer lands in `Conversation:<id>`, so the inbox row shows it too. Nothing to mute before the
 * conversation's first message (the conversation is asked for again once it has one).
 */
export function MuteToggle(props: { peerId: string; hasMessages: boolean }) {
  const { peerId } = props;
  const { data, refetch } = useQuery(ConversationMutedQuery, {
    variables: { withUserId: peerId },
    fetchPolicy: 'cache-and-network',
    nextFetchPolicy: 'cache-first',
  });
  const [setMuted] = useMutation(SetConversationMutedMutation);
  const [problem, setProblem] = useState<string | null>(null);
  const conversation = data?.conversation;
  const missing = data !== undefined && !conversation;
  useEffect(() => {
    if (missing && props.hasMessages) void refetch().catch(() => undefined);
  }, [missing, props.hasMessages, refetch]);
  if (!conversation) return null;

  const muted = conversation.muted;
  const change = () => {
    setProblem(null);
    setMuted({
      variables: { withUserId: peerId, muted: !muted },
      optimisticResponse: { setConversationMuted: { __typename: 'Conversation', id: conversation.id, muted: !muted } },
    }).catch((failure: unknown) => setProblem(`Could not ${muted ? 'unmute' : 'mute'}: ${describeError(failure)}`));
  };
  return (
    <>
      <button
        type="button"
        className={`icon-button conversation__mute${muted ? ' conversation__mute--on' : ''}`}
        aria-label="Mute notifications"
        aria-pressed={muted}
        title={muted ? 'Muted: no push notifications from this conversation' : 'Mute push notifications'}
        onClick={change}
      >
        <Icon size={20}>
          <path d="M11 5L6 9H2v6h4l5 4V5z" />
          {muted ? <path d="M23 9l-6 6M17 9l6 6" /> : <path d="M15.5 8.5a5 5 0 010 7M19 5a10 10 0 010 14" />}
        </Icon>
      </button>
      {problem && (
        <p className="visually-hidden" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}
