/**
 * Builds the browser editor into dist/web, which the server serves at `/`. The editor edits
 * plans through the same pure domain code the server runs (libs/plan-domain), so the aliases
 * below point at library sources rather than at built packages.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const server = process.env.PLAN_SERVER_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: here('.'),
  base: '/',
  resolve: {
    alias: [
      { find: '@lib/plan-domain', replacement: here('../../libs/plan-domain/src/index.ts') },
      {
        find: '@lib/collab/client',
        replacement: here('../../libs/collab/src/client/durable-acks.ts'),
      },
      // who may do what: the same table the server decides with
      { find: '@lib/auth/roles/role', replacement: here('../../libs/auth/src/roles/role.ts') },
      // the feed's protocol types and its reconnect-and-resume client; the server side stays out
      { find: '@lib/feed/client', replacement: here('../../libs/feed/src/client/index.ts') },
      { find: '@lib/feed', replacement: here('../../libs/feed/src/feed-messages.ts') },
      // plan-domain's only Node import: ids for new entities
      { find: 'node:crypto', replacement: here('src/platform/node-crypto.ts') },
    ],
    // one Yjs instance, or `instanceof Y.Map` checks fail between the editor and plan-domain
    dedupe: ['yjs', 'lib0', 'y-protocols'],
  },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: here('../../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1024,
  },
  // `vite apps/web` for UI work against a server already running on :3000
  server: {
    proxy: {
      '/plans': server,
      '/portfolio': server,
      '/health': server,
      '/collab': { target: server.replace(/^http/, 'ws'), ws: true },
      '/socket.io': { target: server, ws: true },
    },
  },
});
