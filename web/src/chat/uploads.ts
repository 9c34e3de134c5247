/**
 * The composer's files, each through an honest state machine:
 *
 *   refused   a rule says no before anything is sent (too large, a type the server refuses): only removal
 *   uploading createUpload, then the form POST with its progress (0..1)
 *   done      uploaded: its upload id goes out with the message
 *   failed    the upload did not go through: Retry (the same presigned form while it is valid, else a new one)
 *
 * Removing a file cancels its upload. The message may be sent before its files are done: those still uploading (or
 * failed, unless refused for good) then leave the composer's tray (`all`) but keep their upload going, bound to the
 * message (`sentWith`: detached by `sent()`, adopted by its clientMessageId; pendingUploadsSender.ts sends the message
 * once they are done). This module never sends a message. Dependencies are injected: createUpload over GraphQL and the
 * POST (uploadRequest.ts) in the app.
 */
import { fileProblem, contentTypeOf, isImageType, MAX_ATTACHMENTS } from './attachmentRules';
import { UploadFailed, type UploadForm } from './uploadRequest';

export type UploadStatus = 'refused' | 'uploading' | 'done' | 'failed';

export interface UploadTicket extends UploadForm {
  id: string;
  expiresAt: string;
}

export interface UploadItem {
  /** This item, locally (React key, actions). */
  key: string;
  file: File;
  filename: string;
  contentType: string;
  byteSize: number;
  isImage: boolean;
  status: UploadStatus;
  /** Of the POST, 0..1 (uploading). */
  progress: number;
  /** Why it was refused or failed. */
  error?: string;
  /** The upload's id once done (sendMessage's attachmentIds). */
  uploadId?: string;
  /** A failed createUpload the server will refuse again however often it is asked (a rule, not the network). */
  permanent?: boolean;
  /** Sent: the clientMessageId of its message ('' until adopted); not in the composer's tray any more. */
  sentWith?: string;
}

/** What a sent message shows of a file not uploaded yet: this id in place of the upload's (OutboxAttachment.id). */
export const LOCAL_ID_PREFIX = 'local:';
export const localIdOf = (key: string) => `${LOCAL_ID_PREFIX}${key}`;

export interface UploadDeps {
  createUpload(file: { filename: string; contentType: string; byteSize: number }): Promise<UploadTicket>;
  post(
    form: UploadForm,
    file: File,
    options: { onProgress(fraction: number): void; signal: AbortSignal },
  ): Promise<void>;
  /** Words for a createUpload failure (GraphQL error, network). */
  describe(error: unknown): string;
  /** Whether a createUpload failure would come again (the request itself is refused). */
  permanent?(error: unknown): boolean;
}

/** A ticket used again on Retry only while it has this much time left. */
const TICKET_MARGIN_MS = 60_000;

let counter = 0;
const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

