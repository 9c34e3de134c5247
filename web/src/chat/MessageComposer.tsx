import {
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type ClipboardEvent,
  type DragEvent,
  type FormEvent,
  type KeyboardEvent,
} from 'react';
import { AttachmentTray } from './AttachmentTray';
import { ACCEPT } from './attachmentRules';
import { draftsFor } from './drafts';
import type { OutboxAttachment } from './outbox';
import type { UploadsApi } from './useAttachmentUploads';
import { localIdOf } from './uploads';
import { contentLength, contentProblem, COUNTER_FROM, MAX_CONTENT_LENGTH } from './messageRules';
import { Icon } from '../shared/Icon';
import { ReplyQuote } from './ReplyQuote';
import { once } from '../shared/once';

/** What the composer is doing besides writing a new message: answering one, or editing one of the viewer's. */
export type ComposerMode =
  | { kind: 'reply'; messageId: string; senderName: string; content: string }
  | { kind: 'edit'; messageId: string; content: string };

// Made when a count is first shown (most drafts never come near the limit).
const count = once(() => new Intl.NumberFormat());

/**
 * Enter sends, Shift+Enter inserts a newline. Only what the server would
 * accept can be sent (messageRules): not empty, not only invisible characters,
 * at most 4,000 characters; near the limit a counter shows the room left.
 * `onTyping(true)` on every edit that leaves text, `onTyping(false)` when
 * the draft is emptied, sent, or the composer loses focus. `disabledReason`
 * (e.g. the person does not exist) turns the composer off and says why.
 * With `draftOf`, what is written is kept on this device until sent (drafts.ts).
 */
