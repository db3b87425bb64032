/**
 * Response headers that keep browsers from misusing API responses (the helmet defaults that
 * matter for a JSON API; helmet itself is not a dependency): no MIME sniffing, never framed,
 * no referrer leaks. CORS is off unless CORS_ORIGINS names origins.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import type { AppConfig } from '@lib/config';

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

export function securityHeaders(_request: Request, response: Response, next: NextFunction): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
  next();
}

/** headers on every response, no framework banner, and CORS only for the configured origins */
export function applyHttpSecurity(
  app: NestExpressApplication,
  config: Pick<AppConfig, 'corsOrigins'>,
): void {
  app.disable('x-powered-by');
  app.use(securityHeaders);
  if (config.corsOrigins.length === 0) return;
  app.enableCors({
    origin: config.corsOrigins[0] === '*' ? '*' : [...config.corsOrigins],
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type'],
    maxAge: 600,
  });
}
