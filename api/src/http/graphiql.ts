// GraphiQL at /graphql (GET from a browser): bundled with the server, so it works offline and behind firewalls
// (Yoga's default loads it from a CDN), running subscriptions over graphql-ws, and opening on a walk through the API:
// one tab per operation, its variables filled in, and the Headers each tab needs.
//
// The options are the same for every visitor (the page is one 9 MB inline script whose hash is the page's CSP,
// security-headers.ts): nothing is generated per request, so the sign-up inputs are left for the visitor to fill in
// (empty, which the server refuses with a message saying what is expected) rather than a made-up name that the second
// visitor would find taken, or a password everyone knows.
//
// Every line of these texts is at most 48 characters: GraphiQL's operation, Variables and Headers
// editors do not wrap, and at 1280 px the operation editor shows about 49 columns (with Docs closed;
// web/e2e/graphiql.e2e.ts checks 1280, 1400 and 1920 px).
//
// With TRUSTED_DOCUMENTS=only GraphiQL is off (it could run nothing: trusted-documents.ts), and a browser asking for
// it gets a 404 saying why (graphiqlOffPlugin).
import { shouldRenderGraphiQL, type GraphiQLOptions, type GraphiQLRenderer, type Plugin } from 'graphql-yoga';

type Tab = NonNullable<GraphiQLOptions['defaultTabs']>[number];

/** Headers of the tabs that need a token: what to replace is in the value itself. */
const TOKEN_HEADERS = `{
  "authorization": "Bearer <paste the token>"
}`;
/** Signing up and logging in need no token (and a placeholder one would only be refused). GraphiQL reads its
 * editors as JSON with comments. */
const NO_HEADERS = `{
  // No token needed here: fill in Variables.
}`;

// GraphiQL shows the first tab's query but not its variables or headers when it opens (graphql/graphiql#3392: the
// editors start from `defaultHeaders` and empty variables): so the first tab is one that needs no variables and whose
// headers are `defaultHeaders`.
const WELCOME: Tab = {
  query: `# Welcome to parley: 1:1 chat over GraphQL.
# Docs (the first icon, top left) says what
# parley is and describes every type, field
# and argument.
#
# Each tab holds one operation, with its
# inputs below it: Variables, and Headers for
# your token. Run it with the play button
# (or Ctrl-Enter).
#
# 1. Tab SignUp: fill in its Variables, run.
#    (An account already? Tab LogIn.)
# 2. Copy the token from the result.
# 3. In each tab you run, open Headers and
#    replace <paste the token> with it.
# 4. People lists who you can talk to: copy an
#    id into the Variables of History or Send.
# 5. Live shows messages as they come: keep it
#    running and send from a second browser tab
#    (switching tabs here stops it).
#
# This tab says who the token in Headers is
# (null without one).

query Welcome {
  me { id username displayName }
}
`,
  headers: TOKEN_HEADERS,
};

const SIGN_UP: Tab = {
  query: `# Sign up: in Variables (below), fill in a
# username and a password of your own, then
# run. Copy the token from the result into the
# Headers of the tabs you run.

mutation SignUp(
  $username: String!
  $password: String!
  $displayName: String
) {
  signUp(
    username: $username
    password: $password
    displayName: $displayName
  ) {
    token
    user { id username displayName }
  }
}
`,
  variables: `{
  // 3-32 letters, digits, ".", "_" or "-"
  "username": "",
  // 8 characters or more
  "password": "",
  // optional: the name others see
  "displayName": ""
}`,
  headers: NO_HEADERS,
};

const LOG_IN: Tab = {
  query: `# Log in to the account you signed up with:
# your username and password in Variables.
# Then copy the token into the Headers of the
# tabs you run.

mutation LogIn(
  $username: String!
  $password: String!
) {
  logIn(
    username: $username
    password: $password
  ) {
    token
    user { id username displayName }
  }
}
`,
  variables: `{
  "username": "",
  "password": ""
}`,
  headers: NO_HEADERS,
};

const PEOPLE: Tab = {
  query: `# Who you can talk to: everyone but you, by
# username. \`search\` matches usernames and
# display names. Copy an id into the Variables
# of History, Send or Live.
# Needs your token in Headers.

query People($search: String) {
  users(search: $search, first: 20) {
    edges { node { id username displayName } }
    pageInfo { hasNextPage endCursor }
  }
}
`,
  variables: `{
  "search": ""
}`,
  headers: TOKEN_HEADERS,
};

const HISTORY: Tab = {
  query: `# A conversation: its newest 20 messages,
# oldest first. \`with\` is the other person's
# id (from People). To page back in time, set
# \`before\` to the pageInfo.startCursor shown.
# Needs your token in Headers.

query History($with: ID!, $before: String) {
  chatHistory(
    withUserId: $with
    last: 20
    before: $before
  ) {
    edges {
      cursor
      node {
        id content createdAt readAt
        sender { username }
      }
    }
    pageInfo { hasPreviousPage startCursor }
  }
}
`,
  variables: `{
  "with": "<a user id>",
  "before": null
}`,
  headers: TOKEN_HEADERS,
};

