/**
 * Dashboards on `/feed`: catch-up then live without gap or duplicate, exact resume after a
 * disconnect, and access checked like HTTP.
 */
import { io, type Socket } from 'socket.io-client';
import type { FeedChange, SubscribeAck } from '@lib/feed';
import { connectFeed } from '@lib/feed/client';
import { apiClient, eventually, tokenFor } from '../support/clients';
import { startServer, type ServerProcess } from '../support/server-process';

describe('change feed', () => {
  let server: ServerProcess;
  const alice = tokenFor('alice');
  const sockets: Array<{ close(): void }> = [];

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await server.dispose();
  });

  async function planWithTask(): Promise<{ planId: string; taskId: string }> {
    const api = apiClient(server.baseUrl, alice);
    const planId = (await api.post<{ id: string }>('/plans', { title: 'Feed plan' })).body.id;
    const taskId = (
      await api.post<{ id: string }>(`/plans/${planId}/tasks`, { title: 'Build', durationDays: 5 })
    ).body.id;
    return { planId, taskId };
  }

  const progress = (planId: string, taskId: string, percent: number) =>
    apiClient(server.baseUrl, alice).patch(`/plans/${planId}/tasks/${taskId}`, {
      percentComplete: percent,
    });

  it('given earlier changes, when a dashboard subscribes from 0 while edits continue, then it gets every change once, in order', async () => {
    const { planId, taskId } = await planWithTask();
    for (let i = 1; i <= 5; i++) await progress(planId, taskId, i);

    const received: FeedChange[] = [];
    const feed = connectFeed(server.baseUrl, {
      token: alice,
      plans: [planId],
      onChange: (c) => received.push(c),
    });
    sockets.push(feed);
    for (let i = 6; i <= 15; i++) await progress(planId, taskId, i);

    // PlanCreated, the initial content, the task, 15 progress edits
    await eventually(() =>
      expect(
        received.filter((c) => c.changes.some((x) => x.changeType === 'TaskProgressed')),
      ).toHaveLength(15),
    );
    const positions = received.map((c) => c.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).toBe(positions.length);
    const progressed = received.flatMap((c) =>
      c.changes.filter((x) => x.changeType === 'TaskProgressed'),
    );
    expect(progressed.map((x) => (x.payload as { to: number }).to)).toEqual(
      Array.from({ length: 15 }, (_, i) => i + 1),
    );
    expect(received.find((c) => c.eventType === 'PlanCreated')?.actor).toBe('alice');
  });

  it('given a plan read over HTTP, when a dashboard subscribes from its position, then it gets exactly the changes after that read', async () => {
    const { planId, taskId } = await planWithTask();
    await progress(planId, taskId, 10);
    const read = await apiClient(server.baseUrl, alice).get<{
      version: number;
      position: number;
      tasks: Array<{ percentComplete: number }>;
    }>(`/plans/${planId}`);
    expect(read.body.tasks[0].percentComplete).toBe(10);
    expect(read.body.position).toBeGreaterThan(0);
    // made after the read, before the subscription: catch-up must deliver it
    await progress(planId, taskId, 20);

    const received: FeedChange[] = [];
    const feed = connectFeed(server.baseUrl, {
      token: alice,
      plans: [planId],
      from: read.body.position,
      onChange: (c) => received.push(c),
    });
    sockets.push(feed);
    await progress(planId, taskId, 30);

    await eventually(() => expect(received).toHaveLength(2));
    expect(received.map((c) => c.version)).toEqual([read.body.version + 1, read.body.version + 2]);
    expect(received.map((c) => (c.changes[0].payload as { to: number }).to)).toEqual([20, 30]);
  });

  it('given a dashboard disconnected during 100 changes, when it reconnects with its last position, then it gets exactly those 100, then live ones', async () => {
    const { planId, taskId } = await planWithTask();
    const first: FeedChange[] = [];
    const feed = connectFeed(server.baseUrl, {
      token: alice,
      plans: [planId],
      onChange: (c) => first.push(c),
    });
    await eventually(() => expect(first.length).toBeGreaterThanOrEqual(3));
    const last = feed.position;
    feed.close();

    for (let i = 1; i <= 100; i++) await progress(planId, taskId, i % 100);

    const resumed: FeedChange[] = [];
    const again = connectFeed(server.baseUrl, {
      token: alice,
      plans: [planId],
      from: last,
      onChange: (c) => resumed.push(c),
    });
    sockets.push(again);
    await eventually(() => expect(resumed).toHaveLength(100));
    expect(resumed[0].position).toBeGreaterThan(last);
    expect(resumed.map((c) => (c.changes[0].payload as { to: number }).to)).toEqual(
      Array.from({ length: 100 }, (_, i) => (i + 1) % 100),
    );
    await progress(planId, taskId, 42);
    await eventually(() => expect(resumed).toHaveLength(101));
  });

  it('given a wildcard subscription, when plans it cannot read change, then it only sees its own plans; and notices arrive', async () => {
    const mine = await planWithTask();
    const bob = tokenFor('bob');
    const bobsPlan = (
      await apiClient(server.baseUrl, bob).post<{ id: string }>('/plans', { title: "Bob's" })
    ).body.id;
    const received: FeedChange[] = [];
    const notices: string[] = [];
    const feed = connectFeed(server.baseUrl, {
      token: alice,
      plans: '*',
      from: (await fetchHead()) ?? 0,
      onChange: (c) => received.push(c),
      onNotice: (n) => notices.push(`${n.kind}:${n.planId}`),
    });
    sockets.push(feed);
    await eventually(() => expect(feed.socket.connected).toBe(true));
    await new Promise((r) => setTimeout(r, 200));
    await apiClient(server.baseUrl, bob).post(`/plans/${bobsPlan}/tasks`, {
      title: 'secret',
      durationDays: 1,
    });
    await progress(mine.planId, mine.taskId, 77);
    await eventually(() => expect(received.some((c) => c.planId === mine.planId)).toBe(true));
    await eventually(() => expect(notices).toContain(`timeline.changed:${mine.planId}`));
    expect(received.every((c) => c.planId !== bobsPlan)).toBe(true);
    expect(notices.every((n) => !n.endsWith(bobsPlan))).toBe(true);
  });

  it('given no token or a plan without a role, when subscribing, then the connection or the subscription is refused', async () => {
    const anonymous: Socket = io(`${server.baseUrl}/feed`, { reconnection: false });
    sockets.push(anonymous);
    const error = await new Promise<Error>((resolve) => anonymous.on('connect_error', resolve));
    expect(error.message).toMatch(/unauthenticated/);

    const { planId } = await planWithTask();
    const carol: Socket = io(`${server.baseUrl}/feed`, {
      auth: { token: tokenFor('carol') },
      reconnection: false,
    });
    sockets.push(carol);
    const ack = (await carol.emitWithAck('subscribe', { plans: [planId] })) as SubscribeAck;
    expect(ack).toMatchObject({ ok: false, code: 'FORBIDDEN', planId });
    const bad = (await carol.emitWithAck('subscribe', { plans: 'all', from: -1 })) as SubscribeAck;
    expect(bad).toMatchObject({ ok: false, code: 'INVALID_SUBSCRIBE_REQUEST' });
  });

  async function fetchHead(): Promise<number | undefined> {
    const health = (await (await fetch(`${server.baseUrl}/health`)).json()) as {
      info: { eventStore: { headPosition: number } };
    };
    return health.info.eventStore.headPosition;
  }
});

