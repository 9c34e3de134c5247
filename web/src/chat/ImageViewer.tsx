import { useEffect, useId, useRef } from 'react';

/**
 * An image at full size in a modal <dialog> (the browser traps the focus; Escape and the close button close it, and
 * the focus goes back to the thumbnail that opened it).
 */
export function ImageViewer(props: { url: string; filename: string; onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const close = useRef<HTMLButtonElement>(null);
  const id = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal?.();
    close.current?.focus();
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog viewer"
      aria-labelledby={`${id}-title`}
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
      onKeyDown={(event) => {
        // Escape closes the viewer only, not the conversation too (ChatShell: Escape goes back to the list).
        if (event.key !== 'Escape') return;
        event.preventDefault();
        event.stopPropagation();
        props.onClose();
      }}
      // A click on the backdrop (the dialog itself, outside its content) closes it.
      onClick={(event) => event.target === event.currentTarget && props.onClose()}
    >
      <div className="viewer__bar">
        <h2 id={`${id}-title`} className="viewer__title" title={props.filename}>
          {props.filename}
        </h2>
        <a className="button button--ghost" href={props.url} target="_blank" rel="noopener noreferrer">
          Open original<span className="visually-hidden"> in a new tab</span>
        </a>
        <button ref={close} type="button" className="button" onClick={props.onClose}>
          Close
        </button>
      </div>
      <img className="viewer__image" src={props.url} alt={props.filename} />
    </dialog>
  );
}
