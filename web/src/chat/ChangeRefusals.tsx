import { changesFor, type MessageChange, useRefusedChanges } from './outboxChanges';

function what(change: MessageChange): string {
  switch (change.kind) {
    case 'edit':
      return 'Your edit was not saved';
    case 'delete':
      return 'The message was not deleted';
    case 'react':
      return `Your reaction ${change.emoji} was not ${change.on ? 'added' : 'removed'}`;
  }
}

/**
 * The edits, deletions and reactions the server refused for good (outboxChangesSender.ts): each was taken back on
 * its message, and is said here with the server's reason until dismissed.
 */
export function ChangeRefusals(props: { viewerId: string }) {
  const refused = useRefusedChanges(props.viewerId);
  if (refused.length === 0) return null;
  return (
    <div className="banner banner--error change-refusals" role="alert">
      <ul>
        {refused.map(({ change, reason }) => (
          <li key={change.id}>
            <span>
              {what(change)}: {reason}
            </span>
            <button
              type="button"
              className="button button--ghost"
              onClick={() => changesFor(props.viewerId).dismiss(change.id)}
            >
              Dismiss
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
