/**
 * HTTP answers for the read side's typed errors, in the server's `{statusCode, error, message}`
 * shape. Scoped to the read-model controllers; everything else falls through to the global
 * ErrorResponseFilter.
 */
import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { InvalidIsoDateError } from '@lib/plan-domain';
import {
  InvalidHistoryQueryError,
  PlanNotProjectedError,
  ReadModelNotCaughtUpError,
  ReadModelStoreUnavailableError,
  UnknownPlanVersionError,
  UnknownPositionError,
} from '@lib/projections';

type ReadModelError =
  | InvalidHistoryQueryError
  | InvalidIsoDateError
  | PlanNotProjectedError
  | ReadModelNotCaughtUpError
  | ReadModelStoreUnavailableError
  | UnknownPlanVersionError
  | UnknownPositionError;

@Catch(
  InvalidHistoryQueryError,
  InvalidIsoDateError,
  PlanNotProjectedError,
  ReadModelNotCaughtUpError,
  ReadModelStoreUnavailableError,
  UnknownPlanVersionError,
  UnknownPositionError,
)
export class ReadModelErrorFilter implements ExceptionFilter<ReadModelError> {
  catch(exception: ReadModelError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const [statusCode, error] = statusOf(exception);
    // a read model behind or a store away is worth retrying in a moment
    if (statusCode === 503) response.setHeader('Retry-After', '1');
    response
      .status(statusCode)
      .json({ statusCode, error, message: exception.message, code: exception.code });
  }
}

function statusOf(exception: ReadModelError): [number, string] {
  if (exception instanceof PlanNotProjectedError) return [404, 'Not Found'];
  if (
    exception instanceof InvalidHistoryQueryError ||
    exception instanceof InvalidIsoDateError ||
    exception instanceof UnknownPlanVersionError ||
    exception instanceof UnknownPositionError
  ) {
    return [400, 'Bad Request'];
  }
  return [503, 'Service Unavailable'];
}
