// Lint rules, including the module boundaries from DESIGN.md ("Dependencies point one way").
// Flat-config blocks for the same rule replace each other, so each block lists every
// restriction that applies to its files.
import tseslint from 'typescript-eslint';

const io = ['@nestjs/*', 'better-sqlite3', 'pg', 'ioredis', 'ws', 'socket.io', 'fs', 'node:fs', 'net', 'node:net', 'http', 'node:http'];
const apps = ['apps/*', '../../apps/*', '../../../apps/*'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'apps/web/**', 'coverage/**', '*.js', '*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: apps }] },
  },
  {
    files: ['libs/plan-domain/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...apps, ...io, '@lib/*'] }] },
  },
  {
    files: ['libs/event-store/**/*.ts'],
    ignores: ['libs/event-store/src/nest/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...apps, '@nestjs/*', '@lib/collab*', '@lib/projections*', '@lib/feed*', '@lib/auth*', '@lib/plan-domain*'] },
      ],
    },
  },
  {
    // conversions are pure; the shells (server, CLI) do the reading and writing
    files: ['libs/plan-exchange/src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...apps, ...io, '@lib/collab*', '@lib/feed*'] }] },
  },
  {
    files: ['libs/collab/**/*.ts', 'libs/projections/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...apps, '@lib/auth*', '@lib/feed*'] }] },
  },
);
