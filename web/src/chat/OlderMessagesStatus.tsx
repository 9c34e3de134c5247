/** The top of the transcript: loading the older page, why it failed, or that there is nothing older. */
export function OlderMessagesStatus(props: {
  loading: boolean;
  error: string | null;
  atBeginning: boolean;
  onRetry(): void;
}) {
  return (
    <div className="transcript__top" aria-live="polite">
      {props.loading ? (
        <span className="spinner-row" role="status">
          <span className="spinner" aria-hidden="true" /> Loading older messages…
        </span>
      ) : props.error ? (
        <span className="error">
          Could not load older messages: {props.error}{' '}
          <button type="button" className="link-button" onClick={props.onRetry}>
            Retry
          </button>
        </span>
      ) : props.atBeginning ? (
        <span className="muted">This is the beginning of your conversation.</span>
      ) : null}
    </div>
  );
}
