/**
 * Request logging: one JSON line per HTTP request, with the credential redacted, and no
 * AsyncLocalStorage entered to get there (on Node 20 that turns on promise hooks for every
 * promise the process makes from then on, the live path's included).
 */
import { join } from 'node:path';
import { apiClient, ClientPool, eventually, tokenFor } from '../support/clients';
import { startServer, type ServerProcess } from '../support/server-process';

const PROBE = join(__dirname, '..', 'support', 'async-context-probe.cjs');

interface RequestLine {
  req: { method: string; url: string; headers: Record<string, string> };
  res: { statusCode: number };
}

function requestLines(output: string): RequestLine[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes('"req":'))
    .map((line) => JSON.parse(line) as RequestLine);
}

describe('request log', () => {
  let server: ServerProcess;
  const pool = new ClientPool();
  beforeAll(async () => {
    server = await startServer({ LOG_LEVEL: 'info', NODE_OPTIONS: `--require ${PROBE}` });
  });
  afterAll(async () => {
    pool.destroyAll();
    await server.dispose();
  });

  it('given requests over HTTP and a live websocket edit, then each request but /health and /metrics is logged once, with its status, and no AsyncLocalStorage was entered', async () => {
    const token = tokenFor('alice');
    const api = apiClient(server.baseUrl, token);
    const planId = (await api.post<{ id: string }>('/plans', { title: 'Logged' })).body.id;
    const task = await api.post(`/plans/${planId}/tasks`, { title: 'Kick-off', durationDays: 2 });
    expect(task.status).toBe(201);
    expect((await api.get(`/plans/${planId}/timeline`)).status).toBe(200);
    expect((await api.get(`/plans/unknown-plan`)).status).toBe(404);
    await fetch(`${server.baseUrl}/health`);
    await fetch(`${server.baseUrl}/metrics`);
    const eventCount = async (): Promise<number> =>
      (await api.get<{ events: unknown[] }>(`/plans/${planId}/events`)).body.events.length;
    const before = await eventCount();
    const client = pool.connect(server.wsUrl, planId, { token });
    await eventually(() => expect(client.provider.synced).toBe(true));
    client.doc.getMap('notes').set('seen', true);
    await eventually(async () => expect(await eventCount()).toBe(before + 1));

    const output = server.output();
    expect(output).toContain('async-context-probe: loaded');
    expect(output).not.toContain('AsyncLocalStorage.');
    await eventually(() => {
      const lines = requestLines(server.output());
      expect(lines.map((l) => `${l.req.method} ${l.req.url} ${l.res.statusCode}`)).toEqual(
        expect.arrayContaining([
          'POST /plans 201',
          `POST /plans/${planId}/tasks 201`,
          `GET /plans/${planId}/timeline 200`,
          'GET /plans/unknown-plan 404',
        ]),
      );
    });
    const lines = requestLines(server.output());
    expect(lines.filter((l) => l.req.url === `/plans/${planId}/tasks`)).toHaveLength(1);
    expect(lines.some((l) => l.req.url === '/health' || l.req.url === '/metrics')).toBe(false);
    expect(lines.every((l) => l.req.headers.authorization === '[Redacted]')).toBe(true);
  });
});
