/**
 * Projectors against a real PostgreSQL (TEST_DATABASE_URL, default postgres@127.0.0.1:5432/test):
 * PostgreSQL events and PostgreSQL read models, as with EVENT_STORE=postgres. Each run gets a
 * database of its own; an unreachable server fails the run, it never skips.
 */
import { PostgresEventStore } from '@lib/event-store/postgres/postgres-event-store';
import { READ_MODELS, type Projections } from '@lib/projections';
import { PostgresReadModelStore } from '@lib/projections/store/postgres-read-model-store';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres-database';
import {
  dumpReadModels,
  PlanWriter,
  startProjectionHarness,
  type ProjectionHarness,
} from './plan-log.harness';
import { writeSampleLog } from './sample-log';

describe('projections on PostgreSQL', () => {
  let db: TestDatabase;
  let harness: ProjectionHarness;
  let head: number;

  beforeEach(async () => {
    db = await createTestDatabase();
    const store = await PostgresEventStore.open({ connectionString: db.url });
    harness = await startProjectionHarness({
      store,
      readModels: () => new PostgresReadModelStore({ connectionString: db.url }),
    });
    head = await writeSampleLog(harness);
  });

  afterEach(async () => {
    await harness?.close();
    await db?.drop();
  });

  it('given a projector stopped mid-stream, when a new process resumes, then its rows equal SQLite rows projected from the same log in one run', async () => {
    const first = await harness.open({ batchSize: 5 });
    await first.catchUp('all', { maxPosition: Math.floor(head / 2) });
    await first.stop();
    const resumed = await harness.open({ batchSize: 5 });
    await resumed.catchUp();
    expect(resumed.status().map((s) => s.position)).toEqual(READ_MODELS.map(() => head));

    const sqlite = await harness.open({ file: 'reference.sqlite' });
    await sqlite.catchUp();
    expect(await dumpReadModels(resumed.readModels)).toEqual(
      await dumpReadModels(sqlite.readModels),
    );
  });

  it('given projected read models, when rebuilt, then the rows are identical', async () => {
    const projections = await harness.open({ batchSize: 8 });
    await projections.catchUp();
    const before = await dumpReadModels(projections.readModels);
    await projections.rebuild('all');
    expect(await dumpReadModels(projections.readModels)).toEqual(before);
  });

  it('given two nodes, when both start, then one projects while the other stands by, serves fresh reads, and takes over when the first stops', async () => {
    const options = { standbyPollMs: 50 };
    const nodeA = await harness.open(options);
    nodeA.start();
    await nodeA.waitForPosition('change-log', head);
    const nodeB: Projections = await harness.open(options);
    nodeB.start();
    await waitFor(() => nodeB.status().every((s) => s.state === 'standby'));
    expect(nodeA.status().every((s) => s.state === 'live')).toBe(true);

    const delta = harness.writer('delta');
    const appended = PlanWriter.position(
      await delta.create('erin', '2027-04-01T09:00:00.000Z', 'Delta'),
    );
    await nodeB.waitForPosition('plan-summary', appended);
    expect((await nodeB.planSummary.summary('delta'))?.title).toBe('Delta');
    expect(nodeB.status().every((s) => s.eventsProjected === 0)).toBe(true);

    await nodeA.stop();
    const later = PlanWriter.position(
      await delta.edit('erin', '2027-04-02T09:00:00.000Z', (p) => p.setMeta({ title: 'Delta 2' })),
    );
    await nodeB.waitForPosition('plan-summary', later);
    expect((await nodeB.planSummary.summary('delta'))?.title).toBe('Delta 2');
    expect(nodeB.status().find((s) => s.readModel === 'plan-summary')?.state).toBe('live');
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
