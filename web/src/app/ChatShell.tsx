import { lazy, Suspense, useCallback, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTypingFeed } from '../apollo/typing';
import { useViewer } from '../auth/session';
import { useLogOut } from '../auth/useLogOut';
import { ConnectionAnnouncer, ConnectionBadge } from '../chat/ConnectionBadge';
import { ConversationView } from '../chat/ConversationView';
import { outboxFor } from '../chat/outbox';
import { forgetPendingUploads } from '../chat/pendingUploadsDelivery';
import { changesFor } from '../chat/outboxChanges';
import { peerNames } from '../chat/peerNames';
import { useMessageAddedSubscription } from '../chat/useMessageAddedSubscription';
import { useMessageUpdatedSubscription } from '../chat/useMessageUpdates';
import { useOutboxDelivery } from '../chat/useOutboxDelivery';
import { Inbox } from '../inbox/Inbox';
import { NotificationToggle } from '../inbox/NotificationToggle';
import { SearchMessages } from '../inbox/SearchMessages';
import { useUnreadTitle } from '../inbox/unreadTotal';
import { useConversationUpdates } from '../inbox/useConversationUpdates';
import { useAppBadge } from '../push/appBadge';
import { PushMenu } from '../push/PushMenu';
import { forgetPushSubscription } from '../push/forget';
import { Avatar } from '../shared/Avatar';
import { tabForKey } from '../shared/tabKeys';
import { ThemeToggle } from '../shared/ThemeToggle';
import { useOnceTrue } from '../shared/useOnceTrue';
import { UserSearch } from '../users/UserSearch';
import { useOnePane } from './useOnePane';
import { useRoute, type MessageAt } from './useRoute';
import { Icon } from '../shared/Icon';

// The settings are a chunk of their own, fetched when first opened (most visits never do). Offline before the
// service worker has it, the view says so instead of a blank pane.
const SettingsView = lazy(() =>
  import('../settings/SettingsView').then(
    (module) => ({ default: module.SettingsView }),
    () => ({ default: SettingsUnavailable }),
  ),
);

function SettingsUnavailable() {
  return (
    <div className="state state--center state--error" role="alert">
      <p>Could not load the settings. Check your connection, then reload.</p>
      <button type="button" className="button" onClick={() => window.location.reload()}>
        Reload
      </button>
    </div>
  );
}

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
  const settings = route.name === 'settings';
  const [panel, setPanel] = useState<Panel>('chats');
  // On a phone with a conversation (or the settings) open, the sidebar is not shown: its inbox, people search and
  // message search are built the first time it is, not while the conversation loads (issue #24: a page opened at a
  // conversation does none of the hidden pane's work). Once built they stay, with their state.
  const onePane = useOnePane();
  const sidebarShown = useOnceTrue(!(onePane && (peerId || settings)));
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
  // A search hit: its conversation, opened at that message.
  const openAt = useCallback(
    (id: string, at: MessageAt) => {
      setPanel('chats');
      navigate({ name: 'chat', peerId: id, at });
    },
    [navigate],
  );

  // Every live message involving the viewer lands in its conversation, the open one included: the one stream that
  // feeds them all (the open conversation only catches up over its own after a gap: chat/useCatchUp.ts).
  useMessageAddedSubscription(viewer.id);
  // Every edit, deletion and reaction of those messages, live, over the same socket.
  useMessageUpdatedSubscription(viewer.id);
  // Who is typing to the viewer: one subscription for the inbox rows and the open conversation.
  useTypingFeed();
  // Unacknowledged sends of any conversation keep being delivered.
  useOutboxDelivery(viewer.id);
  // The inbox follows every conversation, whichever is open; the total is in the tab's title.
  useConversationUpdates(viewer.id, { onOpen: open });
  const unread = useUnreadTitle();
  useAppBadge(unread);

  // Unsent messages and remembered names belong to this user's session on this device.
  const forget = useCallback(() => {
    outboxFor(viewer.id).clear();
    void forgetPendingUploads(viewer.id);
    changesFor(viewer.id).clear();
    peerNames.clear();
    forgetPushSubscription();
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
    <main className="shell" data-view={peerId || settings ? 'conversation' : 'inbox'}>
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
            <PushMenu viewerId={viewer.id} />
            <a
              href="#/settings"
              className="icon-button settings-link"
              aria-label="Settings"
              aria-current={settings ? 'page' : undefined}
            >
              <Icon size={18}>
                <circle cx="12" cy="12" r="3" />
                <path d="M19.4 15a1.7 1.7 0 00.3 1.8l.1.1a2 2 0 11-2.8 2.8l-.1-.1a1.7 1.7 0 00-1.8-.3 1.7 1.7 0 00-1 1.5V21a2 2 0 11-4 0v-.1a1.7 1.7 0 00-1.1-1.5 1.7 1.7 0 00-1.8.3l-.1.1a2 2 0 11-2.8-2.8l.1-.1a1.7 1.7 0 00.3-1.8 1.7 1.7 0 00-1.5-1H3a2 2 0 110-4h.1a1.7 1.7 0 001.5-1.1 1.7 1.7 0 00-.3-1.8l-.1-.1a2 2 0 112.8-2.8l.1.1a1.7 1.7 0 001.8.3H9a1.7 1.7 0 001-1.5V3a2 2 0 114 0v.1a1.7 1.7 0 001 1.5 1.7 1.7 0 001.8-.3l.1-.1a2 2 0 112.8 2.8l-.1.1a1.7 1.7 0 00-.3 1.8V9a1.7 1.7 0 001.5 1H21a2 2 0 110 4h-.1a1.7 1.7 0 00-1.5 1z" />
              </Icon>
            </a>
            <ConnectionBadge className="sidebar__connection" />
          </div>
        </header>
        <div className="me">
          <Avatar name={viewer.displayName} size={36} />
          <div className="me__text">
            <span className="me__name" dir="auto">
              {viewer.displayName}
            </span>
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
            <Icon size={16} viewBox="0 0 16 16" strokeWidth={1.8}>
              <path d={sessionOptions ? 'M4 10l4-4 4 4' : 'M4 6l4 4 4-4'} />
            </Icon>
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
        {sidebarShown && <SearchMessages viewerId={viewer.id} onOpenMessage={openAt} />}
        <div className="tabs sidebar__tabs" role="tablist" aria-label="Show" onKeyDown={onTabKeyDown} ref={tabList}>
          {tab('chats', 'Chats', unread)}
          {tab('people', 'Find people')}
        </div>
        <div className="sidebar__panel" role="tabpanel" id={`${ids}-panel`} aria-labelledby={`${ids}-${panel}-tab`}>
          {!sidebarShown ? null : panel === 'chats' ? (
            <Inbox viewerId={viewer.id} activePeerId={peerId} onOpen={open} onFindPeople={() => setPanel('people')} />
          ) : (
            <UserSearch viewerId={viewer.id} activePeerId={peerId} onOpen={open} autoFocus={!panelByKey} />
          )}
        </div>
      </nav>
      <div className="main" onKeyDown={backToList}>
        {settings ? (
          <Suspense
            fallback={
              <div className="state state--center" role="status">
                <span className="spinner" aria-hidden="true" /> Loading settings…
              </div>
            }
          >
            <SettingsView onBack={() => navigate({ name: 'home' })} forget={forget} />
          </Suspense>
        ) : peerId ? (
          // Keyed: another conversation starts from fresh state (paging, draft, scroll).
          <ConversationView
            key={peerId}
            peerId={peerId}
            at={route.name === 'chat' ? route.at : undefined}
            onBack={() => navigate({ name: 'home' })}
          />
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
