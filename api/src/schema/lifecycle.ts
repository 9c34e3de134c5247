// The message lifecycle: edits, deletions (tombstones), replies, reactions, and their change log (messageUpdated).
import { builder, viewerOf } from '../builder.ts';
import { replyToOf, visible } from '../chat/changes.ts';
import { encodeChangeCursor } from '../chat/cursor.ts';
import { deleteMessage, editMessage } from '../chat/edit.ts';
import { addReaction, MAX_EMOJI, removeReaction } from '../chat/reactions.ts';
import type { ChatMessage, ReactionGroup } from '../chat/types.ts';
import { ConversationType } from './conversation.ts';
import { MessageType } from './message.ts';

const ReactionType = builder.objectRef<ReactionGroup>('Reaction').implement({
  description: 'One emoji on a message, with how many participants added it.',
  fields: (t) => ({
    emoji: t.exposeString('emoji', { description: 'The emoji (exactly one).' }),
    count: t.int({ description: 'How many participants added it (1 or 2).', resolve: (r) => r.userIds.length }),
    reactedByMe: t.boolean({
      description: 'Whether you added it (removeReaction takes it back).',
      resolve: (r, _args, ctx) => !!ctx.viewer && r.userIds.includes(ctx.viewer.id),
    }),
  }),
});

builder.objectFields(MessageType, (t) => ({
  editedAt: t.expose('editedAt', {
    type: 'DateTime',
    nullable: true,
    description: 'When the text was last edited (editMessage); null unless it was.',
  }),
  deletedAt: t.expose('deletedAt', {
    type: 'DateTime',
    nullable: true,
    description:
      'When the sender deleted it; null unless deleted. A deleted message is a tombstone: content is "", it has no ' +
      'reactions and no replyTo; its id, sender, recipient, createdAt and cursor stay.',
  }),
  replyTo: t.field({
    type: MessageType,
    nullable: true,
    description:
      'The message of the same conversation this one answers, or null. A deleted original comes back as its tombstone.',
    resolve: (m, _args, ctx) => replyToOf(ctx.sql, m),
  }),
  reactions: t.field({
    type: [ReactionType],
    description: `Emoji on the message, in the order each was first added (at most ${MAX_EMOJI}; empty on a tombstone).`,
    resolve: (m) => visible(m).reactions,
  }),
  updateCursor: t.string({
    nullable: true,
    description:
      "The position of this message's latest change (edit, deletion, reaction) in its conversation's change log; " +
      'null if it never changed. Pass the newest one you hold as messageUpdated(withUserId, after) to resume. Opaque.',
    resolve: (m) =>
      m.changeSeq === null ? null : encodeChangeCursor({ conversationId: m.conversationId, changeSeq: m.changeSeq }),
  }),
}));

builder.objectFields(ConversationType, (t) => ({
  updateCursor: t.string({
    nullable: true,
    description:
      "The position of the conversation's latest message change (edit, deletion, reaction); null if none yet. " +
      'messageUpdated(withUserId, after: updateCursor) delivers every change after it. Opaque.',
    resolve: (c) => (c.lastChangeSeq ? encodeChangeCursor({ conversationId: c.id, changeSeq: c.lastChangeSeq }) : null),
  }),
  initialUpdateCursor: t.string({
    description:
      "The position before the conversation's first message change: messageUpdated(withUserId, after: " +
      'initialUpdateCursor) delivers the current state of every message that ever changed. For a client that holds ' +
      'messages but no updateCursor (it saw no change yet) and must catch up. Opaque.',
    resolve: (c) => encodeChangeCursor({ conversationId: c.id, changeSeq: 0 }),
  }),
}));

builder.mutationFields((t) => ({
  editMessage: t.field({
    type: MessageType,
    description:
      'Changes the text of a message you sent (FORBIDDEN for the peer’s), within EDIT_WINDOW of sending (48 h by ' +
      'default) and not after deleting it (BAD_USER_INPUT). The same content rules as sendMessage. Editing to the ' +
      'same text changes nothing. Delivered by messageUpdated (and conversationUpdated when it is the last message).',
    args: {
      id: t.arg.id({ required: true, description: 'The message (one of your conversations).' }),
      content: t.arg.string({ required: true, description: 'The new text; trimmed, then 1..4000 characters.' }),
    },
    resolve: async (_root, args, ctx) => {
      const viewer = viewerOf(ctx);
      await ctx.throttle.cheap(viewer.id);
      return editMessage(ctx, viewer.id, args);
    },
  }),
  deleteMessage: t.field({
    type: MessageType,
    description:
      'Deletes a message you sent, for both of you, at any time: it becomes a tombstone (its text and reactions are ' +
      'erased). Idempotent: deleting again returns the tombstone. An unread deleted message leaves the ' +
      'recipient’s unread count. FORBIDDEN for the peer’s message.',
    args: { id: t.arg.id({ required: true, description: 'The message (one you sent).' }) },
    resolve: async (_root, args, ctx) => {
      const viewer = viewerOf(ctx);
      await ctx.throttle.cheap(viewer.id);
      return deleteMessage(ctx, viewer.id, args);
    },
  }),
  addReaction: t.field({
    type: MessageType,
    description:
      'Adds your emoji to a message of your conversation (either side’s). Idempotent. Not on a deleted message; at ' +
      'most 20 different emoji on a message (BAD_USER_INPUT).',
    args: {
      messageId: t.arg.id({ required: true, description: 'The message (one of your conversations).' }),
      emoji: t.arg.string({ required: true, description: 'Exactly one emoji, e.g. "👍" or "👩🏽‍💻".' }),
    },
    resolve: async (_root, args, ctx) => {
      const viewer = viewerOf(ctx);
      await ctx.throttle.cheap(viewer.id);
      return addReaction(ctx, viewer.id, args);
    },
  }),
  removeReaction: t.field({
    type: MessageType,
    description: 'Takes back your emoji from a message. Idempotent. Not on a deleted message.',
    args: {
      messageId: t.arg.id({ required: true, description: 'The message (one of your conversations).' }),
      emoji: t.arg.string({ required: true, description: 'The emoji to take back (exactly one emoji).' }),
    },
    resolve: async (_root, args, ctx) => {
      const viewer = viewerOf(ctx);
      await ctx.throttle.cheap(viewer.id);
      return removeReaction(ctx, viewer.id, args);
    },
  }),
}));

builder.subscriptionFields((t) => ({
  messageUpdated: t.field({
    type: MessageType,
    description:
      'Every edit, deletion and reaction change of your conversations (or only of the one with `withUserId`), as the ' +
      'message’s new state; exactly once and in commit order within each conversation, in every session of both ' +
      'participants. With `after`, the current state of every message changed after that position comes first.',
    args: {
      withUserId: t.arg.id({ required: false, description: 'Only changes of your conversation with this user.' }),
      after: t.arg.string({
        required: false,
        description:
          'Catch up first: an updateCursor (Message.updateCursor or Conversation.updateCursor) of the conversation ' +
          'with `withUserId` (required with it). The current state of every message changed after it is delivered ' +
          'before the live changes, with no gap and no duplicate across the switch. Resubscribe with the newest ' +
          'updateCursor you hold after a reconnect.',
      }),
    },
    subscribe: (_root, args, ctx) => ctx.changeFeed.subscribe(viewerOf(ctx).id, args),
    resolve: (message: ChatMessage) => message,
  }),
}));
