import { builder, viewerOf } from '../builder.ts';
import { encodeMessageCursor } from '../chat/cursor.ts';
import { chatHistory } from '../chat/history.ts';
import { markRead } from '../chat/read.ts';
import { sendMessage } from '../chat/send.ts';
import type { ChatMessage } from '../chat/types.ts';
import { connectionTypes } from './connection.ts';
import { UserType } from './user.ts';

export const MessageType = builder.objectRef<ChatMessage>('Message').implement({
  description: 'A message from one user to another.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable unique id (a UUID).' }),
    clientMessageId: t.string({
      nullable: true,
      description:
        "The sender's own id for this message, if it gave one in sendMessage. Only the sender sees it (null for the recipient).",
      resolve: (m, _args, ctx) => (ctx.viewer?.id === m.senderId ? m.clientMessageId : null),
    }),
    sender: t.field({ type: UserType, description: 'Who wrote the message.', resolve: (m) => m.sender }),
    recipient: t.field({ type: UserType, description: 'Who the message is for.', resolve: (m) => m.recipient }),
    content: t.string({
      description: 'The text, trimmed, 1..4000 characters; "" when the message was deleted (deletedAt).',
      resolve: (m) => (m.deletedAt ? '' : m.content),
    }),
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      description: 'When the server stored the message. Never decreases along a conversation.',
    }),
    readAt: t.expose('readAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the recipient marked it read; null until then.',
    }),
    cursor: t.string({
      description:
        "This message's position in its conversation, the same value as its MessageEdge.cursor. Pass it as " +
        'messageAdded(withUserId, after) to resume a subscription right after the last message you hold, or to ' +
        'chatHistory(after/before) to page from it. Opaque: do not parse it.',
      resolve: (m) => encodeMessageCursor(m),
    }),
  }),
});

const MessageConnection = connectionTypes('Message', MessageType, 'message');

const MarkReadPayload = builder.objectRef<{ count: number; readAt: Date }>('MarkReadPayload').implement({
  description: 'The result of markRead.',
  fields: (t) => ({
    count: t.exposeInt('count', {
      description:
        'How many messages changed from unread to read for you (0 when repeated): your unread count drops by this.',
    }),
    readAt: t.expose('readAt', {
      type: 'DateTime',
      description:
        'The read time written on those messages. While either of you has blocked the other it is not written ' +
        '(no receipt reaches the peer, `Message.readAt` stays null); your next markRead after the unblock that ' +
        'covers them writes it.',
    }),
  }),
});

builder.queryFields((t) => ({
  chatHistory: t.field({
    type: MessageConnection,
    description:
      'The messages between you and another user, both directions, oldest to newest inside a page. ' +
      'Relay paging: `last: N` is the newest N (the default is last: 50), `before` pages back in time, ' +
      '`first`/`after` page forward. At most 100 per page.',
    args: {
      withUserId: t.arg.id({ required: true, description: 'The other participant.' }),
      first: t.arg.int({ required: false, description: 'The first N messages (after `after`), 1..100.' }),
      after: t.arg.string({ required: false, description: 'Only messages after this cursor.' }),
      last: t.arg.int({ required: false, description: 'The last N messages (before `before`), 1..100.' }),
      before: t.arg.string({ required: false, description: 'Only messages before this cursor.' }),
    },
    resolve: (_root, args, ctx) => chatHistory(ctx.sql, viewerOf(ctx).id, args),
  }),
}));

builder.mutationFields((t) => ({
  sendMessage: t.field({
    type: MessageType,
    description:
      'Sends a message as the signed-in user. It is stored before this returns and is then delivered by messageAdded. ' +
      'Retrying with the same clientMessageId returns the stored message instead of sending it twice.',
    args: {
      recipientId: t.arg.id({ required: true, description: 'Who the message is for (not yourself).' }),
      content: t.arg.string({
        required: true,
        description: 'The text; trimmed, then 1..4000 characters (or empty, with attachments).',
      }),
      clientMessageId: t.arg.string({
        required: false,
        description:
          'Your own unique id for this message (e.g. a UUID, up to 128 characters), which makes retries safe. ' +
          'Reusing it for a different message is BAD_USER_INPUT.',
      }),
      attachmentIds: t.arg.idList({
        required: false,
        description:
          'Up to 10 of your uploads (createUpload ids), finished and not attached yet; with one, `content` may be ' +
          'empty. An unknown, unfinished, foreign or already attached upload, or one whose bytes are not of its ' +
          'declared type, is BAD_USER_INPUT.',
      }),
      replyToId: t.arg.id({
        required: false,
        description: 'The message this one answers: a message of your conversation with recipientId.',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const viewer = viewerOf(ctx);
      await ctx.throttle.send(viewer.id);
      // S3: the bytes went straight to the bucket; they are checked when first attached.
      if (args.attachmentIds?.length && ctx.uploads.store.kind === 's3') {
        await ctx.uploads.confirm(viewer.id, args.attachmentIds.map(String));
      }
      return sendMessage(ctx, viewer.id, {
        ...args,
        attachmentIds: args.attachmentIds?.map(String),
        replyToId: args.replyToId == null ? null : String(args.replyToId),
      });
    },
  }),
  markRead: t.field({
    type: MarkReadPayload,
    description:
      'Marks as read the unread messages that `senderId` sent you — all of them, or only up to and including ' +
      '`upToMessageId`. Idempotent.',
    args: {
      senderId: t.arg.id({ required: true, description: 'The user whose messages to you are being read.' }),
      upToMessageId: t.arg.id({
        required: false,
        description: 'Only messages up to and including this one (a message of your conversation with senderId).',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const viewer = viewerOf(ctx);
      await ctx.throttle.cheap(viewer.id);
      return markRead(ctx, viewer.id, args);
    },
  }),
}));

builder.subscriptionFields((t) => ({
  messageAdded: t.field({
    type: MessageType,
    description:
      'Every new message you send or receive (from any of your sessions), or only those of your conversation with ' +
      '`withUserId`; exactly once and in order within each conversation. With `after`, stored messages after that ' +
      'cursor come first.',
    args: {
      withUserId: t.arg.id({ required: false, description: 'Only messages of your conversation with this user.' }),
      after: t.arg.string({
        required: false,
        description:
          'Catch up first: a message cursor (Message.cursor, or a chatHistory edge cursor) of the conversation ' +
          'with `withUserId` (required with it). Every stored message after it is delivered, in order, before the ' +
          'live ones — with no gap and no duplicate across the switch. Resubscribe with the cursor of the last ' +
          'message you hold after a reconnect.',
      }),
    },
    subscribe: (_root, args, ctx) => ctx.feed.subscribe(viewerOf(ctx).id, args),
    resolve: (message: ChatMessage) => message,
  }),
}));
