import type { ApolloCache, Reference } from '@apollo/client';
import type { MessageChange, MessageSnapshot } from './outboxChanges';

type CachedReaction = { __typename?: 'Reaction'; emoji: string; count: number; reactedByMe: boolean };

/**
 * The cache side of the change outbox (outboxChanges.ts): a queued change shows at once, before the server confirms
 * it (the cached message takes its expected state; the server's answer, or messageUpdated, then writes the real one
 * over it), and is taken back if the server refuses it for good.
 */
export function applyChange(cache: ApolloCache, change: MessageChange): void {
  const id = cache.identify({ __typename: 'Message', id: change.messageId });
  if (!id) return;
  const now = new Date().toISOString();
  switch (change.kind) {
    case 'edit':
      cache.modify({ id, fields: { content: () => change.content, editedAt: () => now } });
      return;
    case 'delete':
      cache.modify({
        id,
        fields: { content: () => '', deletedAt: () => now, reactions: () => [], replyTo: () => null },
      });
      return;
    case 'react':
      cache.modify({
        id,
        fields: {
          // Reactions are not normalised (no id): the cached list holds the plain objects.
          reactions: (existing = []) =>
            toggled(existing as readonly CachedReaction[], change.emoji, change.on) as typeof existing,
        },
      });
  }
}

/** What an edit or a deletion of `messageId` would replace (read before applying it); undefined if not cached. */
export function snapshotOf(cache: ApolloCache, messageId: string): MessageSnapshot | undefined {
  const id = cache.identify({ __typename: 'Message', id: messageId });
  if (!id) return undefined;
  const seen: Partial<MessageSnapshot> = {};
  // A modify whose every field answers what it holds changes nothing: a read of the raw fields.
  cache.modify({
    id,
    broadcast: false,
    fields: {
      content: (v) => ((seen.content = v as string), v),
      editedAt: (v) => ((seen.editedAt = (v as string | null) ?? null), v),
      reactions: (v) => ((seen.reactions = v as CachedReaction[]), v),
      replyTo: (v, { readField }) => (
        (seen.replyToId = v ? (readField<string>('id', v as Reference) ?? null) : null),
        v
      ),
    },
  });
  if (typeof seen.content !== 'string') return undefined;
  return {
    content: seen.content,
    editedAt: seen.editedAt ?? null,
    reactions: seen.reactions ?? [],
    replyToId: seen.replyToId ?? null,
  };
}

/**
 * Takes back a change the server refused (the message shows what it held before), unless the cached message has
 * moved on since (e.g. messageUpdated brought a newer state): only the state the change itself wrote is undone.
 */
export function revertChange(cache: ApolloCache, change: MessageChange): void {
  const id = cache.identify({ __typename: 'Message', id: change.messageId });
  if (!id) return;
  if (change.kind === 'react') {
    cache.modify({
      id,
      fields: {
        reactions: (existing = []) =>
          toggled(existing as readonly CachedReaction[], change.emoji, !change.on) as typeof existing,
      },
    });
    return;
  }
  const before = change.before;
  if (!before || typeof before.content !== 'string') return;
  const now = snapshotOf(cache, change.messageId);
  if (change.kind === 'edit') {
    if (now?.content !== change.content) return;
    cache.modify({ id, fields: { content: () => before.content, editedAt: () => before.editedAt } });
    return;
  }
  if (now?.content !== '') return;
  cache.modify({
    id,
    fields: {
      content: () => before.content,
      deletedAt: () => null,
      reactions: () => before.reactions ?? [],
      replyTo: (_, { toReference }) =>
        before.replyToId ? (toReference({ __typename: 'Message', id: before.replyToId }) ?? null) : null,
    },
  });
}

/** The reactions after the viewer adds (`on`) or takes back `emoji`. */
export function toggled(reactions: readonly CachedReaction[], emoji: string, on: boolean): CachedReaction[] {
  const held = reactions.find((r) => r.emoji === emoji);
  if (on) {
    if (held?.reactedByMe) return [...reactions];
    if (held) return reactions.map((r) => (r === held ? { ...r, count: r.count + 1, reactedByMe: true } : r));
    return [...reactions, { __typename: 'Reaction', emoji, count: 1, reactedByMe: true }];
  }
  if (!held?.reactedByMe) return [...reactions];
  if (held.count <= 1) return reactions.filter((r) => r !== held);
  return reactions.map((r) => (r === held ? { ...r, count: r.count - 1, reactedByMe: false } : r));
}
