#!/usr/bin/env node
// Bundles the API into plain JavaScript: src/ (with the generated Prisma client) → dist/main.js and the chunks it
// loads, with esbuild (types are checked by `npm run typecheck`, not here). One bundle, not a module per file:
// Node loads a few large modules much faster than hundreds of small ones (start-up, README's performance table).
// Left out of the bundle, and loaded from node_modules at run time: packages that find files next to their own
// code (PGlite's WebAssembly, argon2's native addon, pino's workers), and the ones only some servers load (Redis,
// GraphiQL's multi-megabyte page).
//   node scripts/build.mjs              build (`npm run build -w api`)
//   node scripts/build.mjs --if-stale   build only when dist/ is missing or older than its inputs (`npm start`,
//                                       the API tests' global setup)
// The build is written beside dist/ and swapped in, so a server starting from dist/ meanwhile (a test run next
// to this one) never sees half of it.
import {
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { graphqlEsm } from './graphql-esm.mjs';
import { generate as generateGraphiqlTabs, MODULE_PATH as GRAPHIQL_TABS } from './graphiql-tabs.mjs';

const apiDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(apiDir, '..');
const distDir = join(apiDir, 'dist');
/** Written last, by a build that succeeded; its mtime is when that build started (so an input changed while it
 * ran makes dist/ stale). */
const STAMP = '.built';

/** Newest mtime (ms) under a path — files and directories, so a deleted or renamed file counts — and which. */
function newest(path) {
  if (!existsSync(path)) return { mtime: 0, file: null };
  const stat = statSync(path);
  let best = { mtime: stat.mtimeMs, file: path };
  if (!stat.isDirectory()) return best;
  for (const entry of readdirSync(path)) {
    const candidate = newest(join(path, entry));
    if (candidate.mtime > best.mtime) best = candidate;
  }
  return best;
}

// What dist/ is made from. (prisma/migrations is not: the server reads it at run time.)
const inputs = [
  join(apiDir, 'src'),
  join(repoRoot, 'shared'), // rules shared with the web client
  join(apiDir, 'tsconfig.json'),
  join(apiDir, 'scripts', 'build.mjs'),
  join(apiDir, 'scripts', 'graphiql-tabs.mjs'),
  join(apiDir, 'scripts', 'graphql-esm.mjs'),
  join(apiDir, 'package.json'),
  join(repoRoot, 'prisma', 'schema.prisma'),
];

if (process.argv.includes('--if-stale')) {
  const latest = inputs.map(newest).reduce((a, b) => (b.mtime > a.mtime ? b : a));
  const stampPath = join(distDir, STAMP);
  const built = existsSync(stampPath) ? statSync(stampPath).mtimeMs : 0;
  if (built && built >= latest.mtime) process.exit(0);
  console.log(
    built
      ? `[api build] dist/ is older than ${relative(repoRoot, latest.file)}: building…`
      : '[api build] dist/ is missing: building…',
  );
}

// GraphiQL's tabs: their documents → the module the bundle imports (rewritten only when they changed, and before
// `started`, so writing it does not make the build it is part of stale).
const tabsModule = generateGraphiqlTabs();
if (!existsSync(GRAPHIQL_TABS) || readFileSync(GRAPHIQL_TABS, 'utf8') !== tabsModule)
  writeFileSync(GRAPHIQL_TABS, tabsModule);

const started = new Date();
// Same depth as dist/, so paths computed from import.meta.url (src/paths.ts) hold in the build too (every chunk is
// written at the top of dist/).
const outDir = join(apiDir, `dist.${process.pid}.tmp`);
const EXTERNAL = [
  '@electric-sql/pglite',
  'argon2',
  'pino',
  'ioredis',
  '@graphql-yoga/redis-event-target',
  '@graphql-yoga/render-graphiql',
  'pg-native',
];
try {
  await esbuild.build({
    // The server, and the push worker process it forks (src/push/worker-process.ts).
    entryPoints: { main: join(apiDir, 'src', 'main.ts'), 'push-worker': join(apiDir, 'src', 'push', 'worker-main.ts') },
    outdir: outDir,
    bundle: true,
    splitting: true, // dynamic imports (the database driver in use, the app while the database opens) stay lazy
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    plugins: [graphqlEsm()], // one graphql, its ES modules, no development checks (graphql-esm.mjs)
    // Bundled CommonJS packages require Node's modules: give each chunk a `require`.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    sourcemap: 'linked',
    logLevel: 'warning',
  });
} catch {
  rmSync(outDir, { recursive: true, force: true });
  console.error('[api build] esbuild failed.');
  process.exit(1);
}
writeFileSync(join(outDir, STAMP), '');
utimesSync(join(outDir, STAMP), started, started);
const old = join(apiDir, `dist.${process.pid}.old`);
if (existsSync(distDir)) renameSync(distDir, old);
renameSync(outDir, distDir);
rmSync(old, { recursive: true, force: true });
console.log(`[api build] dist/ built in ${((Date.now() - started.getTime()) / 1000).toFixed(1)} s.`);
