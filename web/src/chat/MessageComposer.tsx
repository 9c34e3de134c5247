import { useId, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';

/**
 * Enter sends, Shift+Enter inserts a newline; whitespace-only input cannot be
 * sent. `onTyping(true)` on every edit that leaves text, `onTyping(false)` when
 * the draft is emptied, sent, or the composer loses focus.
 */
export function MessageComposer(props: {
  onSend(content: string): boolean;
  peerName: string;
  onTyping?(typing: boolean): void;
}) {
  const [draft, setDraft] = useState('');
  const ref = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  const empty = draft.trim().length === 0;

  // Grow with the content up to the CSS max-height.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${el.scrollHeight}px`;
  }, [draft]);

  function submit() {
    if (empty) return;
    if (props.onSend(draft)) {
      setDraft('');
      props.onTyping?.(false);
    }
    ref.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // isComposing: Enter confirms an IME candidate, it must not send.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    submit();
  }

  return (
    <form className="composer" onSubmit={onSubmit}>
      <label htmlFor={id} className="visually-hidden">
        Message {props.peerName}
      </label>
      <textarea
        id={id}
        ref={ref}
        rows={1}
        value={draft}
        placeholder={`Message ${props.peerName}`}
        onChange={(e) => {
          setDraft(e.target.value);
          props.onTyping?.(e.target.value.trim().length > 0);
        }}
        onBlur={() => props.onTyping?.(false)}
        onKeyDown={onKeyDown}
        enterKeyHint="send"
      />
      <button type="submit" className="composer__send" disabled={empty} aria-label="Send message">
        <svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" fill="currentColor">
          <path d="M3.4 20.4l17.45-7.48a1 1 0 000-1.84L3.4 3.6a.993.993 0 00-1.39.91L2 9.12c0 .5.37.93.87.99L17 12 2.87 13.88c-.5.07-.87.5-.87 1l.01 4.61c0 .71.73 1.2 1.39.91z" />
        </svg>
      </button>
    </form>
  );
}
