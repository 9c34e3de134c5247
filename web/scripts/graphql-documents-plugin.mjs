// Vite plugins (build only) that let each chunk carry only the GraphQL documents it uses.
//
// Why: `graphql(`…`)` (src/gql/gql.ts, GraphQL Code Generator's client preset) looks a document up in one map that
// holds every document of the app, so the bundler kept all of them — ~105 kB of AST — in the entry chunk the login
// page loads. Two steps fix it:
//   1. each `graphql(`…`)` call in src becomes an import of that one document, by the client preset's own Babel
//      plugin (`babelOptimizerPlugin`, the preset's documented fix; @vitejs/plugin-react 6 has no `babel` option,
//      hence a plugin of our own), so tree-shaking drops the map and the unused documents;
//   2. each document is a module of its own, imported as such (`parley:gql-document/<name>`, also where src imports
//      one from gql/graphql.ts by name): the bundler places whole modules in chunks, and as one module
//      (src/gql/graphql.ts) every document in use sat in the entry chunk, which imports a few of them (the login
//      page's). graphql.ts itself only re-exports them, so any other import of it gets the same objects.
// The documents are the generated objects as they were (with their `__meta__.hash`, the trusted-document id the API
// accepts: src/gql/persisted-documents.json), one object per document: what the app sends is unchanged. The dev
// server and jest (which does not use Vite) keep going through `graphql()`.
import { readFileSync } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { transformAsync } from '@babel/core';
import { babelOptimizerPlugin } from '@graphql-codegen/client-preset';

