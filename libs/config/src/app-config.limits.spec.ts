import { ConfigError, loadConfig } from './app-config';

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('loadConfig: limits, timeouts and CORS', () => {
  it('given nothing set, then every limit has its documented default and CORS is off', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      maxDocBytes: 64 * 1024 * 1024,
      maxConnectionsPerPlan: 200,
      maxConnectionsPerUser: 50,
      rateLimitMessagesPerSec: 200,
      rateLimitBurst: 2000,
      maxSendBufferBytes: 16 * 1024 * 1024,
      httpRequestTimeoutMs: 30_000,
      httpHeadersTimeoutMs: 10_000,
      databaseQueryTimeoutMs: 30_000,
      corsOrigins: [],
    });
  });

  it('given limits set in the environment, then they are used (0 switches a connection limit or the rate limit off)', () => {
    const config = loadConfig({
      MAX_DOC_BYTES: '2000000',
      MAX_CONNECTIONS_PER_PLAN: '0',
      MAX_CONNECTIONS_PER_USER: '3',
      RATE_LIMIT_MESSAGES_PER_SEC: '0',
      RATE_LIMIT_BURST: '10',
      MAX_SEND_BUFFER_BYTES: '65536',
      HTTP_REQUEST_TIMEOUT_MS: '5000',
      HTTP_HEADERS_TIMEOUT_MS: '2000',
      DATABASE_QUERY_TIMEOUT_MS: '1500',
    });
    expect(config).toMatchObject({
      maxDocBytes: 2_000_000,
      maxConnectionsPerPlan: 0,
      maxConnectionsPerUser: 3,
      rateLimitMessagesPerSec: 0,
      rateLimitBurst: 10,
      maxSendBufferBytes: 65536,
      httpRequestTimeoutMs: 5000,
      httpHeadersTimeoutMs: 2000,
      databaseQueryTimeoutMs: 1500,
    });
  });

  it('given wrong values, then each is reported naming the variable and the value', () => {
    expect(
      problems({
        MAX_DOC_BYTES: '1kb',
        RATE_LIMIT_BURST: '0',
        MAX_CONNECTIONS_PER_USER: '-1',
        DATABASE_QUERY_TIMEOUT_MS: '0',
      }),
    ).toEqual([
      'DATABASE_QUERY_TIMEOUT_MS must be an integer from 1000 to 3600000, got "0"',
      'MAX_DOC_BYTES must be an integer from 1024 to 1073741824, got "1kb"',
      'MAX_CONNECTIONS_PER_USER must be an integer from 0 to 1000000, got "-1"',
      'RATE_LIMIT_BURST must be an integer from 1 to 1000000, got "0"',
    ]);
  });

  it('given a headers timeout longer than the request timeout, or a message limit above the document limit, then start-up fails', () => {
    expect(problems({ HTTP_REQUEST_TIMEOUT_MS: '2000', HTTP_HEADERS_TIMEOUT_MS: '5000' })).toEqual([
      'HTTP_HEADERS_TIMEOUT_MS (5000) must not exceed HTTP_REQUEST_TIMEOUT_MS (2000)',
    ]);
    expect(problems({ MAX_DOC_BYTES: '4096', MAX_MESSAGE_BYTES: '8192' })).toEqual([
      'MAX_MESSAGE_BYTES (8192) must not exceed MAX_DOC_BYTES (4096)',
    ]);
  });

  it('given CORS_ORIGINS, then origins are listed; * alone is allowed; paths or junk are refused', () => {
    expect(
      loadConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' }).corsOrigins,
    ).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(loadConfig({ CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
    expect(problems({ CORS_ORIGINS: 'https://app.example.com/path,example.com' })).toEqual([
      'CORS_ORIGINS must be * or a comma-separated list of origins like https://app.example.com (scheme, host, optional port; no path), got "https://app.example.com/path, example.com"',
    ]);
  });
});
