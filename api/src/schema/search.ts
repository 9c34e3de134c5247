// Query.searchMessages: full-text search of the viewer's conversations (issue #20).
import { builder, viewerOf } from '../builder.ts';
import { MAX_QUERY_LENGTH } from '../search/query.ts';
import {
  DEFAULT_SEARCH_PAGE,
  MAX_SEARCH_PAGE,
  searchMessages,
  type SearchConnection,
  type SearchEdge,
} from '../search/search.ts';
import { MAX_HIGHLIGHTS, type TextRange as TextRangeShape } from '../search/snippet.ts';
import { PageInfo } from './connection.ts';
import { MessageType } from './message.ts';

const TextRange = builder.objectRef<TextRangeShape>('TextRange').implement({
  description: 'A range of a string, in UTF-16 code units (JavaScript string indices).',
  fields: (t) => ({
    start: t.exposeInt('start', { description: 'Offset of the first code unit.' }),
    length: t.exposeInt('length', { description: 'Number of code units.' }),
  }),
});

const MessageSearchEdge = builder.objectRef<SearchEdge>('MessageSearchEdge').implement({
  description: 'One message found by searchMessages, with the part of it to show and where the matches are.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', {
      description: 'Opaque position of this hit; pass it as `after` for the hits that follow.',
    }),
    node: t.field({ type: MessageType, description: 'The message found.', resolve: (edge) => edge.node }),
    snippet: t.exposeString('snippet', {
      description:
        "A window of the message's text around its first match (the whole text when it is short), with … where it " +
        'was cut. Plain text: no markup.',
    }),
    highlights: t.field({
      type: [TextRange],
      description: `Where the searched words are in \`snippet\`, in order, as UTF-16 offsets: mark them as they are (at most ${MAX_HIGHLIGHTS}).`,
      // For the query cost (http/query-limits.ts): the list's largest size.
      extensions: { maxItems: MAX_HIGHLIGHTS },
      resolve: (edge) => edge.highlights,
    }),
  }),
});

const MessageSearchConnection = builder.objectRef<SearchConnection>('MessageSearchConnection').implement({
  description: 'A page of messages found by searchMessages, newest first.',
  fields: (t) => ({
    edges: t.field({
      type: [MessageSearchEdge],
      description: 'The hits of this page, newest first.',
      resolve: (c) => c.edges,
    }),
    pageInfo: t.field({ type: PageInfo, description: 'Paging information.', resolve: (c) => c.pageInfo }),
  }),
});

builder.queryFields((t) => ({
  searchMessages: t.field({
    type: MessageSearchConnection,
    description:
      'Full-text search of your conversations (or of the one with `withUserId`), newest first, paged to the end ' +
      'of the results with `first`/`after`. Every word must match, the last one as a prefix ("addr" finds ' +
      '"address"); `"quoted phrases"`, `-excluded` words and `OR` work as in web search engines; case and accents ' +
      'do not matter; in Chinese, Japanese and other scripts without spaces any run of characters is found.',
    args: {
      query: t.arg.string({
        required: true,
        description: `What to look for, 1..${MAX_QUERY_LENGTH} characters, with at least one word that is not excluded.`,
      }),
      withUserId: t.arg.id({ required: false, description: 'Only your conversation with this user.' }),
      first: t.arg.int({
        required: false,
        description: `Hits per page, 1..${MAX_SEARCH_PAGE} (default ${DEFAULT_SEARCH_PAGE}).`,
      }),
      after: t.arg.string({ required: false, description: 'Only hits after this cursor (an edge cursor).' }),
    },
    extensions: { maxItems: MAX_SEARCH_PAGE },
    resolve: async (_root, args, ctx) => {
      const viewer = viewerOf(ctx);
      await ctx.throttle.cheap(viewer.id);
      return searchMessages(ctx.sql, viewer.id, args);
    },
  }),
}));
