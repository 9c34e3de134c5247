import { describeError, isUnavailableError } from '../shared/errors';
import { useNow } from '../shared/useNow';
import { InboxRow } from './InboxRow';
import { useInbox } from './useInbox';

/**
 * Home: the viewer's conversations by latest activity, live (see
 * useConversationUpdates, mounted once for the signed-in user). Finding
 * someone new is elsewhere (`onFindPeople`).
 */
export function Inbox(props: {
  viewerId: string;
  activePeerId?: string;
  onOpen(peerId: string): void;
  onFindPeople(): void;
}) {
  const { conversations, loading, error, refetch, hasMore, loadMore, loadingMore, moreError } = useInbox();
  const now = useNow();

  if (!conversations && error) {
    return (
      <div className="state state--error" role="alert">
        <p>Could not load your conversations. {describeError(error)}</p>
        <button type="button" className="button" onClick={() => void refetch().catch(() => undefined)}>
          Try again
        </button>
      </div>
    );
  }
  if (!conversations) {
    return (
      <p className="state" role="status">
        <span className="spinner" aria-hidden="true" /> Loading conversations…
      </p>
    );
  }
  if (conversations.length === 0) {
    return (
      <div className="state inbox__empty">
        <p className="empty-title">No conversations yet — find someone to talk to</p>
        <button type="button" className="button button--primary" onClick={props.onFindPeople}>
          Find people
        </button>
      </div>
    );
  }
  return (
    <div className="inbox">
      {error &&
        !loading &&
        // Unreachable: the connection badge says "Offline" and the open conversation why; one red banner is enough.
        (isUnavailableError(error) ? (
          <p className="banner muted">Showing saved conversations.</p>
        ) : (
          <p className="banner banner--error" role="alert">
            Showing saved conversations — could not refresh: {describeError(error)}
          </p>
        ))}
      <ul className="inbox__list" aria-label="Conversations">
        {conversations.map((conversation) => (
          <InboxRow
            key={conversation.id}
            conversation={conversation}
            viewerId={props.viewerId}
            activePeerId={props.activePeerId}
            now={now}
            onOpen={props.onOpen}
          />
        ))}
      </ul>
      {hasMore && (
        <div className="inbox__more">
          {moreError && (
            <p className="error" role="alert">
              Could not load more conversations. {moreError}
            </p>
          )}
          <button type="button" className="button button--ghost" onClick={loadMore} disabled={loadingMore}>
            {loadingMore ? 'Loading…' : 'Show more conversations'}
          </button>
        </div>
      )}
    </div>
  );
}