const SEND: Tab = {
  query: `# Send a message. \`to\` is a user id (from
# People). \`cid\`, optional, is your own id
# for the message: sending again with the same
# cid returns the stored message instead of a
# second one, so a retry is safe.
# Needs your token in Headers.

mutation Send(
  $to: ID!
  $text: String!
  $cid: String
) {
  sendMessage(
    recipientId: $to
    content: $text
    clientMessageId: $cid
  ) {
    id content createdAt
    recipient { username }
  }
}
`,
  variables: `{
  "to": "<a user id>",
  "text": "Hello!",
  "cid": null
}`,
  headers: TOKEN_HEADERS,
};

const LIVE: Tab = {
  query: `# Every message you send or receive, as it is
# stored. Keep this tab running and send from
# a second browser tab (or the web app):
# switching tabs here stops it.
# \`with\`: only your conversation with that
# user id. \`after\` (needs \`with\`): first the
# messages after that cursor, then live ones.
# Needs your token in Headers.

subscription Live($with: ID, $after: String) {
  messageAdded(
    withUserId: $with
    after: $after
  ) {
    id content createdAt cursor
    sender { username }
    recipient { username }
  }
}
`,
  variables: `{
  "with": null,
  "after": null
}`,
  headers: TOKEN_HEADERS,
};

const INBOX: Tab = {
  query: `# Your conversations, latest activity first,
# with what you have not read yet (markRead
# clears it).
# Needs your token in Headers.

query Inbox($first: Int, $after: String) {
  unreadCount
  conversations(first: $first, after: $after) {
    edges {
      node {
        peer { id username displayName }
        unreadCount
        lastActivityAt
        lastMessage {
          content
          sender { username }
        }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`,
  variables: `{
  "first": 20,
  "after": null
}`,
  headers: TOKEN_HEADERS,
};

/** The tabs GraphiQL opens with (when the browser has none stored from an earlier visit). */
export const GRAPHIQL_TABS: Tab[] = [WELCOME, SIGN_UP, LOG_IN, PEOPLE, HISTORY, SEND, LIVE, INBOX];

export const graphiqlOptions: GraphiQLOptions = {
  title: 'parley GraphiQL',
  // Subscriptions over graphql-ws; GraphiQL sends its Headers editor with each one in extensions.headers
  // (see graphql-ws.ts).
  subscriptionsProtocol: 'WS',
  defaultTabs: GRAPHIQL_TABS,
  // The first tab's headers (see WELCOME), and what a tab opened with + starts with.
  defaultHeaders: TOKEN_HEADERS,
  // The bottom pane open on Headers: where the token goes.
  defaultEditorToolsVisibility: 'headers',
  // The pasted token is kept with the tabs (in this browser's localStorage), so a reload or a second browser tab
  // (the way to send while Live runs) has it too. Yoga's default, stated.
  shouldPersistHeaders: true,
  // The schema's description at the root of Docs (Yoga's default, stated: nothing may turn it off).
  schemaDescription: true,
};

/**
 * A tab never stays moved aside. GraphiQL's tabs can be dragged to reorder them (framer-motion), and their drag
 * offsets are kept within the tab bar: when the bar changes size (as it does while GraphiQL opens with several
 * tabs, and when the window is resized) every tab but the last is left with an offset. GraphiQL hides it only while
 * a tab has no focus, so a press on a tab focuses it, moves it away from under the pointer, and the click is lost:
 * on a first visit, the first click on each tab did nothing. Without offsets a dragged tab no longer follows the
 * pointer, but tabs still reorder as it moves.
 */
const TAB_STYLE = '<style>.graphiql-tab { transform: none !important; }</style>';

/**
 * GraphiQL's page: megabytes of bundled JavaScript, loaded when someone first opens it rather than at every start;
 * TAB_STYLE goes at the end of its head (after GraphiQL's styles, outside its script: the script's CSP hash is
 * unchanged).
 */
export const renderGraphiQL: GraphiQLRenderer = async (options) => {
  const page = (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options);
  const headEnd = page.indexOf('</head>');
  if (headEnd < 0) throw new Error("GraphiQL's page has no </head>");
  return page.slice(0, headEnd) + TAB_STYLE + page.slice(headEnd);
};

export const GRAPHIQL_OFF =
  'GraphiQL is off on this server: it runs only the trusted documents of its own apps (TRUSTED_DOCUMENTS=only), ' +
  'not queries typed in a browser.\n';

/** A browser's GET of /graphql (what would show GraphiQL) answers 404 with GRAPHIQL_OFF, in plain text. */
export function graphiqlOffPlugin(): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== '/graphql' || !shouldRenderGraphiQL(request)) return;
      endResponse(
        new fetchAPI.Response(GRAPHIQL_OFF, { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } }),
      );
    },
  };
}
