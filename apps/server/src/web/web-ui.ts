/**
 * Serves the browser editor (`dist/web`, built by `vite build apps/web`) at `/`, so `npm start`
 * is all a team needs. A browser navigating to an editor path (`/p/<planId>`) gets index.html;
 * API routes, websockets and anything that does not ask for HTML are never shadowed.
 */
import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/** First path segments that belong to the server, never to the editor's fallback. */
export const SERVER_PATH_PREFIXES: ReadonlySet<string> = new Set([
  'plans',
  'health',
  'metrics',
  'docs',
  'docs-json',
  'docs-yaml',
  'collab',
  'socket.io',
  'feed',
  'portfolio',
  'webhooks',
]);

/** dist/web beside the compiled server, or under the working directory (ts-node, watch mode) */
export function findWebUiDir(): string | undefined {
  const candidates = [
    join(__dirname, '..', '..', '..', '..', 'web'),
    join(process.cwd(), 'dist', 'web'),
  ];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

export function isEditorNavigation(request: Pick<Request, 'method' | 'path' | 'headers'>): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (!String(request.headers.accept ?? '').includes('text/html')) return false;
  if (extname(request.path) !== '') return false;
  return !SERVER_PATH_PREFIXES.has(request.path.split('/')[1] ?? '');
}

/** Returns whether the editor is served (it is not when it was never built). */
export function serveWebUi(
  app: NestExpressApplication,
  dir: string | undefined = findWebUiDir(),
): boolean {
  if (!dir) return false;
  const indexHtml = join(dir, 'index.html');
  app.useStaticAssets(dir, {
    index: 'index.html',
    setHeaders: (response, path) => {
      // file names under assets/ carry a content hash; index.html must always be revalidated
      response.setHeader(
        'Cache-Control',
        path.includes(`${join(dir, 'assets')}`)
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
      );
    },
  });
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (!isEditorNavigation(request)) return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(indexHtml);
  });
  return true;
}
