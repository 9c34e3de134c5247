import { useId, useState, type KeyboardEvent } from 'react';
import { useMessageActions } from './messageActionsContext';

type Reaction = { emoji: string; count: number; reactedByMe: boolean };

/**
 * Who reacted with one emoji. A conversation has two people, so the count and whether the viewer reacted say it:
 * "You", the peer, or both. (Counts above two cannot happen in a 1:1 chat; they are told as a number.)
 */
export function reactedBy(r: Reaction, peerName: string | undefined): string {
  const peer = peerName || 'Them';
  const others = r.count - (r.reactedByMe ? 1 : 0);
  if (others <= 0) return 'You';
  if (others === 1) return r.reactedByMe ? `You and ${peer}` : peer;
  return r.reactedByMe ? `You and ${others} others` : `${others} people`;
}

/**
 * The reactions under a bubble: one chip per emoji with its count, the viewer's own highlighted; a click toggles.
 * Who reacted is in each chip's accessible name, and shown in a tooltip while the chip is hovered or has the
 * keyboard focus (a title attribute alone is neither keyboard- nor touch-reachable). The tooltip is always in the
 * DOM and shown by CSS (:hover, :focus-visible): a re-render as the pointer arrives could swallow the click that
 * follows. Escape hides it until the chip is left.
 */
export function ReactionChips(props: {
  reactions: ReadonlyArray<Reaction>;
  onToggle?(emoji: string, on: boolean): void;
}) {
  const peerName = useMessageActions()?.peerName;
  const [dismissed, setDismissed] = useState<string | null>(null);
  const tipId = useId();
  if (props.reactions.length === 0) return null;
  const undismiss = () => setDismissed((d) => (d === null ? d : null));
  return (
    <ul className="reactions" aria-label="Reactions">
      {props.reactions.map((r, index) => {
        const who = reactedBy(r, peerName);
        const hint = `${tipId}-${index}`;
        const onKeyDown = (event: KeyboardEvent) => {
          if (event.key === 'Escape' && dismissed !== r.emoji) {
            event.stopPropagation(); // closes the tooltip only, not what holds the bubble
            setDismissed(r.emoji);
          }
        };
        return (
          <li key={r.emoji} className="reactions__item" onMouseLeave={undismiss}>
            <button
              type="button"
              className={`reaction${r.reactedByMe ? ' reaction--mine' : ''}`}
              aria-pressed={r.reactedByMe}
              aria-label={`${r.emoji} ${r.count}: ${who}`}
              aria-describedby={props.onToggle ? hint : undefined}
              data-testid="reaction"
              disabled={!props.onToggle}
              onClick={() => props.onToggle?.(r.emoji, !r.reactedByMe)}
              onBlur={undismiss}
              onKeyDown={onKeyDown}
            >
              <span aria-hidden="true">{r.emoji}</span>
              <span className="reaction__count" aria-hidden="true">
                {r.count}
              </span>
            </button>
            <span id={hint} className="visually-hidden">
              {r.reactedByMe ? 'Remove your reaction' : 'React too'}
            </span>
            {/* For the eyes only: the accessible name already says it. */}
            <span
              className={`reaction__tip${dismissed === r.emoji ? ' reaction__tip--dismissed' : ''}`}
              aria-hidden="true"
              data-testid="reaction-tip"
            >
              {who}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