export class UploadQueue {
  private items: UploadItem[] = [];
  /** The composer's files (not sent yet): the same array until they change. */
  private drafts: UploadItem[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly running = new Map<string, AbortController>();
  private readonly tickets = new Map<string, UploadTicket>();

  constructor(private readonly deps: UploadDeps) {}

  /** The composer's files, in the order added (the same array until they change). */
  all = (): UploadItem[] => this.drafts;

  /** At least one file in the composer, and every one uploaded. */
  ready(): boolean {
    return this.drafts.length > 0 && this.drafts.every((i) => i.status === 'done');
  }

  /** The files going with the sent message `clientMessageId`. */
  ofMessage(clientMessageId: string): UploadItem[] {
    return this.items.filter((i) => i.sentWith === clientMessageId);
  }

  /**
   * The composer's message went out: its uploaded files are done with; those not uploaded yet leave the tray but keep
   * uploading, waiting for `adopt` by the message's clientMessageId.
   */
  sent(): void {
    for (const item of this.drafts) {
      if (item.status === 'done' || item.status === 'refused') this.remove(item.key);
      else this.patch(item.key, { sentWith: '' });
    }
  }

  /** Binds files (by key: still in the tray, or detached by `sent`) to their message. */
  adopt(clientMessageId: string, keys: readonly string[]): UploadItem[] {
    for (const key of keys) {
      const item = this.get(key);
      if (item && (item.sentWith === undefined || item.sentWith === '') && item.status !== 'refused')
        this.patch(key, { sentWith: clientMessageId });
    }
    return this.ofMessage(clientMessageId);
  }

  /**
   * Files of a sent message kept from before a reload (pendingUploads.ts): those with an upload id are done, the
   * others are uploaded again from the start (a new form: the old one may be gone with the page).
   */
  restore(clientMessageId: string, files: ReadonlyArray<{ key: string; file: File; uploadId?: string }>): void {
    const fresh = files.filter((f) => !this.get(f.key));
    // All at once: a listener never sees the message with some of its files only.
    this.items = [
      ...this.items,
      ...fresh.map(({ key, file, uploadId }): UploadItem => {
        const contentType = contentTypeOf(file);
        return {
          key,
          file,
          filename: file.name,
          contentType,
          byteSize: file.size,
          isImage: isImageType(contentType),
          status: uploadId ? 'done' : 'uploading',
          progress: uploadId ? 1 : 0,
          sentWith: clientMessageId,
          ...(uploadId ? { uploadId } : {}),
        };
      }),
    ];
    this.changed();
    for (const f of fresh) if (!f.uploadId) void this.start(f.key);
  }

  /** The message was delivered or discarded: its files are done with (uploads still running are cancelled). */
  forget(clientMessageId: string): void {
    for (const item of this.ofMessage(clientMessageId)) this.remove(item.key);
  }

  /** Adds files; each is checked, then uploaded. Beyond MAX_ATTACHMENTS a file is refused. */
  add(files: Iterable<File>): void {
    for (const file of files) {
      const contentType = contentTypeOf(file);
      const full = this.items.filter((i) => i.status !== 'refused').length >= MAX_ATTACHMENTS;
      const problem = full ? `${file.name}: at most ${MAX_ATTACHMENTS} files per message.` : fileProblem(file);
      const item: UploadItem = {
        key: `upload-${++counter}`,
        file,
        filename: file.name || 'pasted file',
        contentType,
        byteSize: file.size,
        isImage: isImageType(contentType),
        status: problem ? 'refused' : 'uploading',
        progress: 0,
        ...(problem ? { error: problem } : {}),
      };
      this.items = [...this.items, item];
      this.changed();
      if (!problem) void this.start(item.key);
    }
  }

  retry(key: string): void {
    if (this.get(key)?.status !== 'failed') return;
    this.patch(key, { status: 'uploading', progress: 0, error: undefined, permanent: undefined });
    void this.start(key);
  }

  /** Takes a file out, cancelling its upload. */
  remove(key: string): void {
    this.running.get(key)?.abort();
    this.running.delete(key);
    this.tickets.delete(key);
    this.items = this.items.filter((i) => i.key !== key);
    this.changed();
  }

  /** The composer starts afresh (its files removed; a sent message's keep going). */
  clear(): void {
    for (const item of this.drafts) this.remove(item.key);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  private get(key: string): UploadItem | undefined {
    return this.items.find((i) => i.key === key);
  }

  private patch(key: string, patch: Partial<UploadItem>): void {
    if (!this.get(key)) return;
    this.items = this.items.map((i) => (i.key === key ? { ...i, ...patch } : i));
    this.changed();
  }

  private async start(key: string): Promise<void> {
    const item = this.get(key);
    if (!item) return;
    const abort = new AbortController();
    this.running.set(key, abort);
    let ticket = this.tickets.get(key);
    try {
      if (!ticket || Date.parse(ticket.expiresAt) - Date.now() < TICKET_MARGIN_MS) {
        try {
          ticket = await this.deps.createUpload(item);
        } catch (error) {
          if (abort.signal.aborted) return;
          const permanent = this.deps.permanent?.(error) ?? false;
          this.patch(key, { status: 'failed', error: this.deps.describe(error), ...(permanent ? { permanent } : {}) });
          return;
        }
        if (abort.signal.aborted) return;
        this.tickets.set(key, ticket);
      }
      await this.deps.post(ticket, item.file, {
        signal: abort.signal,
        onProgress: (progress) => this.get(key)?.status === 'uploading' && this.patch(key, { progress }),
      });
      this.patch(key, { status: 'done', progress: 1, uploadId: ticket.id });
    } catch (error) {
      if (isAbort(error) || abort.signal.aborted) return;
      // A form the store refused as it is (expired, wrong size or type) is not sent again: Retry asks for a new one.
      if (!(error instanceof UploadFailed && error.sameFormAgain)) this.tickets.delete(key);
      const why = error instanceof Error ? error.message : 'Upload failed.';
      this.patch(key, { status: 'failed', error: why });
    } finally {
      if (this.running.get(key) === abort) this.running.delete(key);
    }
  }

  private changed(): void {
    const drafts = this.items.filter((i) => i.sentWith === undefined);
    if (drafts.length !== this.drafts.length || drafts.some((d, n) => d !== this.drafts[n])) this.drafts = drafts;
    this.listeners.forEach((l) => l());
  }
}
