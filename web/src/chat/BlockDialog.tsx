import { ConfirmDialog } from '../shared/ConfirmDialog';

/** "Block <name>?", asked before blocking from the conversation header. */
export function BlockDialog(props: { name: string; busy: boolean; onConfirm(): void; onCancel(): void }) {
  return (
    <ConfirmDialog
      title={
        <>
          Block <bdi>{props.name}</bdi>?
        </>
      }
      text="Neither of you will be able to message the other, and they will not see you typing or reading. Your history stays. You can unblock them at any time."
      confirmLabel="Block"
      busyLabel="Blocking…"
      busy={props.busy}
      onConfirm={props.onConfirm}
      onCancel={props.onCancel}
    />
  );
}
