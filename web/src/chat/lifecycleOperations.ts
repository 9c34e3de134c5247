import { graphql } from '../gql';

// The message lifecycle's operations (issue #18). Each answers with the message's new state, which Apollo writes
// over `Message:<id>`: every bubble showing it follows.

export const EditMessageMutation = graphql(`
  mutation EditMessage($id: ID!, $content: String!) {
    editMessage(id: $id, content: $content) {
      id
      ...MessageBubble_message
    }
  }
`);

export const DeleteMessageMutation = graphql(`
  mutation DeleteMessage($id: ID!) {
    deleteMessage(id: $id) {
      id
      ...MessageBubble_message
    }
  }
`);

export const AddReactionMutation = graphql(`
  mutation AddReaction($messageId: ID!, $emoji: String!) {
    addReaction(messageId: $messageId, emoji: $emoji) {
      id
      ...MessageBubble_message
    }
  }
`);

export const RemoveReactionMutation = graphql(`
  mutation RemoveReaction($messageId: ID!, $emoji: String!) {
    removeReaction(messageId: $messageId, emoji: $emoji) {
      id
      ...MessageBubble_message
    }
  }
`);

export const MessageUpdatedSubscription = graphql(`
  subscription MessageUpdated($withUserId: ID, $after: String) {
    messageUpdated(withUserId: $withUserId, after: $after) {
      id
      updateCursor
      sender {
        id
      }
      recipient {
        id
      }
      ...MessageBubble_message
    }
  }
`);

/**
 * Where the open conversation's change feed resumes when nothing newer was delivered yet: its updateCursor (read
 * while its messages are current), or before its first change (initialUpdateCursor: none yet, or read too late).
 */
export const ConversationUpdateCursorQuery = graphql(`
  query ConversationUpdateCursor($withUserId: ID!) {
    conversation(withUserId: $withUserId) {
      id
      updateCursor
      initialUpdateCursor
    }
  }
`);
