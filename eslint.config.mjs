// Lint rules, including the module boundaries from DESIGN.md ("Dependencies point one way").
import tseslint from 'typescript-eslint';

const noIo = ['@nestjs/*', 'better-sqlite3', 'pg', 'ioredis', 'ws', 'socket.io', 'fs', 'node:fs', 'net', 'http'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'apps/web/**', 'coverage/**', '*.js', '*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['libs/plan-domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...noIo, '@lib/*'] }],
    },
  },
  {
    files: ['libs/event-store/**/*.ts'],
    ignores: ['libs/event-store/src/nest/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@nestjs/*', '@lib/collab', '@lib/projections', '@lib/feed', '@lib/auth'] }],
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['apps/*', '../../apps/*'] }],
    },
  },
);
