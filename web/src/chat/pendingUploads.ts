import { createStore, del, get, update, type UseStore } from 'idb-keyval';

/**
 * The files of sent messages that were not uploaded yet, kept on this device (IndexedDB: Blobs are too big for
 * localStorage, where the outbox keeps the message itself) so that they survive a reload: one record per message,
 * under one key per signed-in user, like the outbox. A file's state: `uploadId` once uploaded (its bytes are then
 * dropped), its bytes otherwise (not started, or started and cut off: uploaded again from the start).
 *
 * This module only stores; pendingUploadsSender.ts restores them into the upload queues and sends their messages.
 */
export interface PendingFile {
  /** The UploadQueue item's key; the outbox entry shows the file as `local:<key>` until it is uploaded. */
  key: string;
  filename: string;
  contentType: string;
  byteSize: number;
  /** Its bytes, while it is not uploaded. */
  blob?: Blob;
  uploadId?: string;
}

export interface PendingMessage {
  clientMessageId: string;
  recipientId: string;
  files: PendingFile[];
}

export function pendingUploadsKey(userId: string): string {
  return `parley.pendingUploads.${userId}`;
}

let defaultStore: UseStore | undefined;
const store = () => (defaultStore ??= createStore('parley-uploads', 'pending'));

const isFile = (f: unknown): f is PendingFile => {
  const x = f as PendingFile;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof x.key === 'string' &&
    typeof x.filename === 'string' &&
    typeof x.contentType === 'string' &&
    typeof x.byteSize === 'number' &&
    (x.blob instanceof Blob || typeof x.uploadId === 'string')
  );
};
const isMessage = (m: unknown): m is PendingMessage => {
  const x = m as PendingMessage;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof x.clientMessageId === 'string' &&
    typeof x.recipientId === 'string' &&
    Array.isArray(x.files) &&
    x.files.every(isFile)
  );
};

/**
 * One user's pending files. Every write is a read-modify-write in one IndexedDB transaction (idb-keyval's update);
 * failures (IndexedDB disabled, quota) are swallowed: the upload still goes on for this page's lifetime.
 */
export class PendingUploads {
  private readonly key: string;

  /** `idb`: for tests; a store of the app's own otherwise. */
  constructor(
    readonly userId: string,
    private readonly idb: UseStore = store(),
  ) {
    this.key = pendingUploadsKey(userId);
  }

  async all(): Promise<PendingMessage[]> {
    try {
      const stored = await get<unknown>(this.key, this.idb);
      // Unreadable records are dropped: nothing we could upload safely.
      return Array.isArray(stored) ? stored.filter(isMessage) : [];
    } catch {
      return [];
    }
  }

  /** Keeps a sent message's files (replacing what was kept for it). */
  put(message: PendingMessage): Promise<void> {
    return this.change((all) => [...all.filter((m) => m.clientMessageId !== message.clientMessageId), message]);
  }

  /** A file is uploaded: its id is kept, its bytes are not needed any more. */
  uploaded(clientMessageId: string, key: string, uploadId: string): Promise<void> {
    return this.change((all) =>
      all.map((m) =>
        m.clientMessageId !== clientMessageId
          ? m
          : {
              ...m,
              files: m.files.map((f) => (f.key === key ? { ...f, blob: undefined, uploadId } : f)),
            },
      ),
    );
  }

  /** The message went out (or was discarded): its files are forgotten. */
  remove(clientMessageId: string): Promise<void> {
    return this.change((all) => all.filter((m) => m.clientMessageId !== clientMessageId));
  }

  /** Log-out: everything of this user's goes. */
  async clear(): Promise<void> {
    try {
      await del(this.key, this.idb);
    } catch {
      /* nothing stored */
    }
  }

  private async change(edit: (all: PendingMessage[]) => PendingMessage[]): Promise<void> {
    try {
      await update<unknown>(
        this.key,
        (stored) => {
          const next = edit(Array.isArray(stored) ? stored.filter(isMessage) : []);
          return next.length > 0 ? next : undefined;
        },
        this.idb,
      );
    } catch {
      /* IndexedDB unavailable: kept in memory only */
    }
  }
}
