import { useEffect, useRef } from 'react';
import { formatBytes } from './attachmentRules';
import type { UploadItem } from './uploads';

/** A local preview of a picked image: an object URL set on the <img> (revoked when it goes). */
function Preview({ file }: { file: File }) {
  const ref = useRef<HTMLImageElement>(null);
  useEffect(() => {
    const img = ref.current;
    if (!img || typeof URL.createObjectURL !== 'function') return;
    const made = URL.createObjectURL(file);
    img.src = made;
    return () => URL.revokeObjectURL(made);
  }, [file]);
  return <img ref={ref} className="tray__preview" alt="" width={40} height={40} />;
}

function statusText(item: UploadItem): string {
  switch (item.status) {
    case 'uploading':
      return `Uploading ${Math.round(item.progress * 100)}%`;
    case 'done':
      return 'Ready to send';
    case 'failed':
      return item.error ?? 'Upload failed.';
    case 'refused':
      return item.error ?? 'This file cannot be sent.';
  }
}

function TrayItem(props: { item: UploadItem; onRetry(key: string): void; onRemove(key: string): void }) {
  const { item } = props;
  const problem = item.status === 'failed' || item.status === 'refused';
  return (
    <li className={`tray__item tray__item--${item.status}`} data-testid="upload" data-status={item.status}>
      {item.isImage && item.status !== 'refused' ? (
        <Preview file={item.file} />
      ) : (
        <span className="tray__preview tray__preview--file" aria-hidden="true">
          {item.filename.split('.').pop()?.slice(0, 4).toUpperCase() || 'FILE'}
        </span>
      )}
      <span className="tray__text">
        <span className="tray__name" title={item.filename}>
          {item.filename}
        </span>
        <span className={`tray__status${problem ? ' tray__status--problem' : ''}`}>
          {formatBytes(item.byteSize)} · {statusText(item)}
        </span>
        {item.status === 'uploading' && (
          <progress
            className="tray__progress"
            max={1}
            value={item.progress}
            aria-label={`Uploading ${item.filename}`}
          />
        )}
      </span>
      {item.status === 'failed' && (
        <button type="button" className="tray__action" onClick={() => props.onRetry(item.key)}>
          Retry<span className="visually-hidden"> uploading {item.filename}</span>
        </button>
      )}
      <button
        type="button"
        className="tray__remove"
        onClick={() => props.onRemove(item.key)}
        aria-label={item.status === 'uploading' ? `Cancel uploading ${item.filename}` : `Remove ${item.filename}`}
      >
        ×
      </button>
    </li>
  );
}

/** The files attached to the message being written, with their progress, problems, Retry and Remove. */
export function AttachmentTray(props: {
  items: UploadItem[];
  onRetry(key: string): void;
  onRemove(key: string): void;
}) {
  if (props.items.length === 0) return null;
  return (
    <ul className="tray" aria-label="Attached files">
      {props.items.map((item) => (
        <TrayItem key={item.key} item={item} onRetry={props.onRetry} onRemove={props.onRemove} />
      ))}
    </ul>
  );
}
