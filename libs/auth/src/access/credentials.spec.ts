import { UnauthenticatedError } from '../auth-errors';
import { bearerToken } from './credentials';

describe('bearerToken', () => {
  it('given "Bearer <token>" in any case, then the token is returned', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer abc.def.ghi')).toBe('abc.def.ghi');
  });

  it('given no Authorization header, then there is no token (the decision says 401 missing)', () => {
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken('')).toBeUndefined();
  });

  it.each([['Basic YWxpY2U6cHc='], ['Bearer'], ['Bearer a b'], ['abc.def.ghi']])(
    'given the header "%s", then it is refused as malformed',
    (header) => {
      expect(() => bearerToken(header)).toThrow(UnauthenticatedError);
      expect(() => bearerToken(header)).toThrow(/must be "Bearer <token>"/);
    },
  );

  it('given several Authorization headers, then it is refused as malformed', () => {
    expect(() => bearerToken(['Bearer a', 'Bearer b'])).toThrow(/not several/);
  });
});
