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

describe('projector documents going idle', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer({ PROJECTION_DOC_IDLE_MS: '1000' });
  });
  afterAll(() => server.dispose());

  const documents = async (tier: 'hot' | 'parked'): Promise<number> => {
    const text = await (await fetch(`${server.baseUrl}/metrics`)).text();
    const line = text
      .split('\n')
      .find((l) => l.startsWith(`plan_projection_documents{tier="${tier}"} `));
    return line ? Number(line.split(' ')[1]) : NaN;
  };

  it('given a plan no one edits, when PROJECTION_DOC_IDLE_MS passes, then projectors park it, and its next edit is projected as if it had stayed loaded', async () => {
    const api = apiClient(server.baseUrl, tokenFor('alice'));
    const planId = (await api.post<{ id: string }>('/plans', { title: 'Idle' })).body.id;
    const first = await api.post<{ id: string }>(`/plans/${planId}/tasks`, {
      title: 'Design',
      durationDays: 5,
    });
    // nine read models, one document: every projector follows the shared copy
    await eventually(async () => expect(await documents('hot')).toBe(1));
    const own = (await (await fetch(`${server.baseUrl}/metrics`)).text())
      .split('\n')
      .filter((l) => l.startsWith('plan_projection_own_documents{'));
    expect(own.length).toBeGreaterThanOrEqual(9);
    expect(own.every((l) => l.endsWith(' 0'))).toBe(true);
    await eventually(async () => {
      expect(await documents('parked')).toBe(1);
      expect(await documents('hot')).toBe(0);
    }, 5000);

    const second = await api.post<{ id: string; version: number }>(`/plans/${planId}/tasks`, {
      title: 'Build',
      durationDays: 3,
      dependsOn: [{ taskId: first.body.id, type: 'FS', lagDays: 0 }],
    });
    const timeline = await api.get<{ criticalPath: string[]; projectFinish: string }>(
      `/plans/${planId}/timeline?minVersion=${second.body.version}`,
    );
    expect(timeline.status).toBe(200);
    expect(timeline.body.criticalPath).toEqual([first.body.id, second.body.id]);
    // one copy of the plan, whichever tier it is in by now: the idle window is only 1 s, so on a
    // busy machine it may already be parked again; that it was brought back is the timeline above
    expect((await documents('hot')) + (await documents('parked'))).toBe(1);
  });
});