export function MessageComposer(props: {
  /** `attachments`: the uploaded files going with it (then `content` may be empty). */
  onSend(content: string, attachments?: OutboxAttachment[]): boolean;
  peerName: string;
  onTyping?(typing: boolean): void;
  disabledReason?: string;
  /** Focus the text box when shown (a conversation was opened). */
  autoFocus?: boolean;
  /** Keep the draft on this device (drafts.ts): whose, to whom. */
  draftOf?: { userId: string; peerId: string };
  /** Replying (the quote above the text box) or editing (the text box holds the message); Esc cancels. */
  mode?: ComposerMode | null;
  onCancelMode?(): void;
  /** ↑ in an empty composer: edit the viewer's last message; false when there is none. */
  onEditLast?(): boolean;
  /** Files: the attach button, paste and drop (not while editing: an edit changes the text only). */
  uploads?: UploadsApi;
}) {
  const { draftOf, mode } = props;
  const [draft, setDraftState] = useState(() => (draftOf ? draftsFor(draftOf.userId).get(draftOf.peerId) : ''));
  const editing = mode?.kind === 'edit' ? mode : null;
  // While editing, the text box holds the message; the draft of a new message waits (and stays saved) meanwhile.
  const [editText, setEditText] = useState<{ id: string; text: string } | null>(null);
  if (editing && editText?.id !== editing.messageId) {
    setEditText({ id: editing.messageId, text: editing.content });
  } else if (!editing && editText) {
    setEditText(null);
  }
  const text = editing ? (editText?.id === editing.messageId ? editText.text : editing.content) : draft;
  const setDraft = (next: string) => {
    if (editing) {
      setEditText({ id: editing.messageId, text: next });
      return;
    }
    setDraftState(next);
    if (draftOf) draftsFor(draftOf.userId).set(draftOf.peerId, next);
  };
  const ref = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  const hintId = `${id}-hint`;
  const disabled = props.disabledReason !== undefined;
  const uploads = editing || disabled ? undefined : props.uploads;
  const files = uploads?.items ?? [];
  const uploading = files.filter((f) => f.status === 'uploading').length;
  // A file refused for good holds the message; one still uploading, or failed for now, goes on after it is sent.
  const stuck = files.some((f) => f.status === 'refused' || (f.status === 'failed' && f.permanent));
  const fileInput = useRef<HTMLInputElement>(null);
  const [dropping, setDropping] = useState(false);
  const textProblem = contentProblem(text);
  // With files the text may be empty (not invisible-only, not too long).
  const problem = files.length > 0 && textProblem === 'empty' ? null : textProblem;
  const length = contentLength(text);

  const cannotSend = problem !== null || disabled || stuck;

  // Why the draft cannot be sent (announced), or near the limit how much room is left (described, not announced
  // on every keystroke).
  let why: string | null = null;
  if (disabled) why = props.disabledReason ?? null;
  else if (problem === 'tooLong')
    why = `Too long: ${count().format(length)} of ${count().format(MAX_CONTENT_LENGTH)} characters. Remove ${count().format(length - MAX_CONTENT_LENGTH)} to send.`;
  else if (problem === 'invisible') why = 'Nothing to send: the message has no visible characters.';
  else if (stuck) why = 'Some files cannot be sent: retry or remove them.';
  // Not a problem: the message waits for its files (said, not marked invalid).
  const waiting = !why && uploading > 0 ? `Uploading ${uploading === 1 ? '1 file' : `${uploading} files`}…` : null;
  const counter =
    !why && length >= COUNTER_FROM ? `${count().format(MAX_CONTENT_LENGTH - length)} characters left` : null;

  const { autoFocus } = props;
  useEffect(() => {
    if (autoFocus) ref.current?.focus();
  }, [autoFocus]);

  // Grow with the content up to the CSS max-height.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    // Empty: one row, as the CSS has it, and no layout forced while the conversation is being built (issue #24).
    if (!text) {
      el.style.height = '';
      return;
    }
    el.style.height = 'auto';
    el.style.height = `${el.scrollHeight}px`;
  }, [text]);

  // Replying or editing: the text box takes the focus (the action was chosen on a message).
  const modeKey = mode ? `${mode.kind}:${mode.messageId}` : null;
  useEffect(() => {
    if (modeKey) ref.current?.focus();
  }, [modeKey]);

  function submit() {
    if (cannotSend) return;
    const attachments = files.map((f) => ({
      id: f.uploadId ?? localIdOf(f.key),
      filename: f.filename,
      contentType: f.contentType,
      byteSize: f.byteSize,
    }));
    if (props.onSend(text, attachments.length > 0 ? attachments : undefined)) {
      if (!editing) setDraft('');
      uploads?.sent();
      props.onTyping?.(false);
    }
    ref.current?.focus();
  }

  function onPaste(event: ClipboardEvent<HTMLTextAreaElement>) {
    const pasted = [...event.clipboardData.files];
    if (!uploads || pasted.length === 0) return;
    event.preventDefault(); // a pasted screenshot is a file, not text
    uploads.add(pasted);
  }

  const carriesFiles = (event: DragEvent) => !!uploads && [...event.dataTransfer.types].includes('Files');
  function onDragOver(event: DragEvent) {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    setDropping(true);
  }
  function onDrop(event: DragEvent) {
    setDropping(false);
    if (!uploads || event.dataTransfer.files.length === 0) return;
    event.preventDefault();
    uploads.add([...event.dataTransfer.files]);
    ref.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Escape' && mode) {
      event.preventDefault();
      event.stopPropagation(); // not "back to the list" (ChatShell)
      props.onCancelMode?.();
      return;
    }
    if (event.key === 'ArrowUp' && !mode && text === '' && props.onEditLast?.()) {
      event.preventDefault();
      return;
    }
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
    <form
      className={`composer${mode ? ' composer--with-mode' : ''}${dropping ? ' composer--dropping' : ''}`}
      onSubmit={onSubmit}
      onDragOver={onDragOver}
      onDragLeave={() => setDropping(false)}
      onDrop={onDrop}
    >
      {mode && (
        <div className="composer__mode" role="group" aria-label={mode.kind === 'edit' ? 'Editing' : 'Replying'}>
          {mode.kind === 'reply' ? (
            <ReplyQuote senderName={`Replying to ${mode.senderName}`} content={mode.content} deleted={false} />
          ) : (
            <span className="composer__mode-label">Editing message</span>
          )}
          <button
            type="button"
            className="composer__mode-cancel"
            onClick={() => props.onCancelMode?.()}
            aria-label={mode.kind === 'edit' ? 'Cancel editing (Esc)' : 'Cancel reply (Esc)'}
          >
            ×
          </button>
        </div>
      )}
      {uploads && <AttachmentTray items={files} onRetry={uploads.retry} onRemove={uploads.remove} />}
      <div
        className={`composer__hint${why || counter || waiting ? ' composer__hint--shown' : ''}`}
        id={hintId}
        data-testid="composer-hint"
      >
        <span className="composer__problem" aria-live="polite">
          {why ?? waiting}
        </span>
        {counter && <span className="composer__counter">{counter}</span>}
      </div>
      {uploads && (
        <>
          <button
            type="button"
            className="composer__attach"
            onClick={() => fileInput.current?.click()}
            aria-label="Attach files"
            title="Attach files (or paste, or drop them here)"
          >
            <Icon size={20}>
              <path d="M16.5 6.5l-7.8 7.8a2 2 0 002.8 2.8l8.1-8.1a4 4 0 00-5.7-5.7l-8.4 8.4a6 6 0 008.5 8.5l7.4-7.4" />
            </Icon>
          </button>
          <input
            ref={fileInput}
            type="file"
            multiple
            accept={ACCEPT}
            hidden
            data-testid="attach-input"
            onChange={(event) => {
              const picked = [...(event.target.files ?? [])];
              event.target.value = ''; // the same file can be picked again
              if (picked.length) uploads.add(picked);
            }}
          />
        </>
      )}
      <label htmlFor={id} className="visually-hidden">
        Message {props.peerName}
      </label>
      <textarea
        id={id}
        ref={ref}
        rows={1}
        value={text}
        disabled={disabled}
        aria-describedby={why || counter || waiting ? hintId : undefined}
        aria-invalid={why && !disabled ? true : undefined}
        placeholder={disabled ? '' : `Message ${props.peerName}`}
        onChange={(e) => {
          setDraft(e.target.value);
          props.onTyping?.(e.target.value.trim().length > 0);
        }}
        onBlur={() => props.onTyping?.(false)}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
        enterKeyHint="send"
      />
      <button
        type="submit"
        className="composer__send"
        disabled={cannotSend}
        aria-label={editing ? 'Save edit' : 'Send message'}
      >
        <Icon size={20} filled>
          <path d="M3.4 20.4l17.45-7.48a1 1 0 000-1.84L3.4 3.6a.993.993 0 00-1.39.91L2 9.12c0 .5.37.93.87.99L17 12 2.87 13.88c-.5.07-.87.5-.87 1l.01 4.61c0 .71.73 1.2 1.39.91z" />
        </Icon>
      </button>
    </form>
  );
}
