#!/usr/bin/env node
// What each route of the built app makes a browser download, gzipped, against the budget — read from Vite's
// manifest (dist/.vite/manifest.json), so it counts the chunks a route really loads:
//   - login route: the entry chunk and everything it imports statically (what index.html loads before anything
//     else happens);
//   - chat app: every chunk reachable from the entry, statically or through import() — a signed-in user opening a
//     conversation loads the chat shell and whatever it loads, so the whole app is the honest upper bound.
// Sizes are gzip at level 9, as the build precompresses them (vite.config.ts); CSS is printed but not budgeted.
// It also checks that every text file the app is served from has its .br and .gz next to it, and that no GraphiQL
// code slipped into the app (from the hidden source maps).
//
// Usage: node scripts/bundle-size.mjs [--check] [--strict]
//   --check   exit 1 when a route is over its ceiling (the regression guard `npm test -w web` runs; for the login
//             route that is the budget)
//   --strict  exit 1 when a route is over the budget of issue #12 (the target; see README "Bundle and caching")
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const KB = 1000; // as Vite prints sizes
/** Issue #12's budget, in gzipped KB of JS. */
const BUDGET = { login: 100, chat: 140 };
/**
 * What the build may not grow past (gzipped KB), checked by --check (`npm test -w web`). The login route is held to
 * the budget itself: it carries React and the session only (Apollo Client, graphql-ws and the chat come with the
 * signed-in chunk, app/SignedIn.tsx), 77 kB today. The whole app is not within its budget yet (175 kB, of which
 * react-dom + react ~64 kB and Apollo Client 4 with rxjs/optimism/@wry ~50 kB, before any of parley's own code,
 * graphql-ws, graphql's printer or the virtualised list; linkifyjs, ~10 kB, is loaded only for a message that may
 * hold a link): its ceiling is just above today's figure, against regressions. Lower it as the bundle shrinks.
 */
// 181: message search (#20: the field and its hits, a conversation opened at a hit, two documents) ~2 kB.
// 200: messages that change (#18): actions, chips, quotes, change outbox ~5 kB in SignedIn, and the emoji picker
// (emoji-picker-element, 13.6 kB) counted although it is a lazy chunk loaded only when the full picker opens.
// 205: attachments (#19): the composer's files and their upload state machine, thumbnails, the viewer and file chips
// ~4.5 kB in SignedIn, and the attachment fields in every document that selects a message (~0.7 kB). A lazy viewer
// was tried: its own chunk cost more than it saved.
// +3.5: Web Push (#21): the push settings, Mute, the page's answers to the service worker and their documents
// ~3.5 kB (0.9 kB of it then in the entry chunk; since scripts/graphql-documents-plugin.mjs each document sits in the chunk that uses it). Splitting the settings
// into a lazy chunk of their own made the total larger (205 kB: a shared chunk compresses worse), not smaller.
// +12: your account (#22): the settings view, a lazy chunk (~6 kB, and ~3 kB of gzip lost to the chunk split: the
// modules it shares with the chat move to a chunk of their own) counted although only opening Settings loads it;
// blocking in the conversation ~1 kB. Imported statically instead it is 207 kB, all in the signed-in chunk.
// +2.5: pending uploads kept across reloads (#19: idb-keyval and the queue that resumes them) ~1.5 kB, refused changes
// shown and who reacted (#18) ~0.7 kB, the catch-up from initialUpdateCursor ~0.3 kB.
const CEILING = { login: BUDGET.login, chat: 225 };

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const manifestPath = join(dist, '.vite', 'manifest.json');
const args = new Set(process.argv.slice(2));

function fail(message) {
  console.error(`[bundle-size] ${message}`);
  process.exit(1);
}

if (!existsSync(manifestPath)) fail(`no ${manifestPath}: build the app first (npm run build -w web).`);
/** @type {Record<string, {file: string, isEntry?: boolean, imports?: string[], dynamicImports?: string[], css?: string[]}>} */
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const entries = Object.keys(manifest).filter((key) => manifest[key].isEntry);
if (entries.length !== 1) fail(`expected one entry chunk in the manifest, found ${entries.length}.`);
const [entry] = entries;

/** The manifest keys reachable from `start` through static imports (and dynamic ones too, if asked). */
function closure(start, { dynamic }) {
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    if (!manifest[key]) fail(`the manifest names ${key} but has no entry for it.`);
    seen.add(key);
    for (const next of manifest[key].imports ?? []) visit(next);
    if (dynamic) for (const next of manifest[key].dynamicImports ?? []) visit(next);
  };
  visit(start);
  return [...seen];
}

const gzipped = new Map();
/** Gzipped bytes of a file under dist. */
function gz(file) {
  if (!gzipped.has(file)) gzipped.set(file, gzipSync(readFileSync(join(dist, file)), { level: 9 }).length);
  return gzipped.get(file);
}
const kb = (bytes) => `${(bytes / KB).toFixed(1)} kB`;

const login = closure(entry, { dynamic: false });
const chat = closure(entry, { dynamic: true });
const loginFiles = login.map((key) => manifest[key].file);
const chatFiles = chat.map((key) => manifest[key].file);
const cssFiles = [...new Set(chat.flatMap((key) => manifest[key].css ?? []))];
const total = (files) => files.reduce((sum, file) => sum + gz(file), 0);

const routes = [
  { name: 'login route', key: 'login', files: loginFiles },
  { name: 'chat app', key: 'chat', files: chatFiles },
];
let overCeiling = false;
let overBudget = false;
console.log('[bundle-size] JS per route, gzip -9 (from dist/.vite/manifest.json):');
for (const route of routes) {
  const size = total(route.files) / KB;
  const budget = BUDGET[route.key];
  const ceiling = CEILING[route.key];
  const verdict =
    size <= budget ? 'within budget' : size <= ceiling ? 'OVER BUDGET (under the ceiling)' : 'OVER THE CEILING';
  overBudget ||= size > budget;
  overCeiling ||= size > ceiling;
  console.log(
    `  ${route.name.padEnd(12)} ${size.toFixed(1).padStart(6)} kB  budget ${budget} kB, ceiling ${ceiling} kB: ${verdict}`,
  );
  for (const file of route.files.toSorted((a, b) => gz(b) - gz(a))) {
    console.log(`      ${kb(gz(file)).padStart(9)}  ${file}`);
  }
}
console.log(`  css          ${(total(cssFiles) / KB).toFixed(1).padStart(6)} kB  (${cssFiles.join(', ')})`);

// Served precompressed (api/src/http/static.ts): every chunk, stylesheet and index.html has both copies.
const missing = ['index.html', ...chatFiles, ...cssFiles].flatMap((file) =>
  ['.br', '.gz'].filter((ext) => !existsSync(join(dist, file + ext))).map((ext) => file + ext),
);
if (missing.length) fail(`precompressed copies missing: ${missing.join(', ')}`);

// GraphiQL is the API's page (api/src/http/graphiql.ts): none of it, nor its editor, may end up in the app.
const strays = chatFiles.flatMap((file) => {
  const map = join(dist, `${file}.map`);
  if (!existsSync(map)) return [];
  const { sources = [] } = JSON.parse(readFileSync(map, 'utf8'));
  return sources.filter((source) => /node_modules\/(@?graphiql|monaco-editor|monaco-graphql)\b/.test(source));
});
if (strays.length) fail(`GraphiQL code in the app bundle: ${strays.slice(0, 5).join(', ')}`);

if (args.has('--strict') && overBudget) fail('over the budget of issue #12 (see above).');
if (args.has('--check') && overCeiling) fail('over the ceiling: the bundle grew (see above).');
