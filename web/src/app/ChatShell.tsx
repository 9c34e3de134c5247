import { useCallback, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useViewer } from '../auth/session';
import { useLogOut } from '../auth/useLogOut';
import { ConnectionAnnouncer, ConnectionBadge } from '../chat/ConnectionBadge';
import { ConversationView } from '../chat/ConversationView';
import { outboxFor } from '../chat/outbox';
import { peerNames } from '../chat/peerNames';
import { useMessageAddedSubscription } from '../chat/useMessageAddedSubscription';
import { useOutboxDelivery } from '../chat/useOutboxDelivery';
import { Inbox } from '../inbox/Inbox';
import { NotificationToggle } from '../inbox/NotificationToggle';
import { useUnreadTitle } from '../inbox/unreadTotal';
import { useConversationUpdates } from '../inbox/useConversationUpdates';
import { Avatar } from '../shared/Avatar';
import { tabForKey } from '../shared/tabKeys';
import { ThemeToggle } from '../shared/ThemeToggle';
import { UserSearch } from '../users/UserSearch';
import { useRoute } from './useRoute';

type Panel = 'chats' | 'people';
const PANELS: readonly Panel[] = ['chats', 'people'];

/**
 * Signed-in layout: the inbox on the left (or people search, to start a new
 * conversation), the open conversation on the right. On a phone only one of
 * the two is shown (the CSS switches on `data-view`).
 */
