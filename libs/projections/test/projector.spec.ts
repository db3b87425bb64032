import {
  ChangeLogProjection,
  PlanSummaryProjection,
  READ_MODELS,
  readCheckpoint,
  standardProjections,
  type PlanDocuments,
  type PlanEvent,
  type ProjectedBatch,
  type Projection,
  type SqlSession,
} from '@lib/projections';
import {
  dumpReadModels,
  PlanWriter,
  startProjectionHarness,
  type ProjectionHarness,
} from './plan-log.harness';
import { writeSampleLog } from './sample-log';

/** Wraps a projection so that it throws once, on the event at `failAt`, after writing earlier rows. */
class FailOnce implements Projection {
  readonly readModel;
  readonly version;
  readonly ddl;
  readonly tables;
  private failed = false;

  constructor(
    private readonly inner: Projection,
    private readonly failAt: number,
  ) {
    this.readModel = inner.readModel;
    this.version = inner.version;
    this.ddl = inner.ddl;
    this.tables = inner.tables;
  }

  async project(events: readonly PlanEvent[], documents: PlanDocuments, session: SqlSession) {
    const failing = events.findIndex((e) => e.event.position === this.failAt);
    if (this.failed || failing === -1) return this.inner.project(events, documents, session);
    this.failed = true;
    // the rows of the events before the failing one are written, then the batch fails
    await this.inner.project(events.slice(0, failing), documents, session);
    throw new Error(`injected failure at position ${this.failAt}`);
  }
}

