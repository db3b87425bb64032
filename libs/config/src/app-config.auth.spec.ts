import { ConfigError, loadConfig } from './app-config';

describe('loadConfig: auth settings', () => {
  it('given no AUTH, then auth is on and the JWT secret is left to the data dir', () => {
    const config = loadConfig({});
    expect(config.auth).toBe('on');
    expect(config.authJwtSecret).toBeUndefined();
  });

  it('given AUTH=off explicitly, then auth is off', () => {
    expect(loadConfig({ AUTH: 'off' }).auth).toBe('off');
  });

  it.each(['false', '0', 'no', 'OFF'])(
    'given AUTH=%s, then start-up fails instead of guessing',
    (value) => {
      expect(() => loadConfig({ AUTH: value })).toThrow(/AUTH must be one of on\|off/);
    },
  );

  it('given an AUTH_JWT_SECRET of 32 characters or more, then it is used', () => {
    expect(loadConfig({ AUTH_JWT_SECRET: 'k'.repeat(32) }).authJwtSecret).toBe('k'.repeat(32));
  });

  it('given a short AUTH_JWT_SECRET, then start-up fails naming the length but never the value', () => {
    let error: unknown;
    try {
      loadConfig({ AUTH_JWT_SECRET: 'hunter2' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'AUTH_JWT_SECRET must be at least 32 characters, got 7',
    ]);
    expect((error as Error).message).not.toContain('hunter2');
  });
});