export function ChatShell() {
  const viewer = useViewer();
  const [route, navigate] = useRoute();
  const peerId = route.name === 'chat' ? route.peerId : undefined;
  const [panel, setPanel] = useState<Panel>('chats');
  // A tab chosen with the arrow keys keeps the focus (the tabs pattern); a click on "Find people" focuses the search.
  const [panelByKey, setPanelByKey] = useState(false);
  const ids = useId();

  const open = useCallback(
    (id: string) => {
      setPanel('chats'); // home is the inbox
      navigate({ name: 'chat', peerId: id });
    },
    [navigate],
  );

  // Every live message involving the viewer lands in its conversation, so the
  // ones not open are current when opened. The open conversation also has its
  // own subscription that catches up after reconnects (ConversationView).
  useMessageAddedSubscription(viewer.id);
  // Unacknowledged sends of any conversation keep being delivered.
  useOutboxDelivery(viewer.id);
  // The inbox follows every conversation, whichever is open; the total is in the tab's title.
  useConversationUpdates(viewer.id, { onOpen: open });
  const unread = useUnreadTitle();

  // Unsent messages and remembered names belong to this user's session on this device.
  const forget = useCallback(() => {
    outboxFor(viewer.id).clear();
    peerNames.clear();
  }, [viewer.id]);
  const session = useLogOut(forget);
  const [sessionOptions, setSessionOptions] = useState(false);
  const sessionToggle = useRef<HTMLButtonElement>(null);
  const closeSessionOptions = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    setSessionOptions(false);
    sessionToggle.current?.focus();
  };

  // Escape in the conversation: back to the list, on the conversation's row (on a phone, back to the inbox first).
  const sidebar = useRef<HTMLElement>(null);
  const focusList = (peer: string | undefined) => {
    const panel = sidebar.current?.querySelector('.sidebar__panel');
    const row = [...(panel?.querySelectorAll<HTMLElement>('[data-peer-id]') ?? [])].find(
      (el) => el.dataset.peerId === peer,
    );
    (row ?? panel?.querySelector<HTMLElement>('button, input'))?.focus();
  };
  const backToList = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || event.defaultPrevented || !peerId) return;
    event.preventDefault();
    const onePane = typeof window.matchMedia === 'function' && window.matchMedia('(max-width: 720px)').matches;
    if (onePane) {
      navigate({ name: 'home' });
      // After the inbox is shown again (the route changes on hashchange).
      setTimeout(() => focusList(peerId), 50);
    } else focusList(peerId);
  };

  // The ARIA tabs pattern: one tab in the Tab order, arrow keys (and Home/End) select and focus the others.
  const tabList = useRef<HTMLDivElement>(null);
  const onTabKeyDown = (event: KeyboardEvent) => {
    const next = tabForKey(event.key, PANELS, panel);
    if (!next) return;
    event.preventDefault();
    setPanelByKey(true);
    setPanel(next);
    tabList.current?.ownerDocument.getElementById(`${ids}-${next}-tab`)?.focus();
  };

  const tab = (name: Panel, label: string, count?: number) => (
    <button
      type="button"
      role="tab"
      id={`${ids}-${name}-tab`}
      aria-selected={panel === name}
      aria-controls={`${ids}-panel`}
      tabIndex={panel === name ? 0 : -1}
      className="tabs__tab"
      onClick={() => {
        setPanelByKey(false);
        setPanel(name);
      }}
    >
      {label}
      {count ? (
        <span className="tabs__count">
          <span aria-hidden="true">{count > 99 ? '99+' : count}</span>
          <span className="visually-hidden"> ({count} unread)</span>
        </span>
      ) : null}
    </button>
  );

  return (
    <main className="shell" data-view={peerId ? 'conversation' : 'inbox'}>
      <h1 className="visually-hidden">parley</h1>
      <ConnectionAnnouncer />
      <nav className="sidebar" aria-label="Inbox" ref={sidebar}>
        <header className="sidebar__header">
          <div className="brand brand--small">
            <span className="brand__mark" aria-hidden="true" /> parley
          </div>
          <div className="sidebar__tools">
            <ThemeToggle />
            <NotificationToggle />
            <ConnectionBadge className="sidebar__connection" />
          </div>
        </header>
        <div className="me">
          <Avatar name={viewer.displayName} size={36} />
          <div className="me__text">
            <span className="me__name">{viewer.displayName}</span>
            <span className="muted">@{viewer.username}</span>
          </div>
          <button
            type="button"
            className="button button--ghost"
            onClick={() => void session.logOut()}
            disabled={session.busy !== null}
          >
            {session.busy === 'logOut' ? 'Logging out…' : 'Log out'}
          </button>
          <button
            ref={sessionToggle}
            type="button"
            className="button button--ghost me__more"
            aria-label="More ways to log out"
            aria-expanded={sessionOptions}
            aria-controls={`${ids}-session`}
            onClick={() => setSessionOptions((open) => !open)}
          >
            <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" fill="none">
              <path
                d={sessionOptions ? 'M4 10l4-4 4 4' : 'M4 6l4 4 4-4'}
                stroke="currentColor"
                strokeWidth="1.8"
                strokeLinecap="round"
                strokeLinejoin="round"
              />
            </svg>
          </button>
        </div>
        <div
          id={`${ids}-session`}
          className="session-options"
          role="group"
          aria-label="Your sessions"
          hidden={!sessionOptions}
          onKeyDown={closeSessionOptions}
        >
          <p className="muted session-options__hint">Signed in on another phone or computer too? End every session.</p>
          <button
            type="button"
            className="button session-options__everywhere"
            onClick={() => void session.logOutEverywhere()}
            disabled={session.busy !== null}
          >
            {session.busy === 'logOutEverywhere' ? 'Logging out everywhere…' : 'Log out everywhere'}
          </button>
          {session.error && (
            <p className="error session-options__error" role="alert">
              {session.error}
            </p>
          )}
        </div>
        <div className="tabs sidebar__tabs" role="tablist" aria-label="Show" onKeyDown={onTabKeyDown} ref={tabList}>
          {tab('chats', 'Chats', unread)}
          {tab('people', 'Find people')}
        </div>
        <div className="sidebar__panel" role="tabpanel" id={`${ids}-panel`} aria-labelledby={`${ids}-${panel}-tab`}>
          {panel === 'chats' ? (
            <Inbox viewerId={viewer.id} activePeerId={peerId} onOpen={open} onFindPeople={() => setPanel('people')} />
          ) : (
            <UserSearch viewerId={viewer.id} activePeerId={peerId} onOpen={open} autoFocus={!panelByKey} />
          )}
        </div>
      </nav>
      <div className="main" onKeyDown={backToList}>
        {peerId ? (
          // Keyed: another conversation starts from fresh state (paging, draft, scroll).
          <ConversationView key={peerId} peerId={peerId} onBack={() => navigate({ name: 'home' })} />
        ) : (
          <div className="placeholder">
            <div className="placeholder__art" aria-hidden="true" />
            <h2>Pick someone to talk to</h2>
            <p className="muted">Open a conversation on the left, or find people to start a new one.</p>
          </div>
        )}
      </div>
    </main>
  );
}
