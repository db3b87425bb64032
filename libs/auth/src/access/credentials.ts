/**
 * How a request names its caller: `Authorization: Bearer <token>`, or with AUTH=off an
 * optional `x-user` header / `user` query parameter (never trusted while auth is on).
 */
import { UnauthenticatedError } from '../auth-errors';

export const AUTH_OFF_USER_HEADER = 'x-user';
export const AUTH_OFF_USER_QUERY = 'user';

/** the token of an Authorization header; undefined when there is none, an error when it is not Bearer */
export function bearerToken(
  authorization: string | readonly string[] | undefined,
): string | undefined {
  if (authorization === undefined || authorization === '') return undefined;
  if (typeof authorization !== 'string') {
    throw new UnauthenticatedError('malformed', 'send one Authorization header, not several');
  }
  // the scheme is case-insensitive (RFC 7235)
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
  if (!match)
    throw new UnauthenticatedError(
      'malformed',
      'the Authorization header must be "Bearer <token>"',
    );
  return match[1];
}
