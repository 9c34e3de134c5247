/** The message a reply answers, above the reply's text (or above the composer while replying). */
export function ReplyQuote(props: {
  senderName: string;
  content: string;
  deleted: boolean;
  /** Scrolls to the original (a button then). */
  onShow?(): void;
}) {
  const text = props.deleted ? 'This message was deleted' : props.content;
  const body = (
    <>
      <span className="quote__sender" dir="auto">
        {props.senderName}
      </span>
      <span className={`quote__text${props.deleted ? ' quote__text--deleted' : ''}`} dir="auto">
        {text}
      </span>
    </>
  );
  if (!props.onShow) return <div className="quote">{body}</div>;
  return (
    <button type="button" className="quote quote--button" onClick={props.onShow}>
      {/* The visible text is the name (axe: label-content-name-mismatch), with where it leads for screen readers. */}
      <span className="visually-hidden">In reply to </span>
      {body}
      <span className="visually-hidden">. Show the original</span>
    </button>
  );
}
