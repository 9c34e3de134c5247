// GraphiQL at /graphql (GET from a browser): bundled with the server, so it works offline and behind firewalls
// (Yoga's default loads it from a CDN), running subscriptions over graphql-ws, and opening on a walk through the API.
import type { GraphiQLOptions, GraphiQLRenderer } from 'graphql-yoga';

/** The document GraphiQL opens with. */
export const GRAPHIQL_WELCOME = `# Welcome to parley. Every field is documented: open the docs (book icon, top left).
#
# 1. Run SignUp (or LogIn) and copy the token.
# 2. In Headers below, put: { "authorization": "Bearer <token>" }
#    (queries, mutations and subscriptions all use it).
# 3. Try the other operations. Run Live in a second tab and send a message.

mutation SignUp {
  signUp(username: "ada", password: "correct horse", displayName: "Ada") { token user { id } }
}

query People {
  users(search: "") { edges { node { id username displayName } } }
}

query History($with: ID!) {
  chatHistory(withUserId: $with, last: 20) {
    edges { cursor node { id content createdAt readAt sender { displayName } } }
    pageInfo { hasPreviousPage startCursor }
  }
}

mutation Send($to: ID!) {
  sendMessage(recipientId: $to, content: "Hello!", clientMessageId: "my-first-message") { id createdAt }
}

subscription Live {
  messageAdded { id content sender { displayName } recipient { displayName } }
}
`;

export const graphiqlOptions: GraphiQLOptions = {
  title: 'parley GraphiQL',
  // Subscriptions over graphql-ws; GraphiQL sends its Headers editor with each one in extensions.headers
  // (see graphql-ws.ts).
  subscriptionsProtocol: 'WS',
  defaultQuery: GRAPHIQL_WELCOME,
};

/** GraphiQL's page: megabytes of bundled JavaScript, loaded when someone first opens it rather than at every start. */
export const renderGraphiQL: GraphiQLRenderer = async (options) =>
  (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options);
