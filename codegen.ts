import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * GraphQL Code Generator for the web client.
 *
 * Reads the committed contract (`schema.graphql`, printed from the API's Pothos
 * schema) and every `graphql(...)` document in `web/src`, and writes typed
 * documents to `web/src/gql/` (committed; never edit by hand).
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
      },
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
