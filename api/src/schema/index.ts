// The GraphQL schema, assembled from the domain modules.
import { GraphQLSchema } from 'graphql';
import { builder, SIGNED_IN } from '../builder.ts';
import './scalars.ts';
import './user.ts';
import './auth.ts';
import './message.ts';
import './conversation.ts';
import './attachments.ts';
import './lifecycle.ts';
import './search.ts';
import './push.ts';
import './account.ts';
import './blocks.ts';

// Every root field requires sign-in unless it opts out with `skipTypeScopes: true` (builder.ts).
builder.queryType({
  description: 'Reading: who you are, people, and conversation history.',
  authScopes: SIGNED_IN,
});
builder.mutationType({
  description: 'Accounts, messages (and their edits, deletions, reactions), reads and typing.',
  authScopes: SIGNED_IN,
});
builder.subscriptionType({
  description: 'Live events over graphql-ws (WebSocket) or SSE on /graphql.',
  authScopes: SIGNED_IN,
});

// The first thing a third party or a code generator reads (printed at the top of schema.graphql, shown by
// GraphiQL): what parley is, how to authenticate, where to start, and the error codes.
const description = `parley: persistent, real-time 1:1 chat. A message is stored before sendMessage returns; \
subscriptions deliver each message once, in order, and catch up from a cursor after a reconnect.

Authentication: signUp or logIn returns a token. Send it as \`Authorization: Bearer <token>\` over HTTP and SSE, or as \
\`connectionParams: { authorization: "Bearer <token>" }\` over graphql-ws (an invalid token closes the socket with \
4403). Everything but signUp, logIn and me requires it. logOut ends the token's session, logOutEverywhere every \
session of yours.

Where to start: \`me\`; the inbox is \`conversations\` (with \`unreadCount\`); \`users(search:)\` finds people to \
talk to; \`chatHistory(withUserId:, last:)\` pages back through a conversation; \`sendMessage\` with a \
\`clientMessageId\` is safe to retry; \`markRead\`, \`setTyping\`; \`editMessage\`, \`deleteMessage\`, \`addReaction\`. Live: \`messageAdded(after:)\`, \
\`messageUpdated(after:)\`, \`conversationUpdated\`, \`messagesRead\`, \`typing\`. Lists are Relay connections.

Errors carry \`extensions.code\`: UNAUTHENTICATED (no valid token, or a wrong password at logIn), BAD_USER_INPUT (with \
\`extensions.argument\`), NOT_FOUND, FORBIDDEN, RATE_LIMITED (wait \`extensions.retryAfter\` seconds; HTTP 429 with \
Retry-After), TOO_MANY_OPERATIONS (too many operations at once on one graphql-ws socket), SERVICE_UNAVAILABLE \
(temporary: retry, a send with the same clientMessageId), GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, and \
INTERNAL_SERVER_ERROR ("Unexpected error.", details never exposed).

DateTime is an RFC 3339 string (see its @specifiedBy). The contract grows additively: fields are deprecated before \
they are removed, and breaking changes are listed in parley's CHANGELOG.md.`;

// Pothos's toSchema takes no schema description; graphql-js keeps it in the schema's config.
export const schema = new GraphQLSchema({ ...builder.toSchema({ sortSchema: false }).toConfig(), description });
