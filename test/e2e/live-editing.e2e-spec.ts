import { PlanDoc } from '@lib/plan-domain';
import WebSocket from 'ws';
import { apiClient, ClientPool, eventually, tokenFor } from '../support/clients';
import { startServer, type ServerProcess } from '../support/server-process';

describe('live co-editing on a running server', () => {
  let server: ServerProcess;
  const pool = new ClientPool();
  const alice = tokenFor('alice', { name: 'Alice' });
  const bob = tokenFor('bob');
  const carol = tokenFor('carol');
  let planId: string;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.dispose();
  });
  beforeEach(async () => {
    const created = await apiClient(server.baseUrl, alice).post<{ id: string }>('/plans', {
      title: 'CRM rollout',
      start: '2027-03-01',
    });
    expect(created.status).toBe(201);
    planId = created.body.id;
    await apiClient(server.baseUrl, alice).post(`/plans/${planId}/members`, {
      userId: 'bob',
      role: 'editor',
    });
  });
  afterEach(() => pool.destroyAll());

  it('given three clients, when they edit concurrently, then all converge on the stored plan and see each other', async () => {
    const clients = [alice, bob, alice].map((token) =>
      pool.connect(server.wsUrl, planId, { token }),
    );
    await eventually(() => expect(clients.every((c) => c.provider.synced)).toBe(true));

    clients.forEach((c, i) => {
      const plan = new PlanDoc(c.doc);
      for (let k = 0; k < 4; k++)
        plan.addTask({ id: `t${i}-${k}`, title: `Task ${k} of client ${i}`, durationDays: k + 1 });
    });
    clients[0].provider.awareness.setLocalStateField('user', { name: 'Alice', editing: 't0-0' });

    await eventually(() => {
      for (const c of clients) expect(new PlanDoc(c.doc).toJSON().tasks).toHaveLength(12);
    });
    const [first, ...others] = clients.map((c) => new PlanDoc(c.doc).toJSON());
    for (const other of others) expect(other).toEqual(first);
    await eventually(async () => {
      const stored = await apiClient(server.baseUrl, alice).get<{ tasks: unknown[] }>(
        `/plans/${planId}`,
      );
      expect(stored.body.tasks).toEqual(first.tasks);
    });
    await eventually(() =>
      expect(clients[1].provider.awareness.getStates().get(clients[0].doc.clientID)).toEqual({
        user: { name: 'Alice', editing: 't0-0' },
      }),
    );
  });

  it('given a connected client, when a task is added over REST, then it appears live; and a websocket edit appears in GET', async () => {
    const client = pool.connect(server.wsUrl, planId, { token: bob });
    await eventually(() => expect(client.provider.synced).toBe(true));

    const created = await apiClient(server.baseUrl, alice).post<{ id: string; version: number }>(
      `/plans/${planId}/tasks`,
      {
        title: 'Vendor shortlist',
        durationDays: 10,
      },
    );
    expect(created.status).toBe(201);
    await eventually(() =>
      expect(new PlanDoc(client.doc).get('tasks', created.body.id)?.title).toBe('Vendor shortlist'),
    );

    new PlanDoc(client.doc).updateTask(created.body.id, { percentComplete: 40 });
    await eventually(async () => {
      const plan = await apiClient(server.baseUrl, alice).get<{
        tasks: Array<{ id: string; percentComplete: number }>;
      }>(`/plans/${planId}`);
      expect(plan.body.tasks.find((t) => t.id === created.body.id)?.percentComplete).toBe(40);
    });
  });

  it('given twenty REST edits sent at once while a client is connected, when they are answered, then each is stored as its own event with its author and version, and the client and the stored plan hold all of them', async () => {
    const client = pool.connect(server.wsUrl, planId, { token: bob });
    await eventually(() => expect(client.provider.synced).toBe(true));
    const authors = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 'alice' : 'bob'));
    const answers = await Promise.all(
      authors.map((author, i) =>
        apiClient(server.baseUrl, author === 'alice' ? alice : bob).post<{
          id: string;
          version: number;
        }>(`/plans/${planId}/tasks`, { id: `burst-${i}`, title: `Burst ${i}`, durationDays: 1 }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(authors.map(() => 201));
    const versions = answers.map((a) => a.body.version);
    expect(new Set(versions).size).toBe(20);

    const { events } = (
      await apiClient(server.baseUrl, alice).get<{
        events: Array<{ version: number; metadata: { actor?: string } }>;
      }>(`/plans/${planId}/events?binary=none&limit=1000`)
    ).body;
    const actorAt = new Map(events.map((e) => [e.version, e.metadata.actor]));
    expect(versions.map((v) => actorAt.get(v))).toEqual(authors);

    const ids = authors.map((_, i) => `burst-${i}`);
    await eventually(() =>
      expect(
        new PlanDoc(client.doc)
          .toJSON()
          .tasks.map((t) => t.id)
          .sort(),
      ).toEqual([...ids].sort()),
    );
    const stored = await apiClient(server.baseUrl, alice).get<{ tasks: Array<{ id: string }> }>(
      `/plans/${planId}`,
    );
    expect(stored.body.tasks).toEqual(new PlanDoc(client.doc).toJSON().tasks);
  });

  it('given a viewer, when it edits, then the update is refused with permission-denied and nothing is stored', async () => {
    await apiClient(server.baseUrl, alice).post(`/plans/${planId}/members`, {
      userId: 'carol',
      role: 'viewer',
    });
    const viewer = pool.connect(server.wsUrl, planId, { token: carol });
    await eventually(() => expect(viewer.provider.synced).toBe(true));
    const before = await apiClient(server.baseUrl, alice).get<{ events: unknown[] }>(
      `/plans/${planId}/events?binary=none`,
    );

    viewer.doc.getMap('meta').set('title', 'Hijacked');
    await eventually(() => expect(viewer.permissionDenied[0]).toMatch(/read-only/));

    const after = await apiClient(server.baseUrl, alice).get<{ events: unknown[] }>(
      `/plans/${planId}/events?binary=none`,
    );
    expect(after.body.events).toHaveLength(before.body.events.length);
    expect(
      (await apiClient(server.baseUrl, alice).get<{ meta: { title: string } }>(`/plans/${planId}`))
        .body.meta.title,
    ).toBe('CRM rollout');
    const rest = await apiClient(server.baseUrl, carol).post(`/plans/${planId}/tasks`, {
      title: 'x',
      durationDays: 1,
    });
    expect(rest.status).toBe(403);
  });

  it('given an editor connected, when the owner revokes them, then their open connection is closed at once', async () => {
    const client = pool.connect(server.wsUrl, planId, { token: bob });
    await eventually(() => expect(client.provider.synced).toBe(true));
    await apiClient(server.baseUrl, alice).delete(`/plans/${planId}/members/bob`);
    await eventually(() =>
      expect(client.closes[0]).toMatchObject({
        code: 4403,
        reason: expect.stringMatching(/revoked/),
      }),
    );
  });

  it.each([
    ['no token', 4401, () => ({})],
    [
      'a token signed with another secret',
      4401,
      () => ({ token: tokenFor('alice', { secret: 'x'.repeat(40) }) }),
    ],
    ['a user without a role', 4403, () => ({ token: carol })],
  ])('given %s, when connecting, then the socket is closed with %i', async (_, code, params) => {
    const client = pool.connect(server.wsUrl, planId, params() as Record<string, string>);
    await eventually(() => expect(client.closes[0]?.code).toBe(code));
    expect(client.provider.synced).toBe(false);
  });

  it('given an unknown plan, when connecting, then the socket is closed with 4404', async () => {
    const client = pool.connect(server.wsUrl, 'no-such-plan', { token: alice });
    await eventually(() => expect(client.closes[0]?.code).toBe(4404));
  });

  it.each([
    ['an unknown message type', Buffer.from([7, 1, 2])],
    ['a truncated varint', Buffer.from([0, 2, 0xff])],
    ['a garbage Yjs update', Buffer.from([0, 2, 5, 1, 2, 3, 4, 5])],
    ['a huge length prefix', Buffer.from([0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 1])],
  ])(
    'given %s, when sent, then that socket closes with 4400 and others and the stored plan are unaffected',
    async (_, frame) => {
      const bystander = pool.connect(server.wsUrl, planId, { token: bob });
      await eventually(() => expect(bystander.provider.synced).toBe(true));
      const before = await apiClient(server.baseUrl, alice).get(
        `/plans/${planId}/events?binary=none`,
      );

      const raw = new WebSocket(`${server.wsUrl}/${planId}?token=${alice}`);
      const closed = new Promise<{ code: number; reason: string }>((resolve) =>
        raw.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
      );
      await new Promise((resolve) => raw.on('open', resolve));
      raw.send(frame);
      const { code, reason } = await closed;
      expect(code).toBe(4400);
      expect(reason).toMatch(/malformed|unknown/);

      new PlanDoc(bystander.doc).addTask({ title: 'still editing', durationDays: 1 });
      await eventually(async () => {
        const plan = await apiClient(server.baseUrl, alice).get<{
          tasks: Array<{ title: string }>;
        }>(`/plans/${planId}`);
        expect(plan.body.tasks.map((t) => t.title)).toContain('still editing');
      });
      const after = await apiClient(server.baseUrl, alice).get<{ events: unknown[] }>(
        `/plans/${planId}/events?binary=none`,
      );
      expect(
        after.body.events.slice(0, (before.body as { events: unknown[] }).events.length),
      ).toEqual((before.body as { events: unknown[] }).events);
    },
  );

  it('given a message over the size limit, when sent, then the socket closes with 1009', async () => {
    const raw = new WebSocket(`${server.wsUrl}/${planId}?token=${alice}`);
    const closed = new Promise<number>((resolve) => raw.on('close', (code) => resolve(code)));
    await new Promise((resolve) => raw.on('open', resolve));
    raw.send(Buffer.alloc(1024 * 1024 + 10));
    expect(await closed).toBe(1009);
  });

  it('given invalid REST input, when posted, then 400 names the field and nothing is stored', async () => {
    const api = apiClient(server.baseUrl, alice);
    const before = await api.get<{ events: unknown[] }>(`/plans/${planId}/events?binary=none`);
    const bad = await api.post<{ message: string }>(`/plans/${planId}/risks`, {
      title: 'r',
      probability: 9,
      impact: 2,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/probability/);
    const unknownField = await api.post<{ message: string }>(`/plans/${planId}/tasks`, {
      title: 't',
      durationDays: 1,
      colour: 'red',
    });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.message).toMatch(/colour/);
    const cycle = await api.post(`/plans/${planId}/tasks`, {
      id: 'a',
      title: 'A',
      durationDays: 1,
      dependsOn: [{ taskId: 'a', type: 'FS', lagDays: 0 }],
    });
    expect(cycle.status).toBe(400);
    expect((await api.get(`/plans/no-such-plan`)).status).toBe(404);
    const after = await api.get<{ events: unknown[] }>(`/plans/${planId}/events?binary=none`);
    expect(after.body.events).toHaveLength(before.body.events.length);
  });
});