describe('projector over a real SQLite event store', () => {
  let harness: ProjectionHarness;
  let head: number;

  beforeEach(async () => {
    harness = await startProjectionHarness();
    head = await writeSampleLog(harness);
  });

  afterEach(async () => {
    await harness.close();
  });

  it('given a log of three plans, when caught up, then every read model checkpoint is the head and each plan version is stored', async () => {
    const projections = await harness.open({ batchSize: 7 });
    await projections.catchUp();
    expect(projections.status().map((s) => [s.readModel, s.position])).toEqual(
      READ_MODELS.map((readModel) => [readModel, head]),
    );
    expect(await projections.lag()).toEqual(
      Object.fromEntries(READ_MODELS.map((readModel) => [readModel, 0])),
    );
    const versions = await projections.readModels.all<{ plan_id: string; version: number }>(
      "SELECT plan_id, version FROM projection_plan_versions WHERE projection = 'timeline' ORDER BY plan_id",
    );
    expect(versions).toEqual(
      await Promise.all(
        ['alpha', 'beta', 'gamma'].map(async (id) => ({
          plan_id: id,
          version: await harness.store.streamVersion(`plan-${id}`),
        })),
      ),
    );
  });

  it('given a batch that fails half-way, when it is rolled back, then neither its rows nor its checkpoint were written', async () => {
    const failAt = 20;
    const projections = await harness.open({
      batchSize: 10,
      projections: [new FailOnce(new ChangeLogProjection(), failAt)],
    });
    await expect(projections.catchUp()).rejects.toThrow(/injected failure at position 20/);
    const checkpoint = await readCheckpoint(projections.readModels, 'change-log');
    expect(checkpoint?.position).toBe(10);
    const [{ max }] = await projections.readModels.all<{ max: number }>(
      'SELECT max(position) AS max FROM change_log_entries',
    );
    expect(max).toBe(10);
  });

  it('given a projector stopped mid-stream and a crash mid-batch, when restarted, then its rows equal those of one uninterrupted run', async () => {
    const mid = Math.floor(head / 2);
    const first = await harness.open({ batchSize: 4 });
    await first.catchUp('all', { maxPosition: mid });
    expect(first.status().every((s) => s.position === mid)).toBe(true);

    // a second process resumes from the stored checkpoints with empty document caches, and
    // its first attempt at one batch fails after writing part of it
    const crashing = await harness.open({
      batchSize: 4,
      projections: standardProjections().map((p) => new FailOnce(p, mid + 3)),
    });
    await expect(crashing.catchUp()).rejects.toThrow(/injected failure/);
    const resumed = await harness.open({ batchSize: 4 });
    await resumed.catchUp();

    const uninterrupted = await harness.open({ batchSize: 500, file: 'reference.sqlite' });
    await uninterrupted.catchUp();
    expect(await dumpReadModels(resumed.readModels)).toEqual(
      await dumpReadModels(uninterrupted.readModels),
    );
  });

  it('given documents parked after every batch, when projected, then the rows equal those projected with every document kept', async () => {
    const evicting = await harness.open({
      batchSize: 3,
      maxLoadedDocuments: 1,
      documentIdleMs: 0,
    });
    await evicting.catchUp();
    const keeping = await harness.open({ batchSize: 50, file: 'reference.sqlite' });
    await keeping.catchUp();
    expect(await dumpReadModels(evicting.readModels)).toEqual(
      await dumpReadModels(keeping.readModels),
    );
  });

  it('given projected read models, when all are rebuilt, then the rows are identical', async () => {
    const projections = await harness.open({ batchSize: 9 });
    await projections.catchUp();
    const before = await dumpReadModels(projections.readModels);
    const progress: number[] = [];
    const reports = await projections.rebuild('all', (p) => progress.push(p.position));
    expect(await dumpReadModels(projections.readModels)).toEqual(before);
    expect(reports.map((r) => [r.readModel, r.position])).toEqual(
      projections.status().map((s) => [s.readModel, head]),
    );
    expect(reports[0].events).toBe(head);
    expect(progress[progress.length - 1]).toBe(head);
  });

  it('given one read model rebuilt, when it replays, then the others keep their rows and checkpoints', async () => {
    const projections = await harness.open();
    await projections.catchUp();
    const before = await dumpReadModels(projections.readModels);
    await projections.rebuild('timeline');
    expect(await dumpReadModels(projections.readModels)).toEqual(before);
  });

  it('given a read model stored by an older projection version, when prepared, then it is dropped and replayed from 0', async () => {
    const projections = await harness.open();
    await projections.catchUp();
    const before = await dumpReadModels(projections.readModels);
    await projections.readModels.run(
      "UPDATE projection_checkpoints SET projection_version = 0 WHERE projection = 'plan-summary'",
    );
    await projections.readModels.run("UPDATE plan_summaries SET title = 'stale'");

    const upgraded = await harness.open();
    expect(upgraded.position('plan-summary')).toBe(0);
    await upgraded.catchUp();
    expect(await dumpReadModels(upgraded.readModels)).toEqual(before);
  });

  it('given live projectors, when a plan is edited, then a reader waiting for the append position sees the change and listeners hear each batch', async () => {
    const projections = await harness.open();
    const batches: ProjectedBatch[] = [];
    projections.onProjected((batch) => batches.push(batch));
    projections.start();
    await projections.waitForPosition('change-log', head);

    const appended = await harness
      .writer('delta')
      .create('erin', '2027-04-01T09:00:00.000Z', 'Delta');
    const position = PlanWriter.position(appended);
    await projections.waitForPosition('plan-summary', position);
    await projections.waitForPosition('change-log', position);

    expect((await projections.planSummary.summary('delta'))?.title).toBe('Delta');
    const created = batches.find((b) => b.readModel === 'change-log' && b.position === position);
    expect(created?.planIds).toEqual(['delta']);
    expect(created?.entries[0]).toMatchObject({
      changeType: 'PlanCreated',
      actor: 'erin',
      planId: 'delta',
      summary: 'plan created: "Delta", owner erin',
    });
    expect(created?.entries.map((e) => e.changeType)).toContain('PlanStartChanged');
    expect(batches.some((b) => b.readModel === 'plan-summary' && b.planIds.includes('delta'))).toBe(
      true,
    );
    for (const readModel of READ_MODELS) await projections.waitForPosition(readModel, position);
    expect(await projections.lag()).toEqual(
      Object.fromEntries(READ_MODELS.map((readModel) => [readModel, 0])),
    );
  });

  it('given a stream of edits, when projected live, then the batch window widens: far fewer batches than with a fixed window, and every edit is projected', async () => {
    async function batchesFor(maxBatchWindowMs: number, plan: string): Promise<number> {
      const projections = await harness.open({ batchWindowMs: 10, maxBatchWindowMs });
      projections.start();
      try {
        await projections.waitForPosition('change-log', await harness.store.headPosition());
        const batches: ProjectedBatch[] = [];
        projections.onProjected((batch) => {
          if (batch.readModel === 'change-log') batches.push(batch);
        });
        const writer = harness.writer(plan);
        let last = PlanWriter.position(
          await writer.create('erin', '2027-04-01T09:00:00.000Z', plan),
        );
        // one edit every 4 ms for about a third of a second
        for (let i = 1; i <= 80; i++) {
          last = PlanWriter.position(
            await writer.edit('erin', '2027-04-01T09:00:00.000Z', (doc) =>
              doc.setMeta({ title: `${plan} ${i}` }),
            ),
          );
          await new Promise((resolve) => setTimeout(resolve, 4));
        }
        await projections.waitForPosition('change-log', last);
        // each read model widens its own window: the summary may still be behind the change log
        await projections.waitForPosition('plan-summary', last);
        expect((await projections.planSummary.summary(plan))?.title).toBe(`${plan} 80`);
        return batches.length;
      } finally {
        await projections.stop();
      }
    }
    const fixed = await batchesFor(10, 'fixed');
    const widening = await batchesFor(80, 'widening');
    expect(widening).toBeLessThan(fixed / 2);
  });

  it('given a read model that does not reach a position in time, when a reader waits for it, then it fails naming the read model and both positions', async () => {
    // not started: nothing is projected, so the log's head is never reached
    const projections = await harness.open();
    await expect(projections.waitForPosition('timeline', head, 50)).rejects.toMatchObject({
      code: 'READ_MODEL_NOT_CAUGHT_UP',
      readModel: 'timeline',
      requestedPosition: head,
    });
  });

  it('given a position beyond the end of the log, when a reader waits for it, then it fails at once as an unknown position', async () => {
    const projections = await harness.open();
    projections.start();
    await expect(projections.waitForPosition('timeline', head + 100, 60_000)).rejects.toMatchObject(
      {
        code: 'UNKNOWN_POSITION',
        position: head + 100,
        headPosition: head,
        message: expect.stringMatching(/minPosition/),
      },
    );
  });

  it('given a listener that throws, when a batch commits, then the projector carries on and other listeners still hear it', async () => {
    const errors: string[] = [];
    const projections = await harness.open({
      projections: [new PlanSummaryProjection()],
      log: { log: () => undefined, warn: () => undefined, error: (m) => errors.push(m) },
    });
    const heard: number[] = [];
    projections.onProjected(() => {
      throw new Error('listener bug');
    });
    projections.onProjected((batch) => heard.push(batch.position));
    await projections.catchUp();
    expect(heard[heard.length - 1]).toBe(head);
    expect(errors[0]).toMatch(/listener bug/);
  });
});
