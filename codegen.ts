import type { CodegenConfig } from '@graphql-codegen/cli';
import { addTypenameToDocument } from '@apollo/client/utilities';

/**
 * GraphQL Code Generator for the web client.
 *
 * Reads the committed contract (`schema.graphql`, printed from the API's Pothos
 * schema) and every `graphql(...)` document in `web/src`, and writes typed
 * documents to `web/src/gql/` (committed; never edit by hand).
 *
 * Trusted documents: every operation's SHA-256 is embedded in its document
 * (`__meta__.hash`, which the web client sends instead of the text) and the
 * hash → text manifest is written to `web/src/gql/persisted-documents.json`,
 * which the API runs by id (api/src/http/trusted-documents.ts). The documents
 * carry the `__typename` selections Apollo Client adds before sending (its own
 * transform), so what the server runs by id is what Apollo would have sent.
 *
 * `PARLEY_CODEGEN_OUT` lets `web/scripts/check-codegen.mjs` generate into a temp
 * directory and diff it against the committed output.
 */
const out = process.env.PARLEY_CODEGEN_OUT ?? 'web/src/gql/';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['web/src/**/*.{ts,tsx}', '!web/src/gql/**/*', '!web/src/**/*.test.{ts,tsx}'],
  ignoreNoDocuments: true,
  generates: {
    [out]: {
      preset: 'client',
      presetConfig: {
        // Named getFragmentData (not useFragment) so it is not confused with
        // Apollo's cache-subscribing useFragment hook: this only unmasks types.
        fragmentMasking: { unmaskFunctionName: 'getFragmentData' },
        // The document stays (Apollo's cache reads it); its hash rides along.
        persistedDocuments: { mode: 'embedHashInDocument', hashAlgorithm: 'sha256' },
      },
      documentTransforms: [
        {
          transform: ({ documents }) =>
            documents.map((source) => ({
              ...source,
              document: source.document && addTypenameToDocument(source.document),
            })),
        },
      ],
      config: {
        scalars: { DateTime: 'string' },
        useTypeImports: true,
        enumsAsTypes: true,
        skipTypename: false,
        nonOptionalTypename: true,
        // Apollo Client does not add __typename to root operation types.
        skipTypeNameForRoot: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        defaultScalarType: 'unknown',
      },
    },
  },
};

export default config;
