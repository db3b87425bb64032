import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import {
  InvalidTokenRequestError,
  UnauthenticatedError,
  type UnauthenticatedReason,
} from '../auth-errors';
import { TokenService } from './token.service';

const SECRET = 'a'.repeat(64);
const START_MS = Date.parse('2027-03-01T09:00:00Z');
const nowSec = Math.floor(START_MS / 1000);

function serviceAt(clock: { ms: number }, secret = SECRET): TokenService {
  return new TokenService(secret, { nowMs: () => clock.ms });
}

function refusal(service: TokenService, token: string | undefined): UnauthenticatedError {
  try {
    service.verify(token);
  } catch (error) {
    if (error instanceof UnauthenticatedError) return error;
    throw error;
  }
  throw new Error('the token was accepted');
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('TokenService', () => {
  it('given a token minted for alice with a name, when verified, then the principal is alice with that name', () => {
    const tokens = serviceAt({ ms: START_MS });
    expect(tokens.verify(tokens.mint({ sub: 'alice', name: 'Alice A.' }))).toEqual({
      userId: 'alice',
      name: 'Alice A.',
    });
    expect(tokens.verify(tokens.mint({ sub: 'bob' }))).toEqual({ userId: 'bob' });
  });

  it('given a minted token, then it is HS256 and carries sub, iat and an exp 12 hours later by default', () => {
    const token = serviceAt({ ms: START_MS }).mint({ sub: 'alice' });
    const decoded = jwt.decode(token, { complete: true });
    expect(decoded?.header.alg).toBe('HS256');
    expect(decoded?.payload).toEqual({ sub: 'alice', iat: nowSec, exp: nowSec + 12 * 3600 });
  });

  describe('given the algorithm is pinned to HS256', () => {
    const tokens = serviceAt({ ms: START_MS });
    const claims = { sub: 'mallory', iat: nowSec, exp: nowSec + 3600 };

    it.each<{ token: string; makeToken: () => string; reason: UnauthenticatedReason }>([
      {
        token: 'alg none without a signature',
        makeToken: () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`,
        reason: 'algorithm-not-allowed',
      },
      {
        token: 'alg none passed off as HS256 (no signature)',
        makeToken: () => `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(claims)}.`,
        reason: 'bad-signature',
      },
      {
        token: 'HS512 with the right secret',
        makeToken: () => jwt.sign(claims, SECRET, { algorithm: 'HS512' }),
        reason: 'algorithm-not-allowed',
      },
      {
        token: 'HS256 with another secret',
        makeToken: () => jwt.sign(claims, 'b'.repeat(64), { algorithm: 'HS256' }),
        reason: 'bad-signature',
      },
      {
        token: 'RS256 with a private key',
        makeToken: () =>
          jwt.sign(claims, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, {
            algorithm: 'RS256',
          }),
        reason: 'algorithm-not-allowed',
      },
    ])('when a token is $token, then it is refused as $reason', ({ makeToken, reason }) => {
      expect(refusal(tokens, makeToken()).reason).toBe(reason);
    });
  });

  it('given a token for 60 s, when the clock passes expiry by less than the 30 s tolerance, then it is still accepted', () => {
    const clock = { ms: START_MS };
    const tokens = serviceAt(clock);
    const token = tokens.mint({ sub: 'alice', expiresIn: 60 });
    clock.ms = START_MS + (60 + 29) * 1000;
    expect(tokens.verify(token).userId).toBe('alice');
  });

  it('given a token for 60 s, when the clock passes expiry by more than the tolerance, then it is refused as expired', () => {
    const clock = { ms: START_MS };
    const tokens = serviceAt(clock);
    const token = tokens.mint({ sub: 'alice', expiresIn: '1m' });
    clock.ms = START_MS + (60 + 31) * 1000;
    const error = refusal(tokens, token);
    expect(error.reason).toBe('expired');
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toMatch(/expired at 2027-03-01T09:01:00\.000Z/);
  });

  it('given a token minted by a server whose clock runs 20 s ahead (nbf), then it is accepted; 40 s ahead, refused', () => {
    const tokens = serviceAt({ ms: START_MS });
    const ahead = (seconds: number) =>
      jwt.sign(
        { sub: 'alice', iat: nowSec + seconds, nbf: nowSec + seconds, exp: nowSec + 3600 },
        SECRET,
        { algorithm: 'HS256' },
      );
    expect(tokens.verify(ahead(20)).userId).toBe('alice');
    expect(refusal(tokens, ahead(40)).reason).toBe('not-yet-valid');
  });

  it.each<{ given: string; token: string | undefined; reason: UnauthenticatedReason }>([
    { given: 'no token', token: undefined, reason: 'missing' },
    { given: 'an empty token', token: '', reason: 'missing' },
    { given: 'text that is not a JWT', token: 'hello', reason: 'malformed' },
    { given: 'three dots of garbage', token: 'a.b.c', reason: 'malformed' },
  ])('given $given, when verified, then it is refused as $reason', ({ token, reason }) => {
    expect(refusal(serviceAt({ ms: START_MS }), token).reason).toBe(reason);
  });

  it('given a correctly signed token without sub, or without exp, or with a numeric name, then its claims are refused', () => {
    const tokens = serviceAt({ ms: START_MS });
    const sign = (claims: object) => jwt.sign(claims, SECRET, { algorithm: 'HS256' });
    expect(refusal(tokens, sign({ iat: nowSec, exp: nowSec + 60 })).message).toMatch(/no sub/);
    expect(refusal(tokens, sign({ sub: 'alice', iat: nowSec })).message).toMatch(/no exp/);
    expect(refusal(tokens, sign({ sub: 'alice', exp: nowSec + 60, name: 7 })).reason).toBe(
      'invalid-claims',
    );
  });

  it('given a bad mint request, then it is refused naming the field', () => {
    const tokens = serviceAt({ ms: START_MS });
    expect(() => tokens.mint({ sub: '' })).toThrow(InvalidTokenRequestError);
    expect(() => tokens.mint({ sub: 'alice', expiresIn: '12 hours' })).toThrow(/expiresIn must be/);
    expect(() => tokens.mint({ sub: 'alice', expiresIn: '400d' })).toThrow(/at most 365d/);
    expect(() => tokens.mint({ sub: 'alice', expiresIn: 0 })).toThrow(/expiresIn/);
  });

  it('given a secret shorter than 32 characters, then no token service is made', () => {
    expect(() => new TokenService('short')).toThrow(/at least 32 characters/);
  });
});
