// GraphiQL at /graphql (GET from a browser): bundled with the server, so it works offline and behind firewalls
// (Yoga's default loads it from a CDN), running subscriptions over graphql-ws, and opening on a walk through the API:
// one tab per operation, its variables filled in, and the Headers each tab needs.
//
// The options are the same for every visitor (the page is one 9 MB inline script whose hash is the page's CSP,
// security-headers.ts): nothing is generated per request, so the sign-up inputs are left for the visitor to fill in
// (empty, which the server refuses with a message saying what is expected) rather than a made-up name that the second
// visitor would find taken, or a password everyone knows.
//
// Every line of the tabs' texts (./graphiql/) is at most 48 characters: GraphiQL's operation, Variables and Headers
// editors do not wrap, and at 1280 px the operation editor shows about 49 columns (with Docs closed;
// web/e2e/graphiql.e2e.ts checks 1280, 1400 and 1920 px).
//
// With TRUSTED_DOCUMENTS=only GraphiQL is off (it could run nothing: trusted-documents.ts), and a browser asking for
// it gets a 404 saying why (graphiqlOffPlugin).
import { Kind, parse } from 'graphql';
import { shouldRenderGraphiQL, type GraphiQLOptions, type GraphiQLRenderer, type Plugin } from 'graphql-yoga';
import { TAB_DOCUMENTS, type TabDocument } from './graphiql-tabs.generated.ts';

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

/** Root fields that need no token: a tab that selects only these gets NO_HEADERS. */
const NO_TOKEN_FIELDS = new Set(['signUp', 'logIn']);

function tabOf({ query, variables }: TabDocument): Tab {
  const operation = parse(query).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const rootFields = (operation?.selectionSet.selections ?? []).flatMap((s) =>
    s.kind === Kind.FIELD ? [s.name.value] : [],
  );
  const needsToken = !rootFields.every((name) => NO_TOKEN_FIELDS.has(name));
  return { query, ...(variables !== undefined && { variables }), headers: needsToken ? TOKEN_HEADERS : NO_HEADERS };
}

/**
 * The tabs GraphiQL opens with (when the browser has none stored from an earlier visit): the documents in
 * ./graphiql/, one operation each, in the order of their file names (`<n>-<Name>.graphql`, its Variables in
 * `<n>-<Name>.variables.jsonc`). A new tab is a new file there; scripts/graphiql-tabs.mjs puts them in the bundle
 * (api/test/graphiql-documents.test.ts validates them against the schema).
 *
 * GraphiQL shows the first tab's query but not its variables or headers when it opens (graphql/graphiql#3392: the
 * editors start from `defaultHeaders` and empty variables): so the first tab (Welcome) needs no variables and its
 * headers are `defaultHeaders`.
 */
export const GRAPHIQL_TABS: Tab[] = TAB_DOCUMENTS.map(tabOf);

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
 * One token for every tab. A signUp or logIn run in GraphiQL (its HTTP fetch, watched here) keeps the token in this
 * browser's localStorage and reloads the page; before GraphiQL starts, every stored tab whose Headers hold an
 * `"authorization": "Bearer …"` gets that token (the tabs that need none keep theirs). So the token is in every
 * tab's Headers, after a reload too, and in a second browser tab opened on GraphiQL. GraphiQL keeps its tabs under
 * `graphiql:tabState` (shouldPersistHeaders keeps their Headers). It runs before GraphiQL's own script, under the
 * same CSP (security-headers.ts hashes every inline script of the page).
 */
export const TOKEN_STORAGE_KEY = 'parley:graphiql:token';
const SHARED_TOKEN_SCRIPT = `<script>(() => {
  const KEY = ${JSON.stringify(TOKEN_STORAGE_KEY)};
  const AUTH = /("authorization"\\s*:\\s*)"Bearer [^"]*"/i;
  const withToken = (headers, token) => headers.replace(AUTH, (_, key) => key + JSON.stringify('Bearer ' + token));
  try {
    const token = localStorage.getItem(KEY);
    const state = JSON.parse(localStorage.getItem('graphiql:tabState') || 'null');
    if (token && state && Array.isArray(state.tabs)) {
      for (const tab of state.tabs) if (typeof tab.headers === 'string') tab.headers = withToken(tab.headers, token);
      localStorage.setItem('graphiql:tabState', JSON.stringify(state));
      // The open tab's editor text too: GraphiQL finds the open tab by it.
      const open = localStorage.getItem('graphiql:headers');
      if (open) localStorage.setItem('graphiql:headers', withToken(open, token));
    }
  } catch (e) {
    console.warn('parley: could not put the token into the tabs', e);
  }
  const fetch = window.fetch.bind(window);
  window.fetch = async (...args) => {
    const response = await fetch(...args);
    response.clone().json().then((body) => {
      const data = body && body.data;
      const token = data && ((data.signUp && data.signUp.token) || (data.logIn && data.logIn.token));
      if (typeof token !== 'string' || token === localStorage.getItem(KEY)) return;
      localStorage.setItem(KEY, token);
      setTimeout(() => location.reload(), 300);
    }, () => {});
    return response;
  };
})();</script>`;

/**
 * GraphiQL's page: megabytes of bundled JavaScript, loaded when someone first opens it rather than at every start;
 * TAB_STYLE and SHARED_TOKEN_SCRIPT go at the end of its head (after GraphiQL's styles, before its script, which is
 * in the body: that script's CSP hash is unchanged).
 */
export const renderGraphiQL: GraphiQLRenderer = async (options) => {
  const page = (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options);
  const headEnd = page.indexOf('</head>');
  if (headEnd < 0) throw new Error("GraphiQL's page has no </head>");
  return page.slice(0, headEnd) + TAB_STYLE + SHARED_TOKEN_SCRIPT + page.slice(headEnd);
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
