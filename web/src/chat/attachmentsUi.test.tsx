/**
 * The attachment UI: the composer's files (attach, paste, progress, problems, Retry, Remove, sending before every
 * file is uploaded: those go on for the message) and a message's attachments (thumbnails with their box reserved, the viewer, file chips, nothing
 * on a tombstone, an expired image fetched again).
 */
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState, useSyncExternalStore } from 'react';
import { makeFragmentData } from '../gql';
import { ALICE, attachment, BOB, message } from '../test/fixtures';
import { renderWithApollo } from '../test/renderWithApollo';
import { MessageBubble, MessageBubble_message } from './MessageBubble';
import { MessageComposer } from './MessageComposer';
import type { OutboxAttachment } from './outbox';
import { AttachmentRefreshQuery } from './useAttachmentRefresh';
import { UploadQueue } from './uploads';

/** A composer whose uploads are driven by the test: each POST waits until the test settles it. */
function setupComposer(options: { refuseCreate?: string } = {}) {
  const posts: Array<{ filename: string; progress(f: number): void; succeed(): void; fail(e: Error): void }> = [];
  const queue = new UploadQueue({
    createUpload: async (file) => {
      if (file.filename === options.refuseCreate) throw new Error('refused');
      return {
        id: `up-${file.filename}`,
        url: '/uploads',
        fields: [],
        expiresAt: new Date(Date.now() + 900_000).toISOString(),
      };
    },
    post: (_form, file, { onProgress }) =>
      new Promise((resolve, reject) =>
        posts.push({ filename: file.name, progress: onProgress, succeed: () => resolve(), fail: reject }),
      ),
    describe: () => 'Upload not started.',
    permanent: (error) => error instanceof Error && error.message === 'refused',
  });
  const sent: Array<[string, OutboxAttachment[] | undefined]> = [];
  function Harness() {
    const items = useSyncExternalStore(queue.subscribe, queue.all);
    const [uploads] = useState(() => ({
      add: (f: Iterable<File>) => queue.add(f),
      retry: (k: string) => queue.retry(k),
      remove: (k: string) => queue.remove(k),
      clear: () => queue.clear(),
      sent: () => queue.sent(),
    }));
    return (
      <MessageComposer
        peerName="Bob Baker"
        uploads={{ ...uploads, items }}
        onSend={(content, attachments) => {
          sent.push([content, attachments]);
          return true;
        }}
      />
    );
  }
  render(<Harness />);
  const post = async (filename: string) => {
    await waitFor(() => expect(posts.some((p) => p.filename === filename)).toBe(true));
    return posts.find((p) => p.filename === filename)!;
  };
  return { sent, post, queue, send: screen.getByRole('button', { name: 'Send message' }) };
}

const png = (name: string) => new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], name, { type: 'image/png' });

