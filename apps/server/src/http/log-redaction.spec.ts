import { redactUrlSecrets } from './log-redaction';

describe('redactUrlSecrets', () => {
  it.each([
    ['/plans/p1?token=eyJhbGciOi.x.y', '/plans/p1?token=[Redacted]'],
    ['/plans/p1?version=3&access_token=abc&b=2', '/plans/p1?version=3&access_token=[Redacted]&b=2'],
    ['/plans/p1?Token=abc', '/plans/p1?Token=[Redacted]'],
    ['/plans/p1?%74oken=abc', '/plans/p1?%74oken=[Redacted]'],
    ['/plans/p1?tokenish=abc&version=2', '/plans/p1?tokenish=abc&version=2'],
    ['/plans/p1', '/plans/p1'],
    ['/plans/p1?%E0=1', '/plans/p1?%E0=1'],
  ])('given %s, then it is logged as %s', (url, logged) => {
    expect(redactUrlSecrets(url)).toBe(logged);
  });
});
