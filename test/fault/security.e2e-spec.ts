/**
 * Security properties of a running server: tokens (expired, wrong algorithm, not yet valid,
 * clock tolerance) over HTTP and the websocket alike; no token and no secret in the logs even
 * at LOG_LEVEL=debug; the generated secret file is private; browser-facing headers; CORS only
 * for configured origins.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import WebSocket from 'ws';
import { apiClient, ClientPool, eventually, tokenFor } from '../support/clients';
import { startServer, TEST_JWT_SECRET, type ServerProcess } from '../support/server-process';

/** a token with arbitrary claims and header, signed with the test secret */
function craft(claims: Record<string, unknown>, algorithm: jwt.Algorithm = 'HS256'): string {
  return jwt.sign(claims, TEST_JWT_SECRET, { algorithm, noTimestamp: true });
}
const nowSec = () => Math.floor(Date.now() / 1000);

async function wsClose(
  server: ServerProcess,
  planId: string,
  token: string,
): Promise<{ code: number; reason: string }> {
  const ws = new WebSocket(`${server.wsUrl}/${planId}?token=${encodeURIComponent(token)}`);
  ws.on('error', () => undefined);
  return new Promise((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
}

describe('tokens over HTTP and websocket', () => {
  let server: ServerProcess;
  let planId: string;

  beforeAll(async () => {
    server = await startServer();
    planId = (
      await apiClient(server.baseUrl, tokenFor('alice')).post<{ id: string }>('/plans', {
        title: 'Tokens',
      })
    ).body.id;
  });
  afterAll(async () => {
    await server.dispose();
  });

  it.each([
    [
      'expired two minutes ago (beyond the 30 s tolerance)',
      () => craft({ sub: 'alice', iat: nowSec() - 3600, exp: nowSec() - 120 }),
      /expired/,
    ],
    [
      'signed with HS512 (the algorithm is pinned to HS256)',
      () => craft({ sub: 'alice', exp: nowSec() + 600 }, 'HS512'),
      /algorithm HS512 is not accepted/,
    ],
    [
      'with alg none',
      () =>
        `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'alice', exp: nowSec() + 600 })).toString('base64url')}.`,
      /algorithm none is not accepted/,
    ],
    [
      'not valid before a minute from now (beyond the tolerance)',
      () => craft({ sub: 'alice', nbf: nowSec() + 60, exp: nowSec() + 600 }),
      /not valid before/,
    ],
    ['without exp', () => craft({ sub: 'alice' }), /no exp/],
    [
      'signed with another secret',
      () => tokenFor('alice', { secret: 'another-secret-that-is-long-enough-for-hs256' }),
      /signature/,
    ],
  ])(
    'given a token %s, then HTTP answers 401 and the websocket closes with 4401, both saying why',
    async (_, make, why) => {
      const token = make();
      const http = await apiClient(server.baseUrl, token).get<{ message: string }>(
        `/plans/${planId}`,
      );
      expect(http.status).toBe(401);
      expect(http.body.message).toMatch(why);
      const closed = await wsClose(server, planId, token);
      expect(closed.code).toBe(4401);
      expect(closed.reason).toMatch(why);
    },
  );

  it('given a token that expired 10 s ago (within the 30 s clock tolerance), then it is still accepted', async () => {
    const token = craft({ sub: 'alice', iat: nowSec() - 600, exp: nowSec() - 10 });
    expect((await apiClient(server.baseUrl, token).get(`/plans/${planId}`)).status).toBe(200);
  });
});

describe('logs', () => {
  it('given LOG_LEVEL=debug and requests carrying tokens (valid, expired, forged) over HTTP and websocket, then the output contains no token and no secret', async () => {
    const server = await startServer({ LOG_LEVEL: 'debug' });
    const pool = new ClientPool();
    try {
      const valid = tokenFor('alice');
      const expired = craft({ sub: 'alice', iat: nowSec() - 3600, exp: nowSec() - 120 });
      const forged = tokenFor('alice', { secret: 'another-secret-that-is-long-enough-for-hs256' });
      const api = apiClient(server.baseUrl, valid);
      const planId = (await api.post<{ id: string }>('/plans', { title: 'Logs' })).body.id;
      await api.post(`/plans/${planId}/tasks`, { title: 'x', durationDays: 1 });
      await api.get(`/plans/${planId}?token=${valid}`);
      await apiClient(server.baseUrl, expired).get(`/plans/${planId}`);
      await apiClient(server.baseUrl, forged).post(`/plans/${planId}/tasks`, {
        title: 'y',
        durationDays: 1,
      });
      const client = pool.connect(server.wsUrl, planId, { token: valid });
      await eventually(() => expect(client.provider.synced).toBe(true));
      await wsClose(server, planId, expired);
      await wsClose(server, planId, forged);
      pool.destroyAll();
      await new Promise((r) => setTimeout(r, 300));

      const output = server.output();
      // requests really were logged with their headers, the credential redacted
      expect(output).toContain('"authorization":"[Redacted]"');
      for (const secret of [valid, expired, forged, TEST_JWT_SECRET]) {
        expect(output).not.toContain(secret);
        // nor the signature alone, which is what a leaked token is worth
        expect(output).not.toContain(secret.split('.')[2] ?? secret);
      }
    } finally {
      pool.destroyAll();
      await server.dispose();
    }
  });

  it('given no AUTH_JWT_SECRET, then the generated secret file is mode 0600 and its content is never printed', async () => {
    const server = await startServer({ AUTH_JWT_SECRET: '', LOG_LEVEL: 'debug' });
    try {
      const file = join(server.dataDir, 'jwt-secret');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const secret = readFileSync(file, 'utf8').trim();
      expect(secret.length).toBeGreaterThanOrEqual(32);
      expect(server.output()).toContain('npm run cli -- token');
      expect(server.output()).not.toContain(secret);
    } finally {
      await server.dispose();
    }
  });
});

describe('browser-facing headers', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer({ CORS_ORIGINS: 'https://app.example.com' });
  });
  afterAll(async () => {
    await server.dispose();
  });

  it.each([
    ['/health', 200],
    ['/plans/no-such-plan', 401],
  ])(
    'given GET %s, then the response carries the security headers and no X-Powered-By',
    async (path, status) => {
      const response = await fetch(`${server.baseUrl}${path}`);
      expect(response.status).toBe(status);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('x-powered-by')).toBeNull();
    },
  );

  it('given CORS_ORIGINS, then a preflight from that origin is allowed and one from elsewhere gets no CORS headers', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.baseUrl}/plans`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
    const allowed = await preflight('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('given no CORS_ORIGINS (the default), then no origin gets CORS headers', async () => {
    const plain = await startServer();
    try {
      const response = await fetch(`${plain.baseUrl}/health`, {
        headers: { origin: 'https://app.example.com' },
      });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await plain.dispose();
    }
  });
});
