import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  // web/src/api/schema.ts is generated from the OpenAPI document (npm run api:types).
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'data/**',
      'coverage/**',
      '.cache/**',
      'web/src/api/schema.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // The offline verifier must not trust the server's code: only the pure functions of the
    // ledger format (Merkle tree, signed notes, envelope hash and chain links) are shared.
    files: ['src/verifier/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '^\\.\\./(?!ledger/(merkle|checkpoints)/[\\w-]+$|ledger/(hash-chain|ledger-event|verification/verify-stream)$|evidence/evidence-bundle$)',
              message:
                'The verifier shares only the pure Merkle, note and hash-chain functions with the server.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      sourceType: 'commonjs',
      globals: Object.fromEntries(
        [
          'require',
          'module',
          '__dirname',
          'process',
          'console',
          'setTimeout',
          'clearTimeout',
          'Buffer',
        ].map((name) => [name, 'readonly']),
      ),
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
