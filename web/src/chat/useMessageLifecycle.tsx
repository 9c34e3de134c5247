import { useApolloClient } from '@apollo/client/react';
import { useCallback, useMemo, useRef, useState } from 'react';
import { DeleteDialog } from './DeleteDialog';
import { MessageBubble_message } from './MessageBubble';
import type { MessageActionsApi } from './messageActionsContext';
import type { ComposerMode } from './MessageComposer';
import { contentProblem } from './messageRules';
import type { OutboxAttachment } from './outbox';
import { changesFor, type NewMessageChange } from './outboxChanges';
import { applyChange, snapshotOf } from './outboxChangesCache';
import type { OlderPages } from './useTranscriptLayout';

/** How many screens (and older pages) a jump to a reply's original goes back at most. */
const MAX_STEPS = 40;
const HIGHLIGHT_MS = 2_000;

/**
 * The open conversation's side of the message lifecycle (issue #18): what the message actions do (the context
 * MessageBubble reads), the composer's reply and edit modes, the delete confirmation. Every change goes through the
 * change outbox (outboxChanges.ts), shown at once and sent (or replayed after a reconnect) by useOutboxDelivery.
 */
export function useMessageLifecycle(options: {
  viewerId: string;
  peerName: string;
  /** Queues a new message (useSendMessage); `replyToId` for a reply. */
  send(content: string, replyToId?: string, attachments?: OutboxAttachment[]): boolean;
  /** The conversation's message ids with their senders, oldest first (for ↑: edit my last message). */
  messages: ReadonlyArray<{ id: string; sender: { id: string } }>;
  older: OlderPages;
}) {
  const { viewerId, peerName } = options;
  const client = useApolloClient();
  const [mode, setMode] = useState<ComposerMode | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const latest = useRef(options);
  latest.current = options; // eslint-disable-line react-hooks/refs -- read by event handlers only, never while rendering

  const read = useCallback(
    (id: string) => {
      const data = client.cache.readFragment({
        id: client.cache.identify({ __typename: 'Message', id }),
        fragment: MessageBubble_message,
        fragmentName: 'MessageBubble_message',
      });
      return data ?? null;
    },
    [client],
  );

  // Queued (with what an edit or deletion replaces, put back if the server refuses it), then shown at once.
  const change = useCallback(
    (c: NewMessageChange) => {
      const queued = c.kind === 'react' ? c : { ...c, before: snapshotOf(client.cache, c.messageId) };
      applyChange(client.cache, changesFor(viewerId).add(queued));
    },
    [client, viewerId],
  );

  const api = useMemo<MessageActionsApi>(
    () => ({
      peerName,
      reply(id) {
        const message = read(id);
        if (!message) return;
        const name = message.sender.id === viewerId ? 'You' : peerName;
        setMode({ kind: 'reply', messageId: id, senderName: name, content: message.content });
      },
      edit(id) {
        const message = read(id);
        if (message && !message.deletedAt) setMode({ kind: 'edit', messageId: id, content: message.content });
      },
      askDelete: setDeleting,
      react: (messageId, emoji, on) => change({ kind: 'react', messageId, emoji, on }),
      show: (id) => void showMessage(id, () => latest.current.older),
    }),
    [read, change, viewerId, peerName],
  );

  /** The composer's submit: a new message, a reply, or the edit of a message. */
  const send = (content: string, attachments?: OutboxAttachment[]): boolean => {
    if (mode?.kind === 'edit') {
      const text = content.trim();
      if (contentProblem(text)) return false;
      if (text !== mode.content) change({ kind: 'edit', messageId: mode.messageId, content: text });
      setMode(null);
      return true;
    }
    const sent = options.send(content, mode?.kind === 'reply' ? mode.messageId : undefined, attachments);
    if (sent) setMode(null);
    return sent;
  };

  /** ↑ in an empty composer: edit the viewer's last message (not a deleted one). */
  const editLast = (): boolean => {
    const mine = [...options.messages].reverse().find((m) => m.sender.id === viewerId && !read(m.id)?.deletedAt);
    if (!mine) return false;
    api.edit(mine.id);
    return true;
  };

  const dialog = deleting && (
    <DeleteDialog
      onCancel={() => setDeleting(null)}
      onConfirm={() => {
        change({ kind: 'delete', messageId: deleting });
        if (mode?.messageId === deleting) setMode(null);
        setDeleting(null);
      }}
    />
  );

  return { api, mode, cancelMode: () => setMode(null), send, editLast, dialog };
}

/**
 * Scrolls the transcript to a message and highlights it: when its bubble is not rendered (the list is virtualised,
 * or the message is on an older page), goes back a screen at a time, loading older pages, at most MAX_STEPS times.
 */
async function showMessage(id: string, older: () => OlderPages): Promise<void> {
  const find = () => document.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(id)}"]`);
  const scroller = document.querySelector<HTMLElement>('[data-testid="transcript"]');
  for (let step = 0; step < MAX_STEPS; step++) {
    const bubble = find();
    if (bubble) {
      bubble.scrollIntoView({ block: 'center' });
      bubble.focus({ preventScroll: true });
      bubble.classList.add('bubble--highlight');
      setTimeout(() => bubble.classList.remove('bubble--highlight'), HIGHLIGHT_MS);
      return;
    }
    if (!scroller) return;
    const pages = older();
    if (scroller.scrollTop > 0) scroller.scrollTop = Math.max(0, scroller.scrollTop - scroller.clientHeight);
    else if (pages.hasOlder && !pages.loading) pages.loadOlder();
    else if (!pages.hasOlder && !pages.loading) return;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
