/** Shown whenever the transcript is scrolled up: back to the newest message, with how many arrived below. */
export function JumpToLatest({ unseen, onJump }: { unseen: number; onJump(): void }) {
  return (
    <button type="button" className="jump" onClick={onJump}>
      {unseen > 0 ? `${unseen} new ${unseen === 1 ? 'message' : 'messages'}` : 'Jump to latest'}{' '}
      <span aria-hidden="true">↓</span>
    </button>
  );
}
