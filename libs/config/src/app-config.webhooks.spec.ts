import { ConfigError, loadConfig } from './app-config';

const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
};

describe('loadConfig: webhooks, admins and REST rate limits', () => {
  it('given nothing set, then no webhook host is allowed, no admin exists and REST is not limited', () => {
    const config = loadConfig({});
    expect(config.webhookAllowedHosts).toEqual([]);
    expect(config.adminUsers).toEqual([]);
    expect(config.httpRateLimit).toBe(0);
    expect(config).toMatchObject({
      webhookMaxAttempts: 8,
      webhookRetryBaseMs: 1000,
      webhookRetryMaxMs: 300_000,
      webhookTimeoutMs: 10_000,
      httpRateLimitWindowMs: 60_000,
    });
  });

  it('given hosts with and without ports, then they are kept lower-cased', () => {
    expect(
      loadConfig({ WEBHOOK_ALLOWED_HOSTS: 'Hooks.Example.com, 127.0.0.1:9000,[::1]:8080' })
        .webhookAllowedHosts,
    ).toEqual(['hooks.example.com', '127.0.0.1:9000', '[::1]:8080']);
  });

  it.each([
    [{ WEBHOOK_ALLOWED_HOSTS: 'https://hooks.example.com' }, /WEBHOOK_ALLOWED_HOSTS must be/],
    [{ WEBHOOK_ALLOWED_HOSTS: 'hooks.example.com/path' }, /WEBHOOK_ALLOWED_HOSTS must be/],
    [{ WEBHOOK_MAX_ATTEMPTS: '0' }, /WEBHOOK_MAX_ATTEMPTS must be an integer from 1/],
    [
      { WEBHOOK_RETRY_BASE_MS: '5000', WEBHOOK_RETRY_MAX_MS: '1000' },
      /WEBHOOK_RETRY_BASE_MS \(5000\) must not exceed WEBHOOK_RETRY_MAX_MS \(1000\)/,
    ],
    [{ HTTP_RATE_LIMIT: '-1' }, /HTTP_RATE_LIMIT must be an integer from 0/],
    [{ ADMIN_USERS: 'alice,bad user' }, /ADMIN_USERS must be a comma-separated list of user ids/],
  ])('given %j, then start-up fails naming the variable', (env, problem) => {
    expect(problemsOf(env)).toEqual([expect.stringMatching(problem)]);
  });
});
