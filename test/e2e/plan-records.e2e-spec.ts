/**
 * Writes decided on current state, on a running server: the last owner of a plan stays even
 * when two owners remove each other at once; an archived plan is read-only everywhere until it
 * is restored; and a dependency cycle two offline clients close between them is reported (REST,
 * feed, timeline) without anything crashing or being repaired.
 */
import type { FeedNotice } from '@lib/feed';
import { connectFeed, type FeedClient } from '@lib/feed/client';
import { PlanDoc } from '@lib/plan-domain';
import { apiClient, ClientPool, eventually, tokenFor } from '../support/clients';
import { startServer, type ServerProcess } from '../support/server-process';

describe('plan records and merge problems', () => {
  let server: ServerProcess;
  const pool = new ClientPool();
  const feeds: FeedClient[] = [];
  const alice = tokenFor('alice');
  const bob = tokenFor('bob');

  beforeAll(async () => {
    server = await startServer();
  });
  afterEach(() => pool.destroyAll());
  afterAll(async () => {
    for (const feed of feeds) feed.close();
    await server.dispose();
  });

  async function newPlan(title: string): Promise<string> {
    const created = await apiClient(server.baseUrl, alice).post<{ id: string }>('/plans', {
      title,
      start: '2027-03-01',
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  it('given two owners, when each removes the other at the same time, then exactly one succeeds and the other is told LAST_OWNER', async () => {
    const planId = await newPlan('Owners');
    const owner = await apiClient(server.baseUrl, alice).post(`/plans/${planId}/members`, {
      userId: 'bob',
      role: 'owner',
    });
    expect(owner.status).toBe(201);

    const [byAlice, byBob] = await Promise.all([
      apiClient(server.baseUrl, alice).delete(`/plans/${planId}/members/bob`),
      apiClient(server.baseUrl, bob).delete(`/plans/${planId}/members/alice`),
    ]);

    const statuses = [byAlice.status, byBob.status].sort();
    // the loser is either refused by the decider (409) or, once the winner's revocation is
    // visible, no longer allowed to manage the plan at all (403)
    expect(statuses[0]).toBe(200);
    expect([403, 409]).toContain(statuses[1]);
    const loser = byAlice.status === 200 ? byBob : byAlice;
    if (loser.status === 409) expect(loser.body).toMatchObject({ code: 'LAST_OWNER' });
    const winner = byAlice.status === 200 ? alice : bob;
    const members = await apiClient(server.baseUrl, winner).get<
      Array<{ userId: string; role: string }>
    >(`/plans/${planId}/members`);
    expect(members.body.filter((m) => m.role === 'owner')).toHaveLength(1);

    const last = await apiClient(server.baseUrl, winner).post(`/plans/${planId}/members`, {
      userId: winner === alice ? 'alice' : 'bob',
      role: 'editor',
    });
    expect(last.status).toBe(409);
    expect(last.body).toMatchObject({ code: 'LAST_OWNER' });
  });

  it('given an archived plan, when anyone writes over REST, comments or the websocket, then it is refused until the owner restores it', async () => {
    const planId = await newPlan('Archive me');
    const api = apiClient(server.baseUrl, alice);
    const task = await api.post<{ id: string }>(`/plans/${planId}/tasks`, {
      title: 'Build',
      durationDays: 2,
    });
    const client = pool.connect(server.wsUrl, planId, { token: alice });
    await eventually(() => expect(client.provider.synced).toBe(true));

    const archived = await api.post(`/plans/${planId}/archive`, { reason: 'done' });
    expect(archived.status).toBe(200);

    expect(
      (await api.patch(`/plans/${planId}/tasks/${task.body.id}`, { percentComplete: 50 })).body,
    ).toMatchObject({ statusCode: 409, code: 'PLAN_ARCHIVED' });
    expect(
      (await api.post(`/plans/${planId}/comments`, { target: { type: 'plan' }, text: 'hi' }))
        .status,
    ).toBe(409);
    new PlanDoc(client.doc).updateTask(task.body.id, { percentComplete: 60 });
    await eventually(() => expect(client.permissionDenied.length).toBeGreaterThan(0));
    expect(
      (await api.get<{ tasks: Array<{ percentComplete: number }> }>(`/plans/${planId}`)).body
        .tasks[0].percentComplete,
    ).toBe(0);

    const active = await api.get<Array<{ planId: string }>>('/plans');
    const archivedList =
      await api.get<Array<{ planId: string; archived: boolean }>>('/plans?archived=true');
    expect(active.body.map((p) => p.planId)).not.toContain(planId);
    expect(archivedList.body).toEqual([expect.objectContaining({ planId, archived: true })]);

    expect((await api.post(`/plans/${planId}/restore`)).status).toBe(200);
    expect(
      (await api.patch(`/plans/${planId}/tasks/${task.body.id}`, { percentComplete: 70 })).status,
    ).toBe(200);
    expect(
      (await api.get<Array<{ planId: string }>>('/plans')).body.map((p) => p.planId),
    ).toContain(planId);
  });

  it('given two offline clients, when each adds a dependency that together close a cycle, then the problem is listed and noticed, and the timeline answers for the rest', async () => {
    const planId = await newPlan('Cycle');
    const api = apiClient(server.baseUrl, alice);
    for (const task of [
      { id: 'a', title: 'Design', durationDays: 3 },
      { id: 'b', title: 'Build', durationDays: 5 },
      { id: 'c', title: 'Train', durationDays: 2 },
    ])
      expect((await api.post(`/plans/${planId}/tasks`, task)).status).toBe(201);
    const notices: FeedNotice[] = [];
    feeds.push(
      connectFeed(server.baseUrl, {
        token: alice,
        plans: [planId],
        onChange: () => undefined,
        onNotice: (n) => notices.push(n),
      }),
    );
    const [left, right] = [0, 1].map(() => pool.connect(server.wsUrl, planId, { token: alice }));
    await eventually(() => {
      for (const client of [left, right])
        expect(new PlanDoc(client.doc).get('tasks', 'c')).toBeDefined();
    });

    left.provider.disconnect();
    right.provider.disconnect();
    // each is valid on its own replica; PlanDoc would refuse either after the other
    new PlanDoc(left.doc).addDependency('b', { taskId: 'a', type: 'FS', lagDays: 0 });
    new PlanDoc(right.doc).addDependency('a', { taskId: 'b', type: 'FS', lagDays: 0 });
    left.provider.connect();
    right.provider.connect();

    let version = 0;
    await eventually(async () => {
      const problems = await api.get<{
        version: number;
        problems: Array<{ code: string; ids?: string[] }>;
      }>(`/plans/${planId}/problems`);
      expect(problems.body.problems).toEqual([
        expect.objectContaining({ code: 'DEPENDENCY_CYCLE', ids: ['a', 'b'] }),
      ]);
      version = problems.body.version;
    });
    await eventually(() =>
      expect(notices).toContainEqual(
        expect.objectContaining({
          kind: 'plan.problem',
          planId,
          added: [expect.objectContaining({ code: 'DEPENDENCY_CYCLE', ids: ['a', 'b'] })],
        }),
      ),
    );
    const timeline = await api.get<{
      activities: Array<{ id: string }>;
      issues: { cycles: string[][] };
    }>(`/plans/${planId}/timeline?minVersion=${version}`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.issues.cycles).toEqual([['a', 'b']]);
    expect(timeline.body.activities.map((a) => a.id)).toEqual(['c']);
    // both links are still there: reported, not repaired
    const plan = await api.get<{ tasks: Array<{ id: string; dependsOn: unknown[] }> }>(
      `/plans/${planId}`,
    );
    expect(plan.body.tasks.filter((t) => t.dependsOn.length > 0).map((t) => t.id)).toEqual([
      'a',
      'b',
    ]);
  });
});
