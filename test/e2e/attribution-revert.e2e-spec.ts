/**
 * Attribution and rollback on a real server: bob edits over REST and over the websocket while
 * alice keeps editing; attribution names who changed which fields; reverting bob's last hour
 * undoes his changes in one event, keeps alice's (including her later edit of a field bob had
 * changed, reported as a conflict) and the chain still verifies.
 */
import { PlanDoc } from '@lib/plan-domain';
import { apiClient, ClientPool, eventually, tokenFor } from '../support/clients';
import { startServer, type ServerProcess } from '../support/server-process';

interface Task {
  id: string;
  title: string;
  durationDays: number;
  percentComplete: number;
}

describe('attribution and revert', () => {
  let server: ServerProcess;
  const clients = new ClientPool();

  beforeAll(async () => {
    server = await startServer();
  }, 60_000);
  afterEach(() => clients.destroyAll());
  afterAll(async () => server?.dispose());

  it("given bob's changes of the last hour while alice kept editing, when alice reverts bob's, then bob's are undone, alice's kept and one event names the revert", async () => {
    const alice = apiClient(server.baseUrl, tokenFor('alice'));
    const bob = apiClient(server.baseUrl, tokenFor('bob'));
    const planId = (await alice.post<{ id: string }>('/plans', { title: 'Rollout' })).body.id;
    await alice.post(`/plans/${planId}/members`, { userId: 'bob', role: 'editor' });
    await alice.post(`/plans/${planId}/tasks`, { id: 'a', title: 'Design', durationDays: 5 });
    await alice.post(`/plans/${planId}/tasks`, { id: 'b', title: 'Build', durationDays: 10 });
    await alice.post(`/plans/${planId}/tasks`, { id: 'c', title: 'Test', durationDays: 3 });
    const lastHour = new Date(Date.now() - 3_600_000).toISOString();

    expect((await bob.patch(`/plans/${planId}/tasks/a`, { durationDays: 9 })).status).toBe(200);
    expect((await alice.patch(`/plans/${planId}/tasks/a`, { percentComplete: 40 })).status).toBe(
      200,
    );
    expect(
      (await bob.post(`/plans/${planId}/tasks`, { id: 'x', title: 'Bob extra', durationDays: 1 }))
        .status,
    ).toBe(201);
    expect((await bob.delete(`/plans/${planId}/tasks/c`)).status).toBe(200);
    expect((await bob.patch(`/plans/${planId}/tasks/b`, { title: 'Build (bob)' })).status).toBe(
      200,
    );
    // bob over the websocket: the actor comes from his token there too
    const live = clients.connect(server.wsUrl, planId, { token: tokenFor('bob'), ack: '1' });
    await eventually(() => expect(new PlanDoc(live.doc).get('tasks', 'b')).toBeDefined());
    new PlanDoc(live.doc).updateTask('b', { durationDays: 14 });
    await live.acks.whenSaved();
    await alice.patch(`/plans/${planId}/tasks/b`, { title: 'Build (alice)' });

    const attribution = await alice.get<{
      events: {
        actor: string;
        fields: { entity: { id: string }; field?: string; kind: string }[];
      }[];
      actors: { actor: string; fields: string[] }[];
    }>(`/plans/${planId}/attribution?from=${encodeURIComponent(lastHour)}`);
    expect(attribution.status).toBe(200);
    expect(attribution.body.actors.find((a) => a.actor === 'bob')?.fields).toEqual([
      'task:a.durationDays',
      'task:b.durationDays',
      'task:b.title',
      'task:c',
      'task:x',
    ]);
    expect(attribution.body.actors.find((a) => a.actor === 'alice')?.fields).toEqual(
      expect.arrayContaining(['task:a.percentComplete', 'task:b.title']),
    );

    const before = await alice.get<{ version: number }>(`/plans/${planId}`);
    const revert = await alice.post<{
      version: number;
      reverted: { version: number; actor: string }[];
      conflicts: {
        entity: { id: string };
        field: string;
        reason: string;
        laterActor: string;
        kept: unknown;
      }[];
    }>(`/plans/${planId}/revert`, { actor: 'bob', from: lastHour });
    expect(revert.status).toBe(201);
    expect(revert.body.version).toBe(before.body.version + 1);
    expect(revert.body.reverted).toHaveLength(5);
    expect(revert.body.reverted.every((r) => r.actor === 'bob')).toBe(true);
    expect(revert.body.conflicts).toEqual([
      expect.objectContaining({
        entity: { type: 'task', id: 'b' },
        field: 'title',
        reason: 'changed-later',
        laterActor: 'alice',
        kept: 'Build (alice)',
      }),
    ]);

    const plan = await alice.get<{ version: number; tasks: Task[] }>(`/plans/${planId}`);
    const task = (id: string) => plan.body.tasks.find((t) => t.id === id);
    expect(plan.body.version).toBe(revert.body.version);
    expect(task('a')).toMatchObject({ durationDays: 5, percentComplete: 40 });
    expect(task('b')).toMatchObject({ durationDays: 10, title: 'Build (alice)' });
    expect(task('c')).toMatchObject({ title: 'Test', durationDays: 3 });
    expect(task('x')).toBeUndefined();
    // the live client sees the revert too
    await eventually(() => expect(new PlanDoc(live.doc).get('tasks', 'x')).toBeUndefined());

    const events = await alice.get<{
      events: { type: string; metadata: Record<string, unknown> }[];
    }>(`/plans/${planId}/events?fromVersion=${before.body.version + 1}`);
    expect(events.body.events).toHaveLength(1);
    expect(events.body.events[0]).toMatchObject({
      type: 'PlanUpdated',
      metadata: {
        actor: 'alice',
        revert: {
          actor: 'bob',
          from: lastHour,
          versions: revert.body.reverted.map((r) => r.version),
        },
      },
    });
    expect((await alice.get(`/plans/${planId}/verify`)).body).toMatchObject({ ok: true });

    // nothing left of bob's to revert: no event
    const again = await alice.post<{ version: number | null }>(`/plans/${planId}/revert`, {
      actor: 'bob',
      from: revert.body.version,
    });
    expect(again.body.version).toBeNull();
  }, 90_000);

  it('given bad bounds or a viewer, when a revert is asked, then 400 names the field and 403 refuses', async () => {
    const alice = apiClient(server.baseUrl, tokenFor('alice'));
    const planId = (await alice.post<{ id: string }>('/plans', { title: 'Guarded' })).body.id;
    await alice.post(`/plans/${planId}/members`, { userId: 'vera', role: 'viewer' });
    const bad = await alice.post<{ message: unknown }>(`/plans/${planId}/revert`, {
      from: 'yesterday',
    });
    expect(bad.status).toBe(400);
    expect(String(bad.body.message)).toMatch(/from must be a stream version/);
    expect((await alice.post(`/plans/${planId}/revert`, {})).status).toBe(400);
    expect((await alice.get(`/plans/${planId}/attribution?to=soon`)).status).toBe(400);
    const vera = apiClient(server.baseUrl, tokenFor('vera'));
    expect((await vera.post(`/plans/${planId}/revert`, { from: 0 })).status).toBe(403);
    expect((await vera.get(`/plans/${planId}/attribution`)).status).toBe(403);
  }, 60_000);
});
