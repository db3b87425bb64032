/**
 * REST rate limits: HTTP_RATE_LIMIT requests per window per caller, then 429 with
 * Retry-After; per user (a token) or per address; counted in Redis across nodes when
 * REDIS_URL is set. Health and metrics are never limited.
 */
import { randomUUID } from 'node:crypto';
import { tokenFor } from '../support/clients';
import { startServer, type ServerProcess } from '../support/server-process';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const LIMITS = { HTTP_RATE_LIMIT: '5', HTTP_RATE_LIMIT_WINDOW_MS: '60000' };

const get = (server: ServerProcess, path: string, token?: string) =>
  fetch(`${server.baseUrl}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

describe('REST rate limits', () => {
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const server of servers) await server.dispose();
  });

  it('given HTTP_RATE_LIMIT=5, when a user makes a 6th request in the window, then 429 with Retry-After; another user, health and metrics are unaffected', async () => {
    const server = await startServer(LIMITS);
    servers.push(server);
    const alice = tokenFor('alice');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await get(server, '/plans', alice)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const limited = await get(server, '/plans', alice);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await limited.json()).toMatchObject({
      statusCode: 429,
      message: expect.stringMatching(/too many requests/),
    });
    // the budget is per caller, over all routes
    expect((await get(server, '/portfolio', alice)).status).toBe(429);
    expect((await get(server, '/plans', tokenFor('bob'))).status).toBe(200);
    for (let i = 0; i < 10; i++) {
      expect((await get(server, '/health')).status).toBe(200);
      expect((await get(server, '/metrics')).status).toBe(200);
    }
  });

  it('given no HTTP_RATE_LIMIT, then nothing is limited', async () => {
    const server = await startServer();
    servers.push(server);
    const alice = tokenFor('alice');
    for (let i = 0; i < 30; i++) expect((await get(server, '/plans', alice)).status).toBe(200);
  });

  it('given two nodes sharing Redis, then one budget spans both', async () => {
    const env = { ...LIMITS, REDIS_URL, REDIS_PREFIX: `rate-${randomUUID()}:` };
    // each with its own SQLite data: only the counters are shared
    const a = await startServer(env);
    servers.push(a);
    const b = await startServer(env);
    servers.push(b);
    const alice = tokenFor('alice');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await get(i % 2 ? b : a, '/plans', alice)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});
