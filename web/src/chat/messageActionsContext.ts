import { createContext, useContext } from 'react';

/** What a stored message's actions do (issue #18); provided by the open conversation (useMessageLifecycle). */
export interface MessageActionsApi {
  /** The other person in the conversation: whoever reacted besides the viewer (ReactionChips says who). */
  readonly peerName: string;
  reply(messageId: string): void;
  edit(messageId: string): void;
  /** Opens the confirmation first (DeleteDialog). */
  askDelete(messageId: string): void;
  /** Adds the viewer's emoji, or takes it back when `on` is false. */
  react(messageId: string, emoji: string, on: boolean): void;
  /** Scrolls to a message (loading older pages if needed) and highlights it. */
  show(messageId: string): void;
}

export const MessageActionsContext = createContext<MessageActionsApi | null>(null);

/** Null outside a conversation (e.g. an outbox bubble's preview): no actions then. */
export const useMessageActions = () => useContext(MessageActionsContext);
