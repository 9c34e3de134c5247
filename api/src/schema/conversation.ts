// The inbox: conversations with unread counts and read positions, live receipts, typing.
import { builder, viewerOf } from '../builder.ts';
import { conversationUpdates, readReceipts } from '../chat/events.ts';
import { conversations, conversationWith, unreadTotal } from '../chat/inbox.ts';
import { parseOtherUser } from '../chat/conversation.ts';
import type { ConversationView, ReadReceipt, TypingEvent } from '../chat/types.ts';
import { notFound } from '../errors.ts';
import { connectionTypes } from './connection.ts';
import { MessageType } from './message.ts';
import { UserType } from './user.ts';

export const ConversationType = builder.objectRef<ConversationView>('Conversation').implement({
  description:
    'A conversation between you and one other user, as you see it. Its id is stable, so a normalising client cache ' +
    '(Apollo, urql Graphcache, Relay) updates an inbox in place from conversationUpdated events.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable unique id of the conversation (a UUID).' }),
    peer: t.field({ type: UserType, description: 'The other participant.', resolve: (c) => c.peer }),
    lastMessage: t.field({
      type: MessageType,
      description: 'The newest message, in either direction (a conversation exists from its first message).',
      resolve: (c) => c.lastMessage,
    }),
    unreadCount: t.exposeInt('unreadCount', {
      description: "How many of the peer's messages to you are not read yet (markRead clears them).",
    }),
    lastActivityAt: t.expose('lastActivityAt', {
      type: 'DateTime',
      description: 'When the newest message was stored: the order of `conversations`.',
    }),
    peerLastRead: t.field({
      type: MessageType,
      nullable: true,
      description:
        'The newest of your own messages that the peer has read; every message of yours up to it is read too ' +
        '(draw ✓✓ on them). Null until the peer has read one.',
      resolve: (c) => c.peerLastRead,
    }),
  }),
});

const ConversationConnection = connectionTypes('Conversation', ConversationType, 'conversation');

const ReadReceiptType = builder.objectRef<ReadReceipt>('ReadReceipt').implement({
  description: 'Messages were marked read: by the peer (your messages, live ✓✓) or by you in another session.',
  fields: (t) => ({
    conversation: t.field({
      type: ConversationType,
      description: 'The conversation, as you see it after the read.',
      resolve: (r) => r.conversation,
    }),
    reader: t.field({ type: UserType, description: 'Who read the messages.', resolve: (r) => r.reader }),
    upTo: t.field({
      type: MessageType,
      description: 'The newest message marked read; every earlier message to the reader is read too.',
      resolve: (r) => r.upTo,
    }),
    readAt: t.expose('readAt', { type: 'DateTime', description: 'The read time written on those messages.' }),
    count: t.exposeInt('count', { description: 'How many messages this read marked (at least 1).' }),
  }),
});

const TypingEventType = builder.objectRef<TypingEvent>('TypingEvent').implement({
  description: 'Someone (`user`) started or stopped typing to you. Ephemeral: never stored.',
  fields: (t) => ({
    user: t.field({ type: UserType, description: 'Who is typing.', resolve: (e) => e.user }),
    typing: t.exposeBoolean('typing', {
      description: 'True while they type; false when they stop, send, or their last refresh lapses.',
    }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      nullable: true,
      description:
        'When `typing: true` lapses unless refreshed (the server then sends `typing: false` itself); null when false.',
    }),
  }),
});

builder.queryFields((t) => ({
  conversations: t.field({
    type: ConversationConnection,
    description:
      'Your conversations, most recent activity first, with unread counts: the inbox. Relay paging forward ' +
      '(`first`/`after`).',
    args: {
      first: t.arg.int({ required: false, description: 'Page size, 1..100 (default 20).' }),
      after: t.arg.string({ required: false, description: 'Conversations after this cursor (`pageInfo.endCursor`).' }),
    },
    resolve: (_root, args, ctx) => conversations(ctx.sql, viewerOf(ctx).id, args),
  }),
  conversation: t.field({
    type: ConversationType,
    nullable: true,
    description: 'Your conversation with one user; null when the two of you have no message yet.',
    args: { withUserId: t.arg.id({ required: true, description: 'The other participant.' }) },
    resolve: (_root, args, ctx) => conversationWith(ctx.sql, viewerOf(ctx).id, args.withUserId),
  }),
  unreadCount: t.int({
    description: 'Your unread messages over all conversations (the sum of their unreadCount).',
    resolve: (_root, _args, ctx) => unreadTotal(ctx.sql, viewerOf(ctx).id),
  }),
}));

builder.mutationFields((t) => ({
  setTyping: t.boolean({
    description:
      'Tells the other user you are typing (true) or stopped (false). Refresh every ~3 s while typing: `true` lapses ' +
      'about 6 s after the last call; sending a message ends it. Calls faster than that are accepted and ignored.',
    args: {
      withUserId: t.arg.id({ required: true, description: 'Who you are typing to (not yourself).' }),
      typing: t.arg.boolean({ required: true, description: 'True while typing, false when stopped.' }),
    },
    resolve: async (_root, args, ctx) => {
      const viewer = viewerOf(ctx);
      await ctx.throttle.cheap(viewer.id);
      return ctx.typing.set(viewer, args);
    },
  }),
}));

builder.subscriptionFields((t) => ({
  conversationUpdated: t.field({
    type: ConversationType,
    description:
      'Each of your conversations every time it changes — a message added in either direction, messages read by ' +
      'either side — as you see it, in every session of yours. Refetch `conversations` after a reconnect: this is ' +
      'state, not a log.',
    subscribe: (_root, _args, ctx) => conversationUpdates(ctx.pubsub, viewerOf(ctx).id),
    resolve: (conversation: ConversationView) => conversation,
  }),
  messagesRead: t.field({
    type: ReadReceiptType,
    description:
      'Read receipts: when the peer reads your messages (live ✓✓), and when you read in another session. Only ' +
      'reads that marked something.',
    args: {
      withUserId: t.arg.id({ required: false, description: 'Only receipts of your conversation with this user.' }),
    },
    subscribe: async (_root, args, ctx) => {
      const viewer = viewerOf(ctx);
      const peerId = args.withUserId ? parseOtherUser(viewer.id, args.withUserId, 'withUserId') : null;
      if (peerId && !(await ctx.viewers.get(peerId))) throw notFound('No user has the id given in withUserId.');
      return readReceipts(ctx.pubsub, viewer.id, peerId);
    },
    resolve: (receipt: ReadReceipt) => receipt,
  }),
  typing: t.field({
    type: TypingEventType,
    description:
      'When someone starts or stops typing to you: one person (`withUserId`), or without it anyone (`user` says ' +
      'who). A `typing: true` that is not refreshed lapses by itself (`typing: false` is sent).',
    args: {
      withUserId: t.arg.id({
        required: false,
        description:
          'Whose typing to follow; omit it to follow everyone typing to you (one subscription for an inbox).',
      }),
    },
    subscribe: (_root, args, ctx) => ctx.typing.subscribe(viewerOf(ctx).id, args),
    resolve: (event: TypingEvent) => event,
  }),
}));
