import { ConfirmDialog } from '../shared/ConfirmDialog';

/** "Delete this message?", asked before deleting one's own message for everyone. */
export function DeleteDialog(props: { onConfirm(): void; onCancel(): void }) {
  return (
    <ConfirmDialog
      title="Delete this message?"
      text="It is deleted for both of you. This cannot be undone."
      confirmLabel="Delete"
      onConfirm={props.onConfirm}
      onCancel={props.onCancel}
    />
  );
}
