/**
 * Lists inside entries merge across real clients: two standard WebsocketProvider clients that
 * edit the same task's dependencies and assignees while disconnected both keep their edits, in
 * every view of the plan. And a plan stored in the old layout (plain lists) opens, is migrated
 * exactly once, and its history before the migration still reads.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newMembershipEvent } from '@lib/auth';
import { SQLITE_EVENTS_FILE, SqliteEventStore } from '@lib/event-store';
import { PLAN_UPDATED, PlanDoc, planStreamId } from '@lib/plan-domain';
import * as Y from 'yjs';
import { apiClient, ClientPool, eventually, tokenFor } from '../support/clients';
import { startServer, type ServerProcess } from '../support/server-process';

interface TaskJson {
  readonly id: string;
  readonly dependsOn: ReadonlyArray<{ taskId: string; type: string; lagDays: number }>;
  readonly assignees: readonly string[];
}
interface EventView {
  readonly type: string;
  readonly version: number;
  readonly metadata: Record<string, unknown>;
}

describe('merge-safe lists on a running server', () => {
  const pool = new ClientPool();
  const alice = tokenFor('alice');
  afterEach(() => pool.destroyAll());

  describe('two disconnected clients', () => {
    let server: ServerProcess;
    beforeAll(async () => {
      server = await startServer();
    });
    afterAll(async () => {
      await server.dispose();
    });

    it('given two clients offline, when each adds a different dependency and assignee to one task and they reconnect, then both links are on both clients, in GET, the timeline and the change log', async () => {
      const api = apiClient(server.baseUrl, alice);
      const created = await api.post<{ id: string }>('/plans', {
        title: 'Merge',
        start: '2027-03-01',
      });
      const planId = created.body.id;
      for (const task of [
        { id: 'a', title: 'Design', durationDays: 3 },
        { id: 'b', title: 'Build', durationDays: 5 },
        { id: 'c', title: 'Ship', durationDays: 1 },
      ]) {
        expect((await api.post(`/plans/${planId}/tasks`, task)).status).toBe(201);
      }
      const [left, right] = [0, 1].map(() => pool.connect(server.wsUrl, planId, { token: alice }));
      await eventually(() => {
        for (const client of [left, right]) {
          expect(client.provider.synced).toBe(true);
          expect(new PlanDoc(client.doc).get('tasks', 'c')).toBeDefined();
        }
      });

      left.provider.disconnect();
      right.provider.disconnect();
      const leftPlan = new PlanDoc(left.doc);
      const rightPlan = new PlanDoc(right.doc);
      leftPlan.addDependency('c', { taskId: 'a', type: 'FS', lagDays: 0 });
      leftPlan.updateTask('c', { assignees: ['ana'] });
      rightPlan.addDependency('c', { taskId: 'b', type: 'FS', lagDays: 0 });
      rightPlan.updateTask('c', { assignees: ['ben'] });
      left.provider.connect();
      right.provider.connect();

      const expected = {
        dependsOn: [
          { taskId: 'a', type: 'FS', lagDays: 0 },
          { taskId: 'b', type: 'FS', lagDays: 0 },
        ],
        assignees: ['ana', 'ben'],
      };
      const listsOf = (task: TaskJson | undefined) => ({
        dependsOn: task?.dependsOn,
        assignees: [...(task?.assignees ?? [])].sort(),
      });
      await eventually(() => {
        for (const plan of [leftPlan, rightPlan])
          expect(listsOf(plan.get('tasks', 'c'))).toEqual(expected);
      });
      expect(leftPlan.toJSON()).toEqual(rightPlan.toJSON());

      let version = 0;
      await eventually(async () => {
        const stored = await api.get<{ version: number; tasks: TaskJson[] }>(`/plans/${planId}`);
        expect(listsOf(stored.body.tasks.find((t) => t.id === 'c'))).toEqual(expected);
        version = stored.body.version;
      });

      // c waits for both: after b (5 days) rather than a (3), and a's float is set by c
      const timeline = await api.get<{
        activities: Array<{ id: string; es: number; totalFloat: number }>;
      }>(`/plans/${planId}/timeline?minVersion=${version}`);
      const activity = (id: string) => timeline.body.activities.find((a) => a.id === id);
      expect(activity('c')).toMatchObject({ es: 5 });
      expect(activity('a')).toMatchObject({ totalFloat: 2 });

      const history = await api.get<{
        entries: Array<{ changeType: string; entity: { id: string }; payload: unknown }>;
      }>(`/plans/${planId}/history?minVersion=${version}&limit=500`);
      const aboutC = history.body.entries.filter((e) => e.entity.id === 'c');
      expect(
        aboutC.filter((e) => e.changeType === 'DependencyAdded').map((e) => e.payload),
      ).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ dependsOn: { taskId: 'a', type: 'FS', lagDays: 0 } }),
          expect.objectContaining({ dependsOn: { taskId: 'b', type: 'FS', lagDays: 0 } }),
        ]),
      );
      expect(
        aboutC
          .filter((e) => e.changeType === 'AssigneeAdded')
          .map((e) => (e.payload as { assignee: string }).assignee)
          .sort(),
      ).toEqual(['ana', 'ben']);
    });
  });

  describe('a plan stored before lists were keyed', () => {
    let dataDir: string;
    let server: ServerProcess | undefined;
    beforeEach(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'old-plan-'));
    });
    afterEach(async () => {
      await server?.stop();
      server = undefined;
      rmSync(dataDir, { recursive: true, force: true });
    });

    /** Writes a plan stream the way the server did before: lists as plain arrays. */
    async function storeOldShapePlan(planId: string): Promise<void> {
      const store = new SqliteEventStore({ file: join(dataDir, SQLITE_EVENTS_FILE) });
      const at = '2026-01-05T09:00:00.000Z';
      const update = (edit: (doc: Y.Doc) => void, doc: Y.Doc): Uint8Array => {
        const produced: Uint8Array[] = [];
        const listen = (u: Uint8Array) => produced.push(u);
        doc.on('update', listen);
        doc.transact(() => edit(doc));
        doc.off('update', listen);
        return Y.mergeUpdates(produced);
      };
      const doc = new Y.Doc();
      const task = (id: string, fields: Record<string, unknown>): Y.Map<unknown> => {
        const map = new Y.Map<unknown>();
        doc.getMap('tasks').set(id, map);
        for (const [field, value] of Object.entries(fields)) map.set(field, value);
        return map;
      };
      const first = update((d) => {
        d.getMap('meta').set('title', 'Legacy plan');
        d.getMap('meta').set('start', '2026-02-02');
        task('a', { title: 'Design', durationDays: 3, assignees: ['zoe'] });
        task('b', {
          title: 'Build',
          durationDays: 4,
          dependsOn: [{ taskId: 'a', type: 'FS', lagDays: 1 }],
        });
      }, doc);
      const second = update(() => {
        (doc.getMap('tasks').get('b') as Y.Map<unknown>).set('assignees', ['yan', 'xia']);
      }, doc);
      const event = (data: Uint8Array) => ({
        id: randomUUID(),
        type: PLAN_UPDATED,
        data,
        metadata: { actor: 'alice', at },
        schemaVersion: 1,
      });
      await store.appendToStream(planStreamId(planId), [
        newMembershipEvent(
          { type: 'PlanCreated', data: { planId, title: 'Legacy plan', ownerId: 'alice' } },
          { actor: 'alice', at },
        ),
        event(first),
        event(second),
      ]);
      await store.close();
      doc.destroy();
    }

    it('given an old-shape plan, when it is opened, then it migrates with exactly one event, reads the same, and its history before still reads', async () => {
      const planId = randomUUID();
      await storeOldShapePlan(planId);
      server = await startServer({ DATA_DIR: dataDir });
      const api = apiClient(server.baseUrl, alice);

      const opened = await api.get<{ version: number; tasks: TaskJson[] }>(`/plans/${planId}`);
      expect(opened.status).toBe(200);
      expect(opened.body.version).toBe(3);
      expect(opened.body.tasks).toEqual([
        expect.objectContaining({ id: 'a', assignees: ['zoe'], dependsOn: [] }),
        expect.objectContaining({
          id: 'b',
          assignees: ['yan', 'xia'],
          dependsOn: [{ taskId: 'a', type: 'FS', lagDays: 1 }],
        }),
      ]);

      // opening it again, also after a restart, migrates nothing more
      await api.get(`/plans/${planId}`);
      server = await server.restart();
      const again = await apiClient(server.baseUrl, alice).get<{ version: number }>(
        `/plans/${planId}`,
      );
      expect(again.body.version).toBe(3);
      const events = await apiClient(server.baseUrl, alice).get<{ events: EventView[] }>(
        `/plans/${planId}/events?binary=none`,
      );
      const migrations = events.body.events.filter((e) => e.metadata.migration !== undefined);
      expect(migrations).toEqual([
        expect.objectContaining({
          type: PLAN_UPDATED,
          version: 3,
          metadata: expect.objectContaining({ migration: 'plan-schema-2', actor: 'system' }),
        }),
      ]);

      const before = await apiClient(server.baseUrl, alice).get<{ tasks: TaskJson[] }>(
        `/plans/${planId}/state?version=1`,
      );
      expect(before.status).toBe(200);
      expect(before.body.tasks).toEqual([
        expect.objectContaining({ id: 'a', assignees: ['zoe'] }),
        expect.objectContaining({
          id: 'b',
          assignees: [],
          dependsOn: [{ taskId: 'a', type: 'FS', lagDays: 1 }],
        }),
      ]);
      const history = await apiClient(server.baseUrl, alice).get<{
        entries: Array<{ version: number; changeType: string }>;
      }>(`/plans/${planId}/history?minVersion=3&limit=500`);
      expect(history.body.entries.filter((e) => e.version === 2)).toEqual([
        expect.objectContaining({ changeType: 'AssigneeAdded' }),
        expect.objectContaining({ changeType: 'AssigneeAdded' }),
      ]);
      // the migration changes the layout, not the plan: the change log has nothing for it
      expect(history.body.entries.filter((e) => e.version === 3)).toEqual([]);
    });
  });
});
