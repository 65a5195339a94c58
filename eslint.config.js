// Lint rules the house keeps (issue 13 §5). Formatting is Prettier's job (eslint-config-prettier turns the overlapping
// rules off); unused exports are knip's (`npm run lint` runs both), because ESLint sees one file at a time.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test/generated/**', 'examples/browser/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        // type-graphql reads parameter and property types from decorator metadata: an import that only looks like a
        // type there is a runtime value. With these two set, consistent-type-imports leaves decorated files' imports be.
        emitDecoratorMetadata: true,
        experimentalDecorators: true,
      },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-default-export': 'error',
      'import-x/order': [
        'error',
        {
          groups: ['builtin', 'external', 'internal', 'parent', 'sibling', 'index'],
          'newlines-between': 'never',
        },
      ],
    },
  },
  { files: ['examples/browser/**/*.js'], languageOptions: { globals: globals.browser } },
  { files: ['**/*.js', '**/*.mjs'], ignores: ['examples/browser/**'], languageOptions: { globals: globals.node } },
  {
    // Configuration files and Jest's global setup are loaded by tools that want a default export.
    files: ['*.config.js', '*.config.ts', 'test/support/global-setup.ts', 'test/support/global-teardown.ts'],
    rules: { 'import-x/no-default-export': 'off' },
  },
  prettier,
);
