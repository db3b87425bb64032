/**
 * Webhooks end to end: a real server delivering to a real receiver on loopback, through
 * failures, a server crash in the middle of a retry, and a receiver that never recovers.
 */
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiClient, eventually, tokenFor } from '../support/clients';
import { startServer, type ServerProcess } from '../support/server-process';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

const SECRET = 'whsec-test-0123456789abcdef';
const alice = tokenFor('alice');

interface WebhookView {
  id: string;
  ackedPosition: number;
  delivered: number;
  pending: { position: number; attempts: number; lastError: string } | null;
  deadLetters: Array<{ position: number; attempts: number; reason: string }>;
}

describe('webhooks', () => {
  let receiver: WebhookReceiver;
  let server: ServerProcess;
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    // /flaky fails its first 3 requests; /broken never recovers
    receiver = await startWebhookReceiver(SECRET, (path, nth) =>
      path === '/broken' ? 500 : path === '/flaky' && nth < 3 ? 503 : 200,
    );
    dataDir = mkdtempSync(join(tmpdir(), 'plan-webhooks-'));
    env = {
      DATA_DIR: dataDir,
      WEBHOOK_ALLOWED_HOSTS: receiver.host,
      WEBHOOK_MAX_ATTEMPTS: '5',
      WEBHOOK_RETRY_BASE_MS: '400',
      WEBHOOK_RETRY_MAX_MS: '1000',
    };
    server = await startServer(env);
  });
  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function planWithTask(api: ReturnType<typeof apiClient>) {
    const planId = (await api.post<{ id: string }>('/plans', { title: 'Hooked plan' })).body.id;
    const taskId = (
      await api.post<{ id: string }>(`/plans/${planId}/tasks`, { title: 'Build', durationDays: 5 })
    ).body.id;
    return { planId, taskId };
  }

  it('given a receiver failing its first 3 deliveries and a server crash mid-retry, then every change arrives exactly once after dedup by position, in order, signed', async () => {
    let api = apiClient(server.baseUrl, alice);
    const { planId, taskId } = await planWithTask(api);
    const created = await api.post<{ id: string; ackedPosition: number }>('/webhooks', {
      url: receiver.url('/flaky'),
      plans: [planId],
      secret: SECRET,
    });
    expect(created.status).toBe(201);
    const webhookId = created.body.id;
    for (let percent = 10; percent <= 30; percent += 10)
      await api.patch(`/plans/${planId}/tasks/${taskId}`, { percentComplete: percent });

    const flaky = () => receiver.deliveries.filter((d) => d.path === '/flaky');
    // two failed attempts, and the server has recorded the retry it is waiting for
    await eventually(async () => {
      expect(flaky().length).toBeGreaterThanOrEqual(2);
      const view = await api.get<WebhookView>(`/webhooks/${webhookId}`);
      expect(view.body.pending?.attempts).toBeGreaterThanOrEqual(2);
    }, 15_000);
    await server.kill();
    server = await startServer(env, server.port);
    api = apiClient(server.baseUrl, alice);
    for (let percent = 40; percent <= 50; percent += 10)
      await api.patch(`/plans/${planId}/tasks/${taskId}`, { percentComplete: percent });

    // the change log may not have projected the last writes yet
    let expected: number[] = [];
    await eventually(async () => {
      const history = await api.get<{ entries: Array<{ position: number }> }>(
        `/plans/${planId}/history?direction=forwards&limit=1000`,
      );
      expected = [...new Set(history.body.entries.map((e) => e.position))].filter(
        (p) => p > created.body.ackedPosition,
      );
      expect(expected.length).toBeGreaterThanOrEqual(5);
    }, 15_000);
    await eventually(() => {
      const acknowledged = flaky()
        .filter((d) => d.status === 200)
        .map((d) => d.position);
      expect([...new Set(acknowledged)]).toEqual(expected);
    }, 30_000);

    const all = flaky();
    expect(all.filter((d) => d.status !== 200)).toHaveLength(3);
    expect(all.every((d) => d.signatureValid)).toBe(true);
    // first arrival of each position, in arrival order: ascending, nothing missing
    const firstArrivals = all.map((d) => d.position).filter((p, i, a) => a.indexOf(p) === i);
    expect(firstArrivals).toEqual(expected);
    const bodies = all.map(
      (d) => JSON.parse(d.body) as { position: number; change: { planId: string } },
    );
    expect(
      bodies.every((b, i) => b.position === all[i].position && b.change.planId === planId),
    ).toBe(true);
    const view = await api.get<WebhookView>(`/webhooks/${webhookId}`);
    expect(view.body).toMatchObject({
      ackedPosition: expected[expected.length - 1],
      pending: null,
      deadLetters: [],
    });
  }, 90_000);

  it('given a receiver that never recovers, when the attempts run out, then the change is dead-lettered with the reason and the next one is tried', async () => {
    const api = apiClient(server.baseUrl, alice);
    const { planId, taskId } = await planWithTask(api);
    const created = await api.post<{ id: string }>('/webhooks', {
      url: receiver.url('/broken'),
      plans: [planId],
      kinds: ['TaskProgressed'],
      secret: SECRET,
    });
    expect(created.status).toBe(201);
    await api.patch(`/plans/${planId}/tasks/${taskId}`, { percentComplete: 5 });
    await eventually(async () => {
      const view = await api.get<WebhookView>(`/webhooks/${created.body.id}`);
      expect(view.body.deadLetters).toEqual([
        expect.objectContaining({ attempts: 5, reason: 'receiver answered HTTP 500' }),
      ]);
      expect(view.body.pending).toBeNull();
    }, 30_000);
    const broken = receiver.deliveries.filter((d) => d.path === '/broken');
    expect(broken).toHaveLength(5);
    expect(new Set(broken.map((d) => d.position)).size).toBe(1);
  }, 60_000);

  it.each([
    [
      'a host not on WEBHOOK_ALLOWED_HOSTS',
      'http://example.com/hook',
      /not in WEBHOOK_ALLOWED_HOSTS/,
    ],
    [
      'a metadata address',
      'http://169.254.169.254/latest/meta-data',
      /not in WEBHOOK_ALLOWED_HOSTS|link-local/,
    ],
    ['a non-http scheme', 'file:///etc/passwd', /http or https/],
  ])('given %s, when a webhook is registered, then 400 names the url', async (_, url, message) => {
    const api = apiClient(server.baseUrl, alice);
    const planId = (await api.post<{ id: string }>('/plans', { title: 'p' })).body.id;
    const response = await api.post<{ message: string }>('/webhooks', {
      url,
      plans: [planId],
      secret: SECRET,
    });
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(message);
  });

  it('given an editor of a plan, when it registers a webhook for it, then 403; someone else cannot see the webhook', async () => {
    const api = apiClient(server.baseUrl, alice);
    const planId = (await api.post<{ id: string }>('/plans', { title: 'p' })).body.id;
    await api.post(`/plans/${planId}/members`, { userId: 'eddie', role: 'editor' });
    const eddie = apiClient(server.baseUrl, tokenFor('eddie'));
    expect(
      (await eddie.post('/webhooks', { url: receiver.url('/x'), plans: [planId], secret: SECRET }))
        .status,
    ).toBe(403);
    const mine = await api.post<{ id: string }>('/webhooks', {
      url: receiver.url('/x'),
      plans: [planId],
      secret: SECRET,
    });
    expect((await eddie.get(`/webhooks/${mine.body.id}`)).status).toBe(404);
    expect((await api.get(`/webhooks/${mine.body.id}`)).status).toBe(200);
    expect(JSON.stringify((await api.get(`/webhooks/${mine.body.id}`)).body)).not.toContain(SECRET);
  });
});
