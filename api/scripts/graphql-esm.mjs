// An esbuild plugin: the bundle's one graphql-js is its ES-module build, run in production mode.
//
// - graphql 16 ships CommonJS (`main`) and ES modules (`module`), and esbuild on `platform: 'node'` takes `main`.
//   Every ES module importing it (Yoga's executor, Pothos, envelop) then reads `isNonNullType`, `getNamedType`, … through
//   esbuild's CommonJS interop: a getter per access, on every field of every result (4 % of parley's CPU under
//   `npm run bench -- --only changes`, more than any other function). Every `graphql` and `graphql/…` import and
//   require resolves to the `.mjs` twin instead: one copy, plain bindings.
// - graphql's `instanceOf` guards against two copies of graphql in one process; outside NODE_ENV=production it
//   inspects every value that is *not* an instance (each `isListType(String)` while completing a field). The bundle
//   holds exactly one graphql (above), so the guard is settled at build time.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const GUARD = /globalThis\.process\s*&&\s*(?:\/\/[^\n]*\n\s*)?process\.env\.NODE_ENV\s*===\s*'production'/;

/** @returns {import('esbuild').Plugin} */
export function graphqlEsm() {
  return {
    name: 'graphql-esm',
    setup(build) {
      build.onResolve({ filter: /^graphql(\/.*)?$/ }, (args) => {
        const root = dirname(createRequire(join(args.resolveDir, 'x.js')).resolve('graphql/package.json'));
        const sub = args.path.slice('graphql'.length); // '' or '/language/parser' (or '/language/parser.js')
        const base = join(root, sub.replace(/\.m?js$/, ''));
        const path = existsSync(base) && statSync(base).isDirectory() ? join(base, 'index.mjs') : `${base}.mjs`;
        if (!existsSync(path)) return { errors: [{ text: `graphql-esm: no ES module for "${args.path}" (${path})` }] };
        return { path };
      });
      build.onLoad({ filter: /[\\/]graphql[\\/]jsutils[\\/]instanceOf\.mjs$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!GUARD.test(source))
          return { errors: [{ text: `graphql-esm: graphql's production check moved (${args.path})` }] };
        return { contents: source.replace(GUARD, 'true'), loader: 'js' };
      });
    },
  };
}