describe('the composer’s files', () => {
  it('attach → progress → ready: the message (text may be empty) goes with the files’ upload ids', async () => {
    const { sent, post, send } = setupComposer();
    const user = userEvent.setup();
    const input = screen.getByTestId('attach-input') as HTMLInputElement;
    expect(screen.getByRole('button', { name: 'Attach files' })).toBeEnabled();
    await user.upload(input, [png('cat.png'), new File(['%PDF-1.4'], 'plan.pdf', { type: 'application/pdf' })]);

    const tray = screen.getByRole('list', { name: 'Attached files' });
    expect(tray.children).toHaveLength(2);
    const cat = await post('cat.png');
    act(() => cat.progress(0.42));
    expect(screen.getByText(/Uploading 42%/)).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: 'Uploading cat.png' })).toHaveAttribute('value', '0.42');
    expect(screen.getByText('Uploading 2 files…')).toBeInTheDocument();
    expect(send).toBeEnabled(); // it could go now: the files would follow

    await act(async () => cat.succeed());
    expect(screen.getByText('Uploading 1 file…')).toBeInTheDocument();
    await act(async () => (await post('plan.pdf')).succeed());
    await waitFor(() => expect(send).toBeEnabled());
    expect(screen.getAllByText(/Ready to send/)).toHaveLength(2);

    await user.click(send);
    expect(sent).toEqual([
      [
        '',
        [
          { id: 'up-cat.png', filename: 'cat.png', contentType: 'image/png', byteSize: 4 },
          { id: 'up-plan.pdf', filename: 'plan.pdf', contentType: 'application/pdf', byteSize: 8 },
        ],
      ],
    ]);
    expect(screen.queryByRole('list', { name: 'Attached files' })).toBeNull();
  });

  it('a pasted file is attached, not typed', async () => {
    setupComposer();
    const box = screen.getByRole('textbox', { name: 'Message Bob Baker' });
    fireEvent.paste(box, { clipboardData: { files: [png('screenshot.png')], getData: () => '' } });
    expect(screen.getByRole('list', { name: 'Attached files' })).toHaveTextContent('screenshot.png');
    expect(box).toHaveValue('');
  });

  it('a refused file says why and blocks sending until removed; a failed one offers Retry', async () => {
    const { post, send } = setupComposer();
    const user = userEvent.setup({ applyAccept: false });
    const box = screen.getByRole('textbox', { name: 'Message Bob Baker' });
    await user.type(box, 'see attached');
    await user.upload(
      screen.getByTestId('attach-input'),
      new File(['MZ'], 'tool.exe', { type: 'application/x-msdownload' }),
    );
    expect(screen.getByText(/tool\.exe: this type of file cannot be sent/)).toBeInTheDocument();
    expect(screen.getByText('Some files cannot be sent: retry or remove them.')).toBeInTheDocument();
    expect(send).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Remove tool.exe' }));
    expect(send).toBeEnabled();

    await user.upload(screen.getByTestId('attach-input'), png('dog.png'));
    await act(async () => (await post('dog.png')).fail(new Error('Upload failed: the server could not be reached.')));
    expect(screen.getByText(/Upload failed: the server could not be reached\./)).toBeInTheDocument();
    expect(send).toBeEnabled(); // failed for now: it would be tried again for the message
    await user.click(screen.getByRole('button', { name: 'Retry uploading dog.png' }));
    expect(screen.getByText(/Uploading 0%/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Cancel uploading dog.png' }));
    expect(screen.queryByRole('list', { name: 'Attached files' })).toBeNull();
    expect(send).toBeEnabled();
  });
  it('sent before a file is uploaded: the file leaves the tray, keeps uploading for the message, under a local id', async () => {
    const { sent, post, queue, send } = setupComposer();
    const user = userEvent.setup();
    await user.upload(screen.getByTestId('attach-input'), png('slow.png'));
    const slow = await post('slow.png');
    await user.type(screen.getByRole('textbox', { name: 'Message Bob Baker' }), 'on its way');
    await user.click(send);
    const [key] = queue.ofMessage('').map((i) => i.key);
    expect(sent).toEqual([
      ['on its way', [{ id: `local:${key}`, filename: 'slow.png', contentType: 'image/png', byteSize: 4 }]],
    ]);
    expect(screen.queryByRole('list', { name: 'Attached files' })).toBeNull();
    await act(async () => slow.succeed());
    expect(queue.adopt('cmid-1', [key!])).toEqual([
      expect.objectContaining({ status: 'done', uploadId: 'up-slow.png', sentWith: 'cmid-1' }),
    ]);
  });

  it('a file whose upload the server refuses for good blocks sending', async () => {
    const { send } = setupComposer({ refuseCreate: 'big.png' });
    const user = userEvent.setup();
    await user.upload(screen.getByTestId('attach-input'), png('big.png'));
    await screen.findByText(/Upload not started\./);
    expect(screen.getByText('Some files cannot be sent: retry or remove them.')).toBeInTheDocument();
    expect(send).toBeDisabled();
  });
});

const bubbleOf = (m: ReturnType<typeof message>) => makeFragmentData(m as never, MessageBubble_message);

