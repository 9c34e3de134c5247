// ESLint for the whole repository (`npm run lint`, `npm run format`; CONTRIBUTING.md, "Lint and format").
// typescript-eslint's recommended rules without type information (fast), the React hooks rules for the web app,
// and eslint-config-prettier last so that formatting is Prettier's business only.
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores([
    '**/node_modules/',
    '**/dist/',
    '**/coverage/',
    '**/test-results/',
    '.data/',
    'api/src/generated/', // Prisma client
    'web/src/gql/', // GraphQL codegen
    'bench/results/',
  ]),

  {
    files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'],
    extends: [tseslint.configs.recommended],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // As TypeScript's noUnusedLocals/noUnusedParameters: a leading underscore marks "unused on purpose".
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },

  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },

  {
    files: ['web/src/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended],
    rules: {
      // A deliberate exception says why: `// eslint-disable-next-line react-hooks/exhaustive-deps -- <why>`.
      'react-hooks/exhaustive-deps': 'error',
    },
  },

  {
    // Tests and the bench read GraphQL results (and the bench's child-process messages) untyped on purpose.
    files: ['api/test/**', 'web/e2e/**', 'web/src/test/**', '**/*.test.{ts,tsx}', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },

  prettier,
);
