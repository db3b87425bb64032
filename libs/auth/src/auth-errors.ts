/**
 * The three ways an access decision can fail, as typed errors with stable codes. They are
 * Nest-independent so HTTP, the Yjs websocket and the socket.io feed map the same decision:
 * HTTP through `authErrorStatus`/`authErrorResponse` in the server's one exception filter,
 * websockets to their own close codes.
 */

/** why a token was refused; part of the message so a client developer can fix the call */
export type UnauthenticatedReason =
  | 'missing'
  | 'malformed'
  | 'expired'
  | 'not-yet-valid'
  | 'bad-signature'
  | 'algorithm-not-allowed'
  | 'invalid-claims';

export abstract class AuthError extends Error {
  abstract readonly code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'PLAN_NOT_FOUND';
}

export class UnauthenticatedError extends AuthError {
  readonly code = 'UNAUTHENTICATED';
  constructor(
    readonly reason: UnauthenticatedReason,
    detail: string,
  ) {
    super(`unauthenticated (${reason}): ${detail}`);
  }
}

export class ForbiddenError extends AuthError {
  readonly code = 'FORBIDDEN';
  constructor(
    readonly planId: string,
    readonly userId: string,
    readonly need: string,
    detail: string,
  ) {
    super(`user ${userId} may not ${need} plan ${planId}: ${detail}`);
  }
}

export class PlanNotFoundError extends AuthError {
  readonly code = 'PLAN_NOT_FOUND';
  constructor(readonly planId: string) {
    super(`plan ${planId} does not exist`);
  }
}

export const isAuthError = (e: unknown): e is AuthError => e instanceof AuthError;
export const isUnauthenticated = (e: unknown): e is UnauthenticatedError =>
  e instanceof UnauthenticatedError;
export const isForbidden = (e: unknown): e is ForbiddenError => e instanceof ForbiddenError;
export const isPlanNotFound = (e: unknown): e is PlanNotFoundError =>
  e instanceof PlanNotFoundError;

const HTTP_STATUS = {
  UNAUTHENTICATED: { statusCode: 401, error: 'Unauthorized' },
  FORBIDDEN: { statusCode: 403, error: 'Forbidden' },
  PLAN_NOT_FOUND: { statusCode: 404, error: 'Not Found' },
} as const satisfies Record<AuthError['code'], { statusCode: number; error: string }>;

export function authErrorStatus(e: AuthError): 401 | 403 | 404 {
  return HTTP_STATUS[e.code].statusCode;
}

/** the JSON body every HTTP error in this server has */
export function authErrorResponse(e: AuthError): {
  statusCode: 401 | 403 | 404;
  error: string;
  message: string;
} {
  return { ...HTTP_STATUS[e.code], message: e.message };
}

/** a bad `mint` request (CLI input): not an access decision, so not an AuthError */
export class InvalidTokenRequestError extends Error {
  readonly code = 'INVALID_TOKEN_REQUEST';
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field} ${reason}`);
  }
}
