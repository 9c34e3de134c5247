// The transcript's jumps that are not "to the latest": in the conversation's header (a slot it offers), where they
// cover no message, and only while they help.
import { createPortal } from 'react-dom';
import { Icon } from '../shared/Icon';

export interface TranscriptToolsProps {
  /** The header's slot; nothing is shown before it exists (its first render). */
  slot: HTMLElement | null;
  /** "Jump to the beginning": while the first message is not in reach (older pages, or scrolled away from it). */
  beginning: { show: boolean; busy: boolean; onJump(): void };
  /** "Jump to first unread": while the "New messages" divider is far above what is on screen. */
  firstUnread?: { show: boolean; onJump(): void };
}

export function TranscriptTools({ slot, beginning, firstUnread }: TranscriptToolsProps) {
  if (!slot) return null;
  return createPortal(
    <>
      {firstUnread?.show && (
        <button type="button" className="header-jump" onClick={firstUnread.onJump} title="Jump to first unread">
          <Icon size={18}>
            <path d="M12 19V5M5 12l7-7 7 7" />
          </Icon>
          <span className="header-jump__text">Jump to first unread</span>
        </button>
      )}
      {beginning.show && (
        <button
          type="button"
          className="header-jump"
          onClick={beginning.onJump}
          disabled={beginning.busy}
          title={beginning.busy ? 'Loading the whole conversation…' : 'Jump to the beginning'}
        >
          {beginning.busy ? (
            <span className="spinner" aria-hidden="true" />
          ) : (
            <Icon size={18}>
              <path d="M5 5h14M12 20V9M6 14l6-6 6 6" />
            </Icon>
          )}
          <span className="header-jump__text">
            {beginning.busy ? 'Loading the whole conversation…' : 'Jump to the beginning'}
          </span>
        </button>
      )}
    </>,
    slot,
  );
}
