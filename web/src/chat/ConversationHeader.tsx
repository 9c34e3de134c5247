import { useFragment } from '@apollo/client/react';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { graphql } from '../gql';
import { Avatar } from '../shared/Avatar';
import { ConnectionBadge } from './ConnectionBadge';
import { MuteToggle } from './MuteToggle';
import { peerNames, type PeerName } from './peerNames';
import { Icon } from '../shared/Icon';
import { BlockDialog } from './BlockDialog';
import type { BlockApi } from './useBlock';

const ConversationHeader_user = graphql(`
  fragment ConversationHeader_user on User {
    id
    username
    displayName
  }
`);

/**
 * The peer is read from the cache by identity (User:<id>), filled by the people
 * list or by the conversation's messages, else from the names remembered on
 * this device (a reload while offline); it may still be unknown after a cold
 * reload of an empty conversation, hence the fallbacks.
 */
function usePeer(peerId: string): Partial<PeerName> | undefined {
  const { data } = useFragment({ fragment: ConversationHeader_user, from: { __typename: 'User', id: peerId } });
  const known = data?.displayName ? { username: data.username, displayName: data.displayName } : undefined;
  useEffect(() => {
    if (known?.username && known.displayName)
      peerNames.remember(peerId, { username: known.username, displayName: known.displayName });
  }, [peerId, known?.username, known?.displayName]);
  return known ?? peerNames.get(peerId);
}

export function ConversationHeader(props: {
  peerId: string;
  onBack(): void;
  typing?: boolean;
  /** Where the transcript puts its jumps (chat/TranscriptTools.tsx). */
  toolsHost?: (el: HTMLDivElement | null) => void;
  /** The conversation has a message (it exists on the server: it can be muted). */
  hasMessages?: boolean;
  /** Blocking the peer, from the options menu (chat/useBlock.ts). */
  block?: BlockApi;
}) {
  const data = usePeer(props.peerId);
  const name = data?.displayName ?? data?.username ?? 'Conversation';

  return (
    <header className="conversation__header">
      <button
        type="button"
        className="icon-button conversation__back"
        onClick={props.onBack}
        aria-label="Back to conversations"
      >
        <Icon size={22}>
          <path d="M15 18l-6-6 6-6" />
        </Icon>
      </button>
      <Avatar name={name} size={36} />
      <div className="conversation__title">
        {/* A name runs its own way (Hebrew, Arabic), isolated from what is around it. */}
        <h2>
          <bdi>{name}</bdi>
        </h2>
        {/* Always present, so that assistive technology announces "typing…" when it appears. */}
        <span className="conversation__status" aria-live="polite">
          {props.typing && <span className="typing">typing…</span>}
        </span>
        {!props.typing && data?.username && !isDeletedAccount(data.username) && (
          <span className="muted">@{data.username}</span>
        )}
      </div>
      <ToolsSlot onHost={props.toolsHost} />
      <MuteToggle peerId={props.peerId} hasMessages={props.hasMessages ?? false} />
      <ConnectionBadge className="conversation__connection" />
      {props.block && <ConversationOptions name={name} block={props.block} />}
    </header>
  );
}

/** The slot the transcript's jumps are put in (a callback ref: the transcript learns where it is). */
function ToolsSlot({ onHost }: { onHost?: (el: HTMLDivElement | null) => void }) {
  return <div className="conversation__tools" ref={onHost} />;
}

/**
 * The conversation's options (a disclosure: the ⋯ button shows them, Escape closes them): block the peer, after a
 * confirmation, or unblock them.
 */
function ConversationOptions({ name, block }: { name: string; block: BlockApi }) {
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const id = useId();
  const close = () => {
    setOpen(false);
    toggle.current?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !open) return;
    event.preventDefault(); // not "back to the list" (ChatShell)
    close();
  };
  return (
    <div className="conversation__options" onKeyDown={onKeyDown}>
      <button
        ref={toggle}
        type="button"
        className="icon-button"
        aria-label="Conversation options"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
      >
        <Icon size={20}>
          <circle cx="12" cy="5" r="1.5" fill="currentColor" />
          <circle cx="12" cy="12" r="1.5" fill="currentColor" />
          <circle cx="12" cy="19" r="1.5" fill="currentColor" />
        </Icon>
      </button>
      <div id={id} className="conversation__options-panel" hidden={!open}>
        {block.blockedByMe ? (
          <button
            type="button"
            className="button button--ghost"
            aria-label={`Unblock ${name}`}
            disabled={block.busy}
            onClick={() => void block.unblock().then((ok) => ok && close())}
          >
            {block.busy ? (
              'Unblocking…'
            ) : (
              <>
                Unblock <bdi>{name}</bdi>
              </>
            )}
          </button>
        ) : (
          <button
            type="button"
            className="button button--ghost conversation__block"
            aria-label={`Block ${name}…`}
            disabled={block.busy || block.blockedByMe === null}
            onClick={() => setConfirming(true)}
          >
            Block <bdi>{name}</bdi>…
          </button>
        )}
        {block.error && (
          <p className="error" role="alert">
            {block.error}
          </p>
        )}
      </div>
      {confirming && (
        <BlockDialog
          name={name}
          busy={block.busy}
          onCancel={() => {
            setConfirming(false);
            toggle.current?.focus();
          }}
          onConfirm={() =>
            void block.block().then((ok) => {
              setConfirming(false);
              if (ok) close();
            })
          }
        />
      )}
    </div>
  );
}

/**
 * A deleted account, as the server shows it (api/src/users/deletion.ts): "Deleted user" with the username
 * "deleted-" and 32 hex digits — 40 characters, longer than any sign-up may choose, so no one else has it.
 */
export function isDeletedAccount(username: string | undefined): boolean {
  return !!username && /^deleted-[0-9a-f]{32}$/.test(username);
}

/** The peer's account was deleted: nothing can be sent to them. */
export function usePeerDeleted(peerId: string): boolean {
  return isDeletedAccount(usePeer(peerId)?.username);
}

export function usePeerName(peerId: string): string {
  return usePeer(peerId)?.displayName ?? 'them';
}
