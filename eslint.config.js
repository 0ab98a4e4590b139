// Flat config: typescript-eslint's recommended rules, plus the layering rule from
// DESIGN.md — the core never imports a driver, an HTTP framework or a database client.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const forbiddenInCore = ['fastify', 'fastify/*', '@fastify/*', 'pg', 'kysely', '@electric-sql/*', 'dockerode', 'undici', '**/vim/docker/**', '**/vim/openstack/**', '**/store/**', '**/api/**'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.rondo/**', 'coverage/**', 'src/web/dist/**', 'bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use a const array and a derived union (STYLE.md).' }],
    },
  },
  {
    // Plain Node scripts (no TypeScript types to tell ESLint about Node's globals).
    files: ['**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
  },
  {
    files: ['src/model/**', 'src/descriptors/**', 'src/lifecycle/**', 'src/placement/**', 'src/ipam/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: forbiddenInCore }] },
  },
);
