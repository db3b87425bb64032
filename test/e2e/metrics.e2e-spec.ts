import { PlanDoc } from '@lib/plan-domain';
import { apiClient, ClientPool, eventually, tokenFor } from '../support/clients';
import { startServer, type ServerProcess } from '../support/server-process';

describe('GET /metrics', () => {
  let server: ServerProcess;
  const pool = new ClientPool();
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    pool.destroyAll();
    await server.dispose();
  });

  const scrape = async (): Promise<string> => (await fetch(`${server.baseUrl}/metrics`)).text();
  const value = (text: string, series: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line ? Number(line.split(' ')[1]) : NaN;
  };

  it('given an editing client, when Prometheus scrapes without a token, then connections, loaded plans, updates and append latency show it', async () => {
    const alice = tokenFor('alice');
    const planId = (
      await apiClient(server.baseUrl, alice).post<{ id: string }>('/plans', { title: 'Metrics' })
    ).body.id;
    const client = pool.connect(server.wsUrl, planId, { token: alice, ack: '1' });
    await eventually(() => expect(client.provider.synced).toBe(true));
    new PlanDoc(client.doc).addTask({ title: 'counted', durationDays: 1 });
    await client.acks.whenSaved();
    await apiClient(server.baseUrl, alice).post(`/plans/${planId}/tasks`, {
      title: 'via REST',
      durationDays: 2,
    });

    const text = await scrape();
    expect(value(text, 'plan_collab_connections')).toBe(1);
    expect(value(text, 'plan_collab_loaded_plans')).toBe(1);
    expect(value(text, 'plan_updates_total{origin="connection"}')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'plan_updates_total{origin="rest"}')).toBe(1);
    expect(
      value(text, 'plan_event_store_append_seconds_count{store="sqlite"}'),
    ).toBeGreaterThanOrEqual(3);
    expect(text).toMatch(/^plan_process_cpu_seconds_total /m);
  });
});