/** A `graphql(` call with a template literal (what the preset's Babel plugin rewrites), or an import from gql/. */
const CANDIDATE = /\bgraphql\(\s*`|\/gql(\/graphql|\/index)?['"]/;
/** A generated document in src/gql/graphql.ts: one line, its AST as JSON. */
const DOCUMENT = /^export const (\w+) = (\{.*\}) as unknown as DocumentNode<.*>;$/gm;
/**
 * Id of a one-document module: `parley:gql-document/<name>`. Not `\0`-prefixed, the usual mark of a virtual module:
 * rolldown then drops the module's source map, and size reports from the maps could not tell where the bytes come from.
 */
const PREFIX = 'parley:gql-document/';

/** @returns {import('vite').Plugin[]} */
export function graphqlDocuments() {
  let srcDir = '';
  let gqlDir = '';
  let generatedFile = '';
  /** @type {Map<string, { json: string, line: number }>} document name → its AST as JSON and its line in graphql.ts */
  let documents = new Map();

  /** Reads the documents of graphql.ts; fails the build when its exports no longer look as expected. */
  function readDocuments(code = readFileSync(generatedFile, 'utf8')) {
    const found = new Map();
    for (const { 1: name, 2: json, index } of code.matchAll(DOCUMENT)) {
      JSON.parse(json); // plain data: it is inlined as it is
      found.set(name, { json, line: code.slice(0, index).split('\n').length });
    }
    const exports = code.match(/^export (const|let|var|function|class|enum|default)\b/gm)?.length ?? 0;
    if (found.size === 0 || found.size !== exports) {
      throw new Error(`${generatedFile}: ${exports} runtime exports, ${found.size} documents in the expected form`);
    }
    documents = found;
  }

  /**
   * A Babel plugin run after the preset's: value imports (and re-exports) of documents from graphql.ts become imports
   * of their own modules, and the `graphql` import the preset's plugin left unused goes.
   * @param {typeof import('@babel/core')} babel
   * @returns {import('@babel/core').PluginObj}
   */
  function ownDocumentModules({ types: t }) {
    /** @param {string} source @param {string} filename */
    const isGenerated = (source, filename) =>
      source.startsWith('.') && resolve(dirname(filename), source).replace(/\.ts$/, '') === join(gqlDir, 'graphql');
    /** @param {string} source @param {string} filename */
    const isGqlIndex = (source, filename) =>
      source.startsWith('.') && resolve(dirname(filename), source).replace(/\/index(\.ts)?$/, '') === gqlDir;
    /** @param {import('@babel/types').Identifier | import('@babel/types').StringLiteral} node */
    const nameOf = (node) => (node.type === 'Identifier' ? node.name : node.value);

    return {
      name: 'parley-own-document-modules',
      visitor: {
        Program: {
          exit(program, state) {
            const filename = state.filename ?? '';
            program.scope.crawl(); // the preset's plugin replaced calls: count references again
            for (const statement of program.get('body')) {
              const node = statement.node;
              if (node.type === 'ImportDeclaration' && node.importKind !== 'type') {
                const source = node.source.value;
                if (isGenerated(source, filename)) {
                  for (const specifier of node.specifiers) {
                    if (specifier.type !== 'ImportSpecifier' || specifier.importKind === 'type') continue;
                    const name = nameOf(specifier.imported);
                    if (!documents.has(name)) continue;
                    statement.insertBefore(
                      t.importDeclaration(
                        [t.importSpecifier(t.identifier(specifier.local.name), t.identifier(name))],
                        t.stringLiteral(PREFIX + name),
                      ),
                    );
                  }
                  node.specifiers = node.specifiers.filter(
                    (s) =>
                      !(s.type === 'ImportSpecifier' && s.importKind !== 'type' && documents.has(nameOf(s.imported))),
                  );
                  // What is left are types: an import of types only, so that no import of graphql.ts stays.
                  if (node.specifiers.length === 0) statement.remove();
                  else if (node.specifiers.every((s) => s.type === 'ImportSpecifier' && s.importKind === 'type')) {
                    node.importKind = 'type';
                    for (const s of node.specifiers) if (s.type === 'ImportSpecifier') s.importKind = null;
                  }
                } else if (isGqlIndex(source, filename)) {
                  node.specifiers = node.specifiers.filter(
                    (s) =>
                      !(
                        s.type === 'ImportSpecifier' &&
                        nameOf(s.imported) === 'graphql' &&
                        !program.scope.getBinding(s.local.name)?.referenced
                      ),
                  );
                  // The rest (getFragmentData, …) straight from fragment-masking.ts: gql/index.ts would bring in
                  // gql.ts and its map of every document (unused, but the chunking would still follow it).
                  if (node.specifiers.length === 0) statement.remove();
                  else if (
                    node.specifiers.every((s) => s.type === 'ImportSpecifier' && nameOf(s.imported) !== 'graphql')
                  )
                    node.source = t.stringLiteral(source.replace(/(\/index)?(\.ts)?$/, '/fragment-masking'));
                }
              } else if (
                node.type === 'ExportNamedDeclaration' &&
                node.source &&
                node.exportKind !== 'type' &&
                isGenerated(node.source.value, filename)
              ) {
                /** @param {import('@babel/types').ExportNamedDeclaration['specifiers'][number]} s */
                const isDocument = (s) =>
                  s.type === 'ExportSpecifier' && s.exportKind !== 'type' && documents.has(s.local.name);
                for (const specifier of node.specifiers) {
                  if (specifier.type !== 'ExportSpecifier' || !isDocument(specifier)) continue;
                  statement.insertBefore(
                    t.exportNamedDeclaration(
                      null,
                      [t.exportSpecifier(t.identifier(specifier.local.name), specifier.exported)],
                      t.stringLiteral(PREFIX + specifier.local.name),
                    ),
                  );
                }
                node.specifiers = node.specifiers.filter((s) => !isDocument(s));
                if (node.specifiers.length === 0) statement.remove();
              }
            }
          },
        },
      },
    };
  }

  return [
    {
      name: 'parley:graphql-calls',
      apply: 'build',
      enforce: 'pre',
      configResolved(config) {
        srcDir = join(config.root, 'src') + sep;
        gqlDir = join(config.root, 'src', 'gql');
        generatedFile = join(gqlDir, 'graphql.ts');
      },
      buildStart() {
        readDocuments();
      },
      transform: {
        filter: { id: /\.tsx?$/, code: CANDIDATE },
        async handler(code, id) {
          const file = id.split('?')[0];
          const ext = extname(file);
          if (ext !== '.ts' && ext !== '.tsx') return null;
          // Our sources only: not the generated code itself, not tests.
          if (!file.startsWith(srcDir) || file.startsWith(gqlDir + sep)) return null;
          if (/\.test\.tsx?$/.test(file) || file.startsWith(join(srcDir, 'test') + sep)) return null;
          const result = await transformAsync(code, {
            filename: file,
            babelrc: false,
            configFile: false,
            sourceMaps: true,
            // TypeScript and JSX stay as they are (no presets). No JSX in .ts files, where `<T>x` is a type assertion.
            parserOpts: { plugins: ext === '.tsx' ? ['typescript', 'jsx'] : ['typescript'] },
            plugins: [[babelOptimizerPlugin, { artifactDirectory: gqlDir, gqlTagName: 'graphql' }], ownDocumentModules],
          });
          if (!result?.code) return null;
          return { code: result.code, map: result.map };
        },
      },
    },
    {
      name: 'parley:graphql-document-modules',
      apply: 'build',
      enforce: 'pre',
      transform: {
        filter: { id: /[\\/]src[\\/]gql[\\/]graphql\.ts$/ },
        handler(code, id) {
          if (id !== generatedFile) return null;
          readDocuments(code);
          // The types stay (the TypeScript transform drops them); the documents are re-exported from their modules.
          const facade = code.replace(DOCUMENT, (_, name) => `export { ${name} } from '${PREFIX}${name}';`);
          return { code: facade, map: { mappings: '' } };
        },
      },
      resolveId: {
        filter: { id: new RegExp(`^${PREFIX}`) },
        handler(source) {
          return source.startsWith(PREFIX) ? source : null;
        },
      },
      load: {
        filter: { id: new RegExp(`^${PREFIX}`) },
        handler(id) {
          if (!id.startsWith(PREFIX)) return null;
          const name = id.slice(PREFIX.length);
          const document = documents.get(name);
          if (!document) throw new Error(`${generatedFile} has no document ${name}`);
          // Mapped to its line of graphql.ts, so that source maps (and size reports made from them) name that file.
          return {
            code: `export const ${name} = ${document.json};\n`,
            map: { version: 3, sources: [generatedFile], names: [], mappings: `AA${vlq(document.line - 1)}A` },
          };
        },
      },
    },
  ];
}

/** One number in Base64 VLQ, as source maps write them. @param {number} value */
function vlq(value) {
  const digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let rest = value < 0 ? (-value << 1) | 1 : value << 1;
  let out = '';
  do {
    const digit = rest & 31;
    rest >>>= 5;
    out += digits[rest > 0 ? digit | 32 : digit];
  } while (rest > 0);
  return out;
}
