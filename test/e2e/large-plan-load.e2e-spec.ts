/**
 * A plan with 50k stored updates loads correctly: first by replaying every event, then,
 * after a clean shutdown wrote a snapshot, from the snapshot plus the tail — and the second
 * load really started from the snapshot (the server's load counters say how many events it
 * read from the store after its starting state).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { newMembershipEvent } from '@lib/auth';
import { planStreamId, planUpdatedEvent } from '@lib/collab';
import { SQLITE_EVENTS_FILE, SqliteEventStore, type NewEvent } from '@lib/event-store';
import { migratePlan, PlanDoc, type PlanJson } from '@lib/plan-domain';
import { apiClient, tokenFor } from '../support/clients';
import { startServer, type ServerProcess } from '../support/server-process';

const UPDATES = 50_000;
const TASKS = 200;

async function seedLargePlan(dataDir: string, planId: string): Promise<PlanJson> {
  const store = new SqliteEventStore({ file: join(dataDir, SQLITE_EVENTS_FILE) });
  const doc = new Y.Doc();
  const plan = new PlanDoc(doc);
  const at = '2027-03-01T09:00:00.000Z';
  let batch: NewEvent[] = [
    newMembershipEvent(
      { type: 'PlanCreated', data: { planId, title: 'Large plan', ownerId: 'alice' } },
      { actor: 'alice', at },
    ),
  ];
  doc.on('update', (update: Uint8Array) =>
    batch.push(planUpdatedEvent(update, { actor: 'alice', at })),
  );
  // stamped with the current document layout, as a plan created now is: no migration on load
  migratePlan(doc);
  plan.setMeta({ title: 'Large plan', start: '2027-03-01' });
  for (let i = 0; i < TASKS; i++)
    plan.addTask({ id: `t${i}`, title: `Task ${i}`, durationDays: 1 + (i % 9) });
  const tasks = doc.getMap<Y.Map<unknown>>('tasks');
  let stored = 0;
  for (let n = 0; stored + batch.length < UPDATES; n++) {
    tasks.get(`t${n % TASKS}`)!.set('percentComplete', n % 101);
    if (batch.length >= 1000) {
      await store.appendToStream(planStreamId(planId), batch);
      stored += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) await store.appendToStream(planStreamId(planId), batch);
  const expected = plan.toJSON();
  doc.destroy();
  await store.close();
  return expected;
}

/** a counter of the server's /metrics, 0 when the series was never incremented */
async function counter(baseUrl: string, series: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

describe('loading a plan with 50k updates', () => {
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.dispose();
  });

  it('given 50k stored updates, when the plan is read cold and again after a restart, then the first load replays every event, the second starts from the snapshot and reads no event after it, and both give the same plan', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'large-plan-'));
    const planId = randomUUID();
    const expected = await seedLargePlan(dataDir, planId);
    const alice = tokenFor('alice');

    server = await startServer({ DATA_DIR: dataDir });
    let started = performance.now();
    const replayed = await apiClient(server.baseUrl, alice).get<PlanJson & { version: number }>(
      `/plans/${planId}`,
    );
    const replayMs = performance.now() - started;
    expect(replayed.status).toBe(200);
    expect(replayed.body.version).toBe(UPDATES - 1);
    expect(replayed.body.tasks).toEqual(expected.tasks);
    expect(await counter(server.baseUrl, 'plan_document_loads_total{source="events"}')).toBe(1);
    expect(
      await counter(server.baseUrl, 'plan_document_load_tail_events_total{source="events"}'),
    ).toBe(UPDATES);

    // a clean stop unloads the document, which writes its snapshot
    server = await server.restart();
    started = performance.now();
    const fromSnapshot = await apiClient(server.baseUrl, alice).get<PlanJson>(`/plans/${planId}`);
    const snapshotMs = performance.now() - started;
    expect(fromSnapshot.body.tasks).toEqual(expected.tasks);
    expect(await counter(server.baseUrl, 'plan_document_loads_total{source="snapshot"}')).toBe(1);
    expect(await counter(server.baseUrl, 'plan_document_loads_total{source="events"}')).toBe(0);
    // the snapshot written on shutdown holds every stored update: nothing is left to replay
    expect(
      await counter(server.baseUrl, 'plan_document_load_tail_events_total{source="snapshot"}'),
    ).toBe(0);
    process.stdout.write(
      `cold load of ${UPDATES} updates: full replay ${replayMs.toFixed(0)} ms, snapshot + tail ${snapshotMs.toFixed(0)} ms\n`,
    );
  }, 360_000);
});
