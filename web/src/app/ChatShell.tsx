import { useSession, useViewer } from '../auth/session';
import { ConnectionBadge } from '../chat/ConnectionBadge';
import { ConversationView } from '../chat/ConversationView';
import { outboxFor } from '../chat/outbox';
import { peerNames } from '../chat/peerNames';
import { useMessageAddedSubscription } from '../chat/useMessageAddedSubscription';
import { useOutboxDelivery } from '../chat/useOutboxDelivery';
import { Avatar } from '../shared/Avatar';
import { UserSearch } from '../users/UserSearch';
import { useRoute } from './useRoute';

/**
 * Signed-in layout: people on the left, the open conversation on the right.
 * On a phone only one of the two is shown (the CSS switches on `data-view`).
 */
export function ChatShell() {
  const viewer = useViewer();
  const { signOut } = useSession();
  const [route, navigate] = useRoute();
  const peerId = route.name === 'chat' ? route.peerId : undefined;

  // Every live message involving the viewer lands in its conversation, so the
  // ones not open are current when opened. The open conversation also has its
  // own subscription that catches up after reconnects (ConversationView).
  useMessageAddedSubscription(viewer.id);
  // Unacknowledged sends of any conversation keep being delivered.
  useOutboxDelivery(viewer.id);

  const logOut = () => {
    // Unsent messages and remembered names belong to this user's session on this device.
    outboxFor(viewer.id).clear();
    peerNames.clear();
    signOut();
  };

  return (
    <div className="shell" data-view={peerId ? 'conversation' : 'people'}>
      <aside className="sidebar" aria-label="People">
        <header className="sidebar__header">
          <div className="brand brand--small">
            <span className="brand__mark" aria-hidden="true" /> parley
          </div>
          <ConnectionBadge className="sidebar__connection" />
        </header>
        <div className="me">
          <Avatar name={viewer.displayName} size={36} />
          <div className="me__text">
            <span className="me__name">{viewer.displayName}</span>
            <span className="muted">@{viewer.username}</span>
          </div>
          <button type="button" className="button button--ghost" onClick={logOut}>
            Log out
          </button>
        </div>
        <UserSearch
          viewerId={viewer.id}
          activePeerId={peerId}
          onOpen={(id) => navigate({ name: 'chat', peerId: id })}
        />
      </aside>
      <main className="main">
        {peerId ? (
          // Keyed: another conversation starts from fresh state (paging, draft, scroll).
          <ConversationView key={peerId} peerId={peerId} onBack={() => navigate({ name: 'home' })} />
        ) : (
          <div className="placeholder">
            <div className="placeholder__art" aria-hidden="true" />
            <h2>Pick someone to talk to</h2>
            <p className="muted">Search for people on the left and open a conversation.</p>
          </div>
        )}
      </main>
    </div>
  );
}
