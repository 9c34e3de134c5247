import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * A question with a harmful answer ("Delete this message?", "Block Bo?") as a modal <dialog>: the browser traps the
 * focus and Escape cancels; the focus starts on Cancel, the harmless choice. While `busy`, the confirm button is
 * disabled and says `busyLabel`.
 */
export function ConfirmDialog(props: {
  title: ReactNode;
  text: ReactNode;
  confirmLabel: string;
  busyLabel?: string;
  busy?: boolean;
  onConfirm(): void;
  onCancel(): void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const id = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal?.();
    cancel.current?.focus();
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-text`}
      onCancel={(event) => {
        event.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id={`${id}-title`} className="dialog__title">
        {props.title}
      </h2>
      <p id={`${id}-text`} className="muted">
        {props.text}
      </p>
      <div className="dialog__actions">
        <button ref={cancel} type="button" className="button button--ghost" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="button" className="button button--danger" onClick={props.onConfirm} disabled={props.busy}>
          {props.busy ? (props.busyLabel ?? props.confirmLabel) : props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
