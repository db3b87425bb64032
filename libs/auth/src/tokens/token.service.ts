/**
 * Signs and checks the JWTs that carry a user's identity. The algorithm is pinned to HS256
 * on both sides, so a token cannot pick its own verification (`alg: none`, or an RS/HS
 * confusion); every token must expire; clocks may disagree by up to `clockToleranceSec`.
 */
import jwt from 'jsonwebtoken';
import { MIN_JWT_SECRET_LENGTH } from '@lib/config';
import { InvalidTokenRequestError, UnauthenticatedError } from '../auth-errors';
import type { Principal } from './principal';
import { DEFAULT_TOKEN_LIFETIME, parseLifetimeSeconds } from './token-lifetime';

export const TOKEN_ALGORITHM = 'HS256';
export const DEFAULT_CLOCK_TOLERANCE_SEC = 30;

export interface TokenServiceOptions {
  readonly clockToleranceSec?: number;
  /** the clock tokens are issued and checked against; tests move it */
  readonly nowMs?: () => number;
}

export interface MintRequest {
  /** the user id */
  readonly sub: string;
  readonly name?: string;
  /** seconds, or `90s`/`30m`/`12h`/`7d`; default 12h */
  readonly expiresIn?: string | number;
}

export class TokenService {
  private readonly clockToleranceSec: number;
  private readonly nowMs: () => number;

  constructor(
    private readonly secret: string,
    options: TokenServiceOptions = {},
  ) {
    if (secret.length < MIN_JWT_SECRET_LENGTH) {
      throw new Error(
        `the JWT secret must be at least ${MIN_JWT_SECRET_LENGTH} characters, got ${secret.length}`,
      );
    }
    this.clockToleranceSec = options.clockToleranceSec ?? DEFAULT_CLOCK_TOLERANCE_SEC;
    this.nowMs = options.nowMs ?? Date.now;
  }

  mint(request: MintRequest): string {
    if (typeof request.sub !== 'string' || request.sub.trim() === '') {
      throw new InvalidTokenRequestError('sub', 'must be a non-empty user id');
    }
    const lifetimeSec = parseLifetimeSeconds(request.expiresIn ?? DEFAULT_TOKEN_LIFETIME);
    const iat = Math.floor(this.nowMs() / 1000);
    const claims: Record<string, string | number> = {
      sub: request.sub,
      iat,
      exp: iat + lifetimeSec,
    };
    if (request.name !== undefined && request.name !== '') claims.name = request.name;
    return jwt.sign(claims, this.secret, { algorithm: TOKEN_ALGORITHM });
  }

  verify(token: string | undefined): Principal {
    if (token === undefined || token === '') {
      throw new UnauthenticatedError(
        'missing',
        'no token was sent (Authorization: Bearer <token>)',
      );
    }
    // the header is read before verification only to explain a refusal; jwt.verify with the
    // pinned algorithm list is what enforces it
    const alg = headerAlgorithm(token);
    if (alg !== TOKEN_ALGORITHM) {
      throw new UnauthenticatedError(
        'algorithm-not-allowed',
        `algorithm ${alg} is not accepted, only ${TOKEN_ALGORITHM}`,
      );
    }
    let payload: jwt.JwtPayload | string;
    try {
      payload = jwt.verify(token, this.secret, {
        algorithms: [TOKEN_ALGORITHM],
        clockTolerance: this.clockToleranceSec,
        clockTimestamp: Math.floor(this.nowMs() / 1000),
      });
    } catch (error) {
      throw refusal(error);
    }
    if (typeof payload === 'string')
      throw new UnauthenticatedError('malformed', 'the token payload is not a JSON object');
    if (typeof payload.sub !== 'string' || payload.sub === '') {
      throw new UnauthenticatedError('invalid-claims', 'the token has no sub (user id) claim');
    }
    // a token without exp would be valid forever, and tokens cannot be revoked one by one
    if (typeof payload.exp !== 'number')
      throw new UnauthenticatedError('invalid-claims', 'the token has no exp claim');
    const name: unknown = payload.name;
    if (name !== undefined && typeof name !== 'string') {
      throw new UnauthenticatedError('invalid-claims', 'the name claim must be a string');
    }
    return name === undefined ? { userId: payload.sub } : { userId: payload.sub, name };
  }
}

function headerAlgorithm(token: string): string {
  let decoded: jwt.Jwt | null;
  try {
    decoded = jwt.decode(token, { complete: true });
  } catch {
    decoded = null;
  }
  if (!decoded)
    throw new UnauthenticatedError(
      'malformed',
      'the token is not a JWT (header.payload.signature)',
    );
  return String(decoded.header.alg);
}

function refusal(error: unknown): UnauthenticatedError {
  if (error instanceof jwt.TokenExpiredError) {
    return new UnauthenticatedError(
      'expired',
      `the token expired at ${error.expiredAt.toISOString()}`,
    );
  }
  if (error instanceof jwt.NotBeforeError) {
    return new UnauthenticatedError(
      'not-yet-valid',
      `the token is not valid before ${error.date.toISOString()}`,
    );
  }
  if (error instanceof jwt.JsonWebTokenError) {
    if (error.message === 'invalid signature' || error.message === 'jwt signature is required') {
      return new UnauthenticatedError(
        'bad-signature',
        'the signature does not match (minted with another secret?)',
      );
    }
    if (error.message === 'invalid algorithm') {
      return new UnauthenticatedError(
        'algorithm-not-allowed',
        `only ${TOKEN_ALGORITHM} is accepted`,
      );
    }
    return new UnauthenticatedError('malformed', error.message);
  }
  return new UnauthenticatedError(
    'malformed',
    error instanceof Error ? error.message : String(error),
  );
}
