/**
 * The one place typed errors become HTTP responses, all shaped `{statusCode, error, message}`
 * (plus `problems` for domain validation). Anything unknown is a 500 and is logged; its
 * details stay in the log.
 */
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { authErrorResponse, isAuthError, isLastOwnerError, isPlanArchivedError } from '@lib/auth';
import { isDocumentTooLarge, PlanNotFoundInStoreError } from '@lib/collab';
import {
  isDuplicateEventId,
  isStoreUnavailable,
  isWrongExpectedVersion,
  InvalidEventError,
} from '@lib/event-store';
import {
  isCommentNotFoundError,
  isInvalidCommentError,
  isNotCommentAuthorError,
  isPlanEntityNotFoundError,
  isPlanValidationError,
} from '@lib/plan-domain';
import { isImportRefusedError } from '@lib/plan-exchange';
import { isInvalidBaselineError, isUnknownAudienceError } from '@lib/projections';
import { isUploadMalformed, isUploadTooLarge } from '../exchange/plan-upload';

interface ErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string;
  readonly [extra: string]: unknown;
}

const body = (
  statusCode: number,
  error: string,
  message: string,
  extra: Record<string, unknown> = {},
): ErrorBody => ({
  statusCode,
  error,
  message,
  ...extra,
});

export function errorBody(exception: unknown): ErrorBody | undefined {
  if (isAuthError(exception)) return authErrorResponse(exception);
  if (isLastOwnerError(exception))
    return body(409, 'Conflict', exception.message, {
      code: exception.code,
      userId: exception.userId,
    });
  if (isPlanArchivedError(exception))
    return body(409, 'Conflict', exception.message, { code: exception.code });
  if (isPlanValidationError(exception)) {
    return body(400, 'Bad Request', exception.message, {
      code: exception.code,
      problems: exception.problems,
    });
  }
  if (isImportRefusedError(exception)) {
    return body(400, 'Bad Request', exception.message, {
      code: exception.code,
      format: exception.format,
      problems: exception.problems,
    });
  }
  if (isUploadTooLarge(exception)) {
    return body(413, 'Payload Too Large', exception.message, {
      code: exception.code,
      maxImportBytes: exception.maxImportBytes,
    });
  }
  if (isUploadMalformed(exception))
    return body(400, 'Bad Request', exception.message, { code: exception.code });
  if (isPlanEntityNotFoundError(exception))
    return body(404, 'Not Found', exception.message, { code: exception.code });
  if (isInvalidCommentError(exception))
    return body(400, 'Bad Request', exception.message, {
      code: exception.code,
      field: exception.field,
    });
  if (isCommentNotFoundError(exception))
    return body(404, 'Not Found', exception.message, { code: exception.code });
  if (isNotCommentAuthorError(exception))
    return body(403, 'Forbidden', exception.message, { code: exception.code });
  if (isInvalidBaselineError(exception))
    return body(400, 'Bad Request', exception.message, {
      code: exception.code,
      field: exception.field,
    });
  if (isUnknownAudienceError(exception))
    return body(400, 'Bad Request', exception.message, { code: exception.code, field: 'audience' });
  if (exception instanceof PlanNotFoundInStoreError)
    return body(404, 'Not Found', exception.message, { code: exception.code });
  if (isWrongExpectedVersion(exception)) {
    return body(409, 'Conflict', exception.message, {
      code: exception.code,
      expectedVersion: exception.expected,
      actualVersion: exception.actual,
    });
  }
  if (isDocumentTooLarge(exception)) {
    return body(413, 'Payload Too Large', exception.message, {
      code: exception.code,
      maxDocBytes: exception.maxDocBytes,
    });
  }
  if (isDuplicateEventId(exception))
    return body(409, 'Conflict', exception.message, { code: exception.code });
  if (exception instanceof InvalidEventError)
    return body(400, 'Bad Request', exception.message, { code: exception.code });
  if (isStoreUnavailable(exception))
    return body(503, 'Service Unavailable', exception.message, { code: exception.code });
  if (exception instanceof HttpException) {
    const response = exception.getResponse();
    const status = exception.getStatus();
    if (typeof response === 'string') return body(status, exception.name, response);
    const r = response as { error?: string; message?: string | string[] };
    const message = Array.isArray(r.message)
      ? r.message.join('; ')
      : (r.message ?? exception.message);
    return body(status, r.error ?? exception.name, message);
  }
  const bodyParser = exception as { type?: string; status?: number; limit?: number };
  if (bodyParser?.type === 'entity.too.large') {
    return body(
      413,
      'Payload Too Large',
      `request body exceeds the limit of ${bodyParser.limit} bytes`,
    );
  }
  if (bodyParser?.type === 'entity.parse.failed')
    return body(400, 'Bad Request', 'request body is not valid JSON');
  return undefined;
}

@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const known = errorBody(exception);
    if (!known) this.logger.error({ err: exception }, 'unhandled error');
    const result =
      known ?? body(500, 'Internal Server Error', 'internal error; see the server log');
    if (result.statusCode >= 500 && known) this.logger.warn({ err: exception }, result.message);
    response.status(result.statusCode).json(result);
  }
}
