/**
 * One JSON line per HTTP request (pino-http), and the root logger the rest of the server logs
 * through.
 *
 * nestjs-pino's own request middleware runs each request inside an AsyncLocalStorage, so that
 * log calls made while handling it carry the request. On Node 20 the first such run turns on
 * promise hooks for the rest of the process: from then on every promise anywhere (projector
 * batches, store appends, websocket handlers) pays an init hook and an allocation. Nothing here
 * reads that context, so requests are logged by this middleware instead, outside any
 * AsyncLocalStorage, and other log lines come from the root logger.
 */
import type { IncomingMessage } from 'node:http';
import { pinoHttp, type HttpLogger } from 'pino-http';
import { REDACTED_LOG_PATHS, redactRequestUrl } from './log-redaction';

/** the request log middleware, installed on the Express app before any route */
export const REQUEST_LOG = Symbol('REQUEST_LOG');

/** requests too frequent and too uninteresting to log one line each */
const UNLOGGED_PATHS: ReadonlySet<string> = new Set(['/health', '/metrics']);

export function createRequestLog(level: string): HttpLogger<IncomingMessage> {
  return pinoHttp({
    level,
    redact: REDACTED_LOG_PATHS,
    serializers: { req: redactRequestUrl },
    autoLogging: { ignore: (req) => UNLOGGED_PATHS.has(req.url ?? '') },
  });
}
