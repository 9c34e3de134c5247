import { useEffect, useId, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { contentLength, contentProblem, COUNTER_FROM, MAX_CONTENT_LENGTH } from './messageRules';

const count = new Intl.NumberFormat();

/**
 * Enter sends, Shift+Enter inserts a newline. Only what the server would
 * accept can be sent (messageRules): not empty, not only invisible characters,
 * at most 4,000 characters; near the limit a counter shows the room left.
 * `onTyping(true)` on every edit that leaves text, `onTyping(false)` when
 * the draft is emptied, sent, or the composer loses focus. `disabledReason`
 * (e.g. the person does not exist) turns the composer off and says why.
 */
export function MessageComposer(props: {
  onSend(content: string): boolean;
  peerName: string;
  onTyping?(typing: boolean): void;
  disabledReason?: string;
  /** Focus the text box when shown (a conversation was opened). */
  autoFocus?: boolean;
}) {
  const [draft, setDraft] = useState('');
  const ref = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  const hintId = `${id}-hint`;
  const disabled = props.disabledReason !== undefined;
  const problem = contentProblem(draft);
  const length = contentLength(draft);

  const cannotSend = problem !== null || disabled;

  // Why the draft cannot be sent (announced), or near the limit how much room is left (described, not announced
  // on every keystroke).
  let why: string | null = null;
  if (disabled) why = props.disabledReason ?? null;
  else if (problem === 'tooLong')
    why = `Too long: ${count.format(length)} of ${count.format(MAX_CONTENT_LENGTH)} characters. Remove ${count.format(length - MAX_CONTENT_LENGTH)} to send.`;
  else if (problem === 'invisible') why = 'Nothing to send: the message has no visible characters.';
  const counter =
    !why && length >= COUNTER_FROM ? `${count.format(MAX_CONTENT_LENGTH - length)} characters left` : null;

  const { autoFocus } = props;
  useEffect(() => {
    if (autoFocus) ref.current?.focus();
  }, [autoFocus]);

  // Grow with the content up to the CSS max-height.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${el.scrollHeight}px`;
  }, [draft]);

  function submit() {
    if (cannotSend) return;
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
      <div
        className={`composer__hint${why || counter ? ' composer__hint--shown' : ''}`}
        id={hintId}
        data-testid="composer-hint"
      >
        <span className="composer__problem" aria-live="polite">
          {why}
        </span>
        {counter && <span className="composer__counter">{counter}</span>}
      </div>
      <label htmlFor={id} className="visually-hidden">
        Message {props.peerName}
      </label>
      <textarea
        id={id}
        ref={ref}
        rows={1}
        value={draft}
        disabled={disabled}
        aria-describedby={why || counter ? hintId : undefined}
        aria-invalid={why && !disabled ? true : undefined}
        placeholder={disabled ? '' : `Message ${props.peerName}`}
        onChange={(e) => {
          setDraft(e.target.value);
          props.onTyping?.(e.target.value.trim().length > 0);
        }}
        onBlur={() => props.onTyping?.(false)}
        onKeyDown={onKeyDown}
        enterKeyHint="send"
      />
      <button type="submit" className="composer__send" disabled={cannotSend} aria-label="Send message">
        <svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" fill="currentColor">
          <path d="M3.4 20.4l17.45-7.48a1 1 0 000-1.84L3.4 3.6a.993.993 0 00-1.39.91L2 9.12c0 .5.37.93.87.99L17 12 2.87 13.88c-.5.07-.87.5-.87 1l.01 4.61c0 .71.73 1.2 1.39.91z" />
        </svg>
      </button>
    </form>
  );
}