describe('change feed on a server with AUTH=off', () => {
  let server: ServerProcess;
  const feeds: Array<{ close(): void }> = [];

  beforeAll(async () => {
    server = await startServer({ AUTH: 'off' });
  });
  afterAll(async () => {
    for (const f of feeds) f.close();
    await server.dispose();
  });

  const as = (user: string) => (method: string, path: string, body?: unknown) =>
    fetch(`${server.baseUrl}${path}`, {
      method,
      headers: { 'x-user': user, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('given users named in the handshake, when one mentions the other, then changes flow to both and the mention only to its user', async () => {
    const dana = as('dana');
    const planId = (
      (await (await dana('POST', '/plans', { title: 'Open' })).json()) as { id: string }
    ).id;
    const follow = (user: string) => {
      const changes: FeedChange[] = [];
      const mentions: string[] = [];
      const feed = connectFeed(server.baseUrl, {
        user,
        plans: [planId],
        onChange: (c) => changes.push(c),
        onNotice: (n) => {
          if (n.kind === 'mention') mentions.push(`${n.author}→${n.userId}`);
        },
      });
      feeds.push(feed);
      return { changes, mentions };
    };
    const danas = follow('dana');
    const eves = follow('eve');
    await eventually(() => expect(danas.changes.length).toBeGreaterThan(0));
    await eventually(() => expect(eves.changes.length).toBeGreaterThan(0));
    expect(danas.changes.find((c) => c.eventType === 'PlanCreated')?.actor).toBe('dana');

    const posted = await as('eve')('POST', `/plans/${planId}/comments`, {
      target: { type: 'plan' },
      text: '@dana the kick-off date?',
    });
    expect(posted.status).toBe(201);
    for (const user of [danas, eves])
      await eventually(() =>
        expect(user.changes.map((c) => c.eventType)).toContain('CommentPosted'),
      );
    await eventually(() => expect(danas.mentions).toEqual(['eve→dana']));
    expect(eves.mentions).toEqual([]);
  });
});
