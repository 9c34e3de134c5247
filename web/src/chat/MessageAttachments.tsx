import { useRef, useState, type MouseEvent } from 'react';
import { ImageViewer } from './ImageViewer';
import { useViewer } from '../auth/session';
import { getFragmentData, graphql, type FragmentType } from '../gql';
import type { MessageAttachments_MessageFragment } from '../gql/graphql';
import { formatBytes, isImageType } from './attachmentRules';
import { urlExpired, urlExpiring, useAttachmentRefresh } from './useAttachmentRefresh';

export const MessageAttachments_message = graphql(`
  fragment MessageAttachments_message on Message {
    id
    cursor
    sender {
      id
    }
    recipient {
      id
    }
    attachments {
      id
      filename
      contentType
      byteSize
      url
      width
      height
      thumbnailUrl
    }
  }
`);

type Attachment = MessageAttachments_MessageFragment['attachments'][number];

/** The box an image thumbnail takes, fixed before it loads (the transcript must not jump). */
const BOX = 240;
/** Before the server has read an image's size: a box of this shape (the image is fitted inside it). */
const UNKNOWN = { width: BOX, height: 180 };

export function thumbnailBox(a: { width?: number | null; height?: number | null }): { width: number; height: number } {
  if (!a.width || !a.height) return UNKNOWN;
  const scale = Math.min(1, BOX / a.width, BOX / a.height);
  return { width: Math.max(1, Math.round(a.width * scale)), height: Math.max(1, Math.round(a.height * scale)) };
}

type Refresh = () => Promise<ReadonlyArray<{ id: string; url: string }>>;

function ImageAttachment(props: { attachment: Attachment; onOpen(): void; onExpired: Refresh }) {
  const { attachment } = props;
  const src = attachment.thumbnailUrl ?? attachment.url;
  // The URL that failed to load; a new URL (refreshed) is tried again. `gone`: it failed after a refresh too.
  const [failed, setFailed] = useState<{ src: string; gone: boolean } | null>(null);
  const box = thumbnailBox(attachment);
  const broken = failed?.src === src;
  const onError = () => {
    if (broken) return;
    setFailed({ src, gone: false });
    props.onExpired().then(
      () => setFailed((f) => (f?.src === src ? { src, gone: true } : f)),
      () => setFailed((f) => (f?.src === src ? { src, gone: true } : f)),
    );
  };
  return (
    <button
      type="button"
      className="attachment-image"
      style={{ width: box.width, height: box.height }}
      onClick={props.onOpen}
      aria-label={`Open image ${attachment.filename}`}
      data-testid="attachment-image"
    >
      {broken ? (
        <span className="attachment-image__missing">{failed.gone ? 'Image unavailable' : 'Loading image…'}</span>
      ) : (
        <img
          src={src}
          alt={attachment.filename}
          width={box.width}
          height={box.height}
          loading="lazy"
          decoding="async"
          onError={onError}
        />
      )}
    </button>
  );
}

/**
 * A download link. Its signed URL expires (ATTACHMENT_URL_TTL): pointed at or focused once it has (or is about to),
 * it is signed again; clicked before that is done, the click waits for the fresh URL and is made again with it (still
 * within the click's user activation, so the new tab is not blocked).
 */
function FileChip({ attachment, onExpired }: { attachment: Attachment; onExpired: Refresh }) {
  const link = useRef<HTMLAnchorElement>(null);
  const refreshing = useRef<Promise<string | null> | null>(null);
  const fresh = () =>
    (refreshing.current ??= onExpired()
      .then(
        (all) => all.find((a) => a.id === attachment.id)?.url ?? null,
        () => null,
      )
      .finally(() => (refreshing.current = null)));
  const freshen = () => {
    if (urlExpiring(attachment.url)) void fresh();
  };
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    const a = link.current;
    if (!a || !urlExpiring(a.href)) return;
    event.preventDefault();
    void fresh().then((url) => {
      if (!url || urlExpired(url)) return; // not signed again: nothing better to follow
      a.href = url;
      // Past the click's user activation a new tab would be blocked: the link is fresh for the next click then.
      if (navigator.userActivation?.isActive !== false) a.click();
    });
  };
  return (
    <a
      ref={link}
      className="file-chip"
      href={attachment.url}
      onPointerEnter={freshen}
      onFocus={freshen}
      onClick={onClick}
      download={attachment.filename}
      target="_blank"
      rel="noopener noreferrer"
      data-testid="attachment-file"
    >
      <span className="file-chip__icon" aria-hidden="true">
        {attachment.filename.split('.').pop()?.slice(0, 4).toUpperCase() || 'FILE'}
      </span>
      <span className="file-chip__text">
        <span className="file-chip__name">{attachment.filename}</span>
        <span className="file-chip__size">
          {formatBytes(attachment.byteSize)}
          <span className="visually-hidden">, download</span>
        </span>
      </span>
    </a>
  );
}

/** A message's files: images as thumbnails (their size reserved; a click opens the viewer), others as chips. */
export function MessageAttachments(props: { message: FragmentType<typeof MessageAttachments_message> }) {
  const message = getFragmentData(MessageAttachments_message, props.message);
  return message.attachments.length === 0 ? null : <AttachmentList message={message} />;
}

function AttachmentList({ message }: { message: MessageAttachments_MessageFragment }) {
  const viewer = useViewer();
  const refresh = useAttachmentRefresh();
  const [open, setOpen] = useState<Attachment | null>(null);
  // The thumbnail that opened the viewer gets the focus back when it closes.
  const opener = useRef<HTMLElement | null>(null);
  const show = (a: Attachment) => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setOpen(a);
  };
  const close = () => {
    setOpen(null);
    // Once the modal dialog is gone (while it is open, nothing outside it can take the focus).
    setTimeout(() => opener.current?.focus(), 0);
  };
  const peerId = message.sender.id === viewer.id ? message.recipient.id : message.sender.id;
  const expired = () => refresh(peerId, message.cursor);
  return (
    <>
      <ul className="attachments" aria-label="Attachments">
        {message.attachments.map((a) => (
          <li key={a.id}>
            {isImageType(a.contentType) ? (
              <ImageAttachment attachment={a} onOpen={() => show(a)} onExpired={expired} />
            ) : (
              <FileChip attachment={a} onExpired={expired} />
            )}
          </li>
        ))}
      </ul>
      {open && <ImageViewer url={open.url} filename={open.filename} onClose={close} />}
    </>
  );
}

/** The files of a message still in the outbox: their names and sizes (no URL yet). */
export function PendingAttachments(props: {
  files: ReadonlyArray<{ id: string; filename: string; byteSize: number }>;
}) {
  return (
    <ul className="attachments" aria-label="Attachments">
      {props.files.map((f) => (
        <li key={f.id} className="file-chip file-chip--pending">
          <span className="file-chip__icon" aria-hidden="true">
            {f.filename.split('.').pop()?.slice(0, 4).toUpperCase() || 'FILE'}
          </span>
          <span className="file-chip__text">
            <span className="file-chip__name">{f.filename}</span>
            <span className="file-chip__size">{formatBytes(f.byteSize)}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}