describe('a message’s attachments', () => {
  const photo = attachment('a1', {
    filename: 'beach.jpg',
    contentType: 'image/jpeg',
    width: 1200,
    height: 800,
    url: '/uploads/a1?sig=old',
    thumbnailUrl: '/uploads/a1.thumb?sig=old',
  });
  const pdf = attachment('a2', { filename: 'plan.pdf', byteSize: 1536 * 1024, url: '/uploads/a2?sig=old' });

  it('an image is a thumbnail whose box is reserved; a click opens the viewer; a file is a download chip', async () => {
    const m = message(1, BOB, { content: 'Holiday', attachments: [photo, pdf] });
    const { user } = renderWithApollo(<MessageBubble message={bubbleOf(m)} mine={false} />);
    const open = screen.getByRole('button', { name: 'Open image beach.jpg' });
    expect(open).toHaveStyle({ width: '240px', height: '160px' }); // 1200 × 800 fitted in 240 × 240
    const thumb = screen.getByRole('img', { name: 'beach.jpg' });
    expect(thumb).toHaveAttribute('src', '/uploads/a1.thumb?sig=old');
    expect(thumb).toHaveAttribute('width', '240');
    expect(thumb).toHaveAttribute('height', '160');

    const chip = screen.getByRole('link', { name: /plan\.pdf.*1\.5 MB.*download/ });
    expect(chip).toHaveAttribute('href', '/uploads/a2?sig=old');
    expect(chip).toHaveAttribute('download', 'plan.pdf');

    await user.click(open);
    // jsdom has no showModal: the dialog is in the page but not "open" (Chromium opens it: attachments.e2e.ts).
    const viewer = document.querySelector('dialog')!;
    expect(document.getElementById(viewer.getAttribute('aria-labelledby')!)).toHaveTextContent('beach.jpg');
    const full = viewer.querySelector('img')!;
    expect(full).toHaveAttribute('alt', 'beach.jpg');
    expect(full).toHaveAttribute('src', '/uploads/a1?sig=old'); // the original, not the thumbnail
    await user.click(screen.getByRole('button', { name: 'Close', hidden: true }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('a deleted message shows no attachments (a cached copy may still hold them)', () => {
    const deleted = message(2, BOB, { content: '', deletedAt: '2026-11-25T10:00:00Z', attachments: [photo] });
    renderWithApollo(<MessageBubble message={bubbleOf(deleted)} mine={false} />);
    expect(screen.queryByRole('list', { name: 'Attachments' })).toBeNull();
    expect(screen.getByText('This message was deleted')).toBeInTheDocument();
  });

  it('an image that stops loading (its URL expired) is fetched again with fresh URLs', async () => {
    const m = message(3, ALICE, { content: '', cursor: 'c-m3', attachments: [photo] });
    const fresh = { ...photo, url: '/uploads/a1?sig=new', thumbnailUrl: '/uploads/a1.thumb?sig=new' };
    const node = (x: typeof m) => ({
      __typename: 'Message' as const,
      id: x.id,
      attachments: x.attachments.map(({ __typename, id, url, thumbnailUrl }) => ({
        __typename,
        id,
        url,
        thumbnailUrl,
      })),
    });
    const before = message(2, BOB, { cursor: 'c-m2' });
    const edges = (x: ReturnType<typeof message>) => ({
      data: {
        chatHistory: {
          __typename: 'MessageConnection',
          edges: [{ __typename: 'MessageEdge', cursor: x.cursor, node: node(x) }],
        },
      },
    });
    const { cache } = renderWithApollo(<MessageBubble message={bubbleOf(m)} mine />, {
      mocks: [
        {
          request: { query: AttachmentRefreshQuery, variables: { withUserId: BOB.id, before: 'c-m3', last: 1 } },
          result: edges(before),
        },
        {
          request: { query: AttachmentRefreshQuery, variables: { withUserId: BOB.id, after: 'c-m2', first: 1 } },
          result: edges({ ...m, attachments: [fresh] }),
        },
      ],
    });
    cache.writeFragment({ fragment: MessageBubble_message, fragmentName: 'MessageBubble_message', data: m as never });
    fireEvent.error(screen.getByRole('img', { name: 'beach.jpg' }));
    expect(screen.getByText('Loading image…')).toBeInTheDocument();
    // The conversation's list renders from the cache: the message there now holds the fresh URLs.
    await waitFor(() =>
      expect(cache.extract()['Attachment:a1']).toMatchObject({
        url: '/uploads/a1?sig=new',
        thumbnailUrl: '/uploads/a1.thumb?sig=new',
      }),
    );
  });
});
