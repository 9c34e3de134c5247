// Attachments: createUpload (a presigned POST), the Attachment type with its signed URLs, Message.attachments.
// sendMessage's attachmentIds is in message.ts, beside its other arguments.
import { builder, viewerOf } from '../builder.ts';
import { isInline } from '../attachments/content-types.ts';
import { thumbnailKey } from '../attachments/storage.ts';
import type { AttachmentRecord } from '../attachments/types.ts';
import { attachmentsOf, type UploadTicket } from '../attachments/uploads.ts';
import { MessageType } from './message.ts';

const UploadFieldType = builder.objectRef<{ name: string; value: string }>('UploadField').implement({
  description: 'One form field of a presigned POST.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The field name.' }),
    value: t.exposeString('value', { description: 'Its value, sent as it is.' }),
  }),
});

const UploadType = builder.objectRef<UploadTicket>('Upload').implement({
  description:
    'Where to upload a file: send `multipart/form-data` to `url` with every field of `fields`, then the file as ' +
    '`file` (last). The upload must be exactly the declared size and type, before `expiresAt`. Then pass `id` in ' +
    'sendMessage(attachmentIds).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The upload, for sendMessage(attachmentIds).' }),
    url: t.exposeString('url', {
      description:
        'Where to POST the form: the bucket (S3), or a path on this server (embedded store: relative to the API).',
    }),
    fields: t.field({
      type: [UploadFieldType],
      extensions: { maxItems: 5 },
      description: 'The form fields to send before the file, in this order.',
      resolve: (u) => Object.entries(u.fields).map(([name, value]) => ({ name, value })),
    }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      description: 'The upload is refused after this (15 minutes).',
    }),
  }),
});

const AttachmentType = builder.objectRef<AttachmentRecord>('Attachment').implement({
  description: 'A file attached to a message. Its URLs are signed for you and expire (ATTACHMENT_URL_TTL, 1 h).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The attachment (the id of its upload).' }),
    filename: t.exposeString('filename', { description: 'The file name given at createUpload.' }),
    contentType: t.exposeString('contentType', { description: 'Its type, checked against the bytes.' }),
    byteSize: t.exposeInt('byteSize', {
      description: 'Its size in bytes (of images: after their metadata was removed).',
    }),
    url: t.string({
      description:
        'Where to download it until the URL expires. Images are shown inline; everything else is a download.',
      resolve: (a, _args, ctx) =>
        ctx.uploads.downloadUrl(a.id, {
          filename: a.filename,
          contentType: a.contentType,
          inline: isInline(a.contentType),
        }),
    }),
    width: t.exposeInt('width', { nullable: true, description: 'Of an image, in pixels, once processed.' }),
    height: t.exposeInt('height', { nullable: true, description: 'Of an image, in pixels, once processed.' }),
    thumbnailUrl: t.string({
      nullable: true,
      description: 'Of an image, once processed: a small WebP (at most 320 px), signed and expiring like `url`.',
      resolve: (a, _args, ctx) =>
        a.thumbnail
          ? ctx.uploads.downloadUrl(thumbnailKey(a.id), {
              filename: `${a.filename}.webp`,
              contentType: 'image/webp',
              inline: true,
            })
          : null,
    }),
  }),
});

builder.objectField(MessageType, 'attachments', (t) =>
  t.field({
    type: [AttachmentType],
    extensions: { maxItems: 10 },
    description:
      'The files attached to the message, in the order they were uploaded. Only its two participants see them.',
    // Synchronous when the row carries them (every page does): see chat/changes.ts replyToOf.
    resolve: (m, _args, ctx) => {
      const viewer = viewerOf(ctx);
      if (viewer.id !== m.senderId && viewer.id !== m.recipientId) return [];
      if (m.deletedAt) return [];
      return m.attachments ?? attachmentsOf(ctx.sql, m.id);
    },
  }),
);

builder.mutationFields((t) => ({
  createUpload: t.field({
    type: UploadType,
    description:
      'Starts an upload: a presigned POST for one file of exactly `byteSize` bytes of `contentType`, valid for ' +
      '15 minutes. Attach it with sendMessage(attachmentIds) within 24 hours, or it is deleted. Limits: ' +
      'MAX_UPLOAD_BYTES per file (25 MB), UPLOAD_BYTES_PER_DAY per user (1 GB; RATE_LIMITED beyond), and an ' +
      'allow-list of types (images, PDF, plain text, Office and OpenDocument files, archives).',
    args: {
      filename: t.arg.string({ required: true, description: 'The file name (no path), 1..255 characters.' }),
      contentType: t.arg.string({
        required: true,
        description: 'The MIME type, e.g. image/png: one of the allowed types; the bytes must agree.',
      }),
      byteSize: t.arg.int({ required: true, description: 'The exact size in bytes.' }),
    },
    resolve: async (_root, args, ctx) => {
      const viewer = viewerOf(ctx);
      await ctx.throttle.cheap(viewer.id);
      return ctx.uploads.createUpload(viewer.id, args);
    },
  }),
}));
