import { lazy, Suspense, useEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { MessageActionsApi } from './messageActionsContext';

export const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'] as const;

// The full picker is a chunk of its own, fetched the first time someone opens it (the bundle budgets stay).
const EmojiPicker = lazy(() => import('./EmojiPicker'));

/**
 * A stored message's actions: Reply, the quick reactions and the full picker, Edit and Delete (own messages), Copy.
 * Shown on hover, after a long press, or from the keyboard (Enter or the context-menu key on a focused bubble, which
 * then focuses the first action); Escape closes and gives the focus back to the bubble.
 */
export function MessageActions(props: {
  messageId: string;
  mine: boolean;
  content: string;
  /** The emoji the viewer already put on the message (a quick reaction then takes it back). */
  myReactions: ReadonlySet<string>;
  api: MessageActionsApi;
  /** Focus the first action when shown (opened from the keyboard). */
  focusFirst: boolean;
  onClose(): void;
}) {
  const { api, messageId } = props;
  const [picker, setPicker] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (props.focusFirst) ref.current?.querySelector<HTMLElement>('button')?.focus();
  }, [props.focusFirst]);

  // Closing gives the focus back to the bubble when it was on an action.
  const close = (from: Element) => {
    const hadFocus = from.contains(document.activeElement);
    const bubble = from.closest<HTMLElement>('[data-testid="message"]');
    props.onClose();
    if (hadFocus) bubble?.focus();
  };
  const react = (emoji: string, from: Element) => {
    api.react(messageId, emoji, !props.myReactions.has(emoji));
    setPicker(false);
    close(from);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    close(event.currentTarget);
  };
  const act = (run: () => void) => (event: MouseEvent<HTMLElement>) => {
    close(event.currentTarget);
    run();
  };

  return (
    <div
      className={`msg-actions${props.mine ? ' msg-actions--mine' : ''}`}
      role="toolbar"
      aria-label="Message actions"
      ref={ref}
      onKeyDown={onKeyDown}
    >
      <button type="button" className="msg-actions__button" onClick={act(() => api.reply(messageId))}>
        Reply
      </button>
      {QUICK_REACTIONS.map((emoji) => (
        <button
          key={emoji}
          type="button"
          className="msg-actions__emoji"
          aria-pressed={props.myReactions.has(emoji)}
          aria-label={`React ${emoji}`}
          onClick={(event) => react(emoji, event.currentTarget)}
        >
          {emoji}
        </button>
      ))}
      <button
        type="button"
        className="msg-actions__button"
        aria-expanded={picker}
        aria-label="More reactions"
        onClick={() => setPicker((open) => !open)}
      >
        +
      </button>
      {props.mine && (
        <>
          <button type="button" className="msg-actions__button" onClick={act(() => api.edit(messageId))}>
            Edit
          </button>
          <button type="button" className="msg-actions__button" onClick={act(() => api.askDelete(messageId))}>
            Delete
          </button>
        </>
      )}
      <button
        type="button"
        className="msg-actions__button"
        onClick={act(() => void navigator.clipboard?.writeText(props.content).catch(() => undefined))}
      >
        Copy text
      </button>
      {picker && (
        <Suspense fallback={<span role="status">Loading emoji…</span>}>
          <EmojiPicker onPick={(emoji) => ref.current && react(emoji, ref.current)} />
        </Suspense>
      )}
    </div>
  );
}
