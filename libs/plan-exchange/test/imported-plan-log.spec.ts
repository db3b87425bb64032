/**
 * An imported plan in the event log: PlanImported heads the stream, and membership, the change
 * log, the plan summary, the timeline (with the file's baseline), verify and time travel all
 * read it like a plan created by `POST /plans`.
 */
import { PlanMembership } from '@lib/auth';
import type { EventStore } from '@lib/event-store';
import { planStreamId } from '@lib/plan-domain';
import { importPlanText, importedPlanEvents } from '@lib/plan-exchange';
import type { Projections } from '@lib/projections';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  startProjectionHarness,
  type ProjectionHarness,
} from '../../projections/test/plan-log.harness';

const CSV = [
  'id,title,phase,durationDays,predecessors,assignees,cost',
  'a,Design,Plan,5,,ana,1000',
  'b,Build,Do,3,aFS+1,ben,2000',
  'm,Launch,Do,0,b,,',
].join('\n');

describe('an imported plan in the event log', () => {
  let harness: ProjectionHarness;
  let projections: Projections;
  let store: EventStore;

  beforeAll(async () => {
    harness = await startProjectionHarness();
    store = harness.store;
    const imported = importPlanText(CSV, { fileName: 'launch.csv', planStart: '2027-04-05' });
    const events = importedPlanEvents(
      imported,
      'launch',
      'olga',
      { fileName: 'launch.csv', content: Buffer.from(CSV) },
      { actor: 'olga', at: '2027-04-01T09:00:00.000Z' },
    );
    await store.appendToStream(planStreamId('launch'), events, { expectedVersion: 'no_stream' });
    projections = await harness.open();
    await projections.catchUp();
  });

  afterAll(async () => {
    await harness.close();
  });

  it('given a CSV import, when the log is read, then it starts with one PlanImported naming the file, its size and digest, then the content', async () => {
    const events = await store.readStream(planStreamId('launch'));
    expect(events.map((e) => e.type)).toEqual(['PlanImported', 'PlanUpdated']);
    expect(events[0].data).toMatchObject({
      planId: 'launch',
      title: 'launch',
      ownerId: 'olga',
      source: { format: 'csv', fileName: 'launch.csv', bytes: Buffer.byteLength(CSV) },
      report: { format: 'csv', counts: { phases: 2, tasks: 2, milestones: 1 } },
    });
    expect((events[0].data as { source: { sha256: string } }).source.sha256).toMatch(
      /^[0-9a-f]{64}$/,
    );
    expect(await store.verifyStream(planStreamId('launch'))).toMatchObject({
      ok: true,
      eventCount: 2,
    });
  });

  it('given the import, then the importer is owner and the plan is listed with its title', async () => {
    const membership = new PlanMembership(store);
    membership.start();
    try {
      expect(await membership.roleOf('launch', 'olga')).toBe('owner');
      expect(await membership.plansOf('olga')).toEqual([
        expect.objectContaining({
          planId: 'launch',
          title: 'launch',
          role: 'owner',
          createdAt: '2027-04-01T09:00:00.000Z',
        }),
      ]);
    } finally {
      await membership.stop();
    }
    expect(await projections.planSummary.plans({ planIds: ['launch'] })).toEqual([
      expect.objectContaining({ id: 'launch', title: 'launch', ownerId: 'olga' }),
    ]);
  });

  it('given the import, then the change log starts with the import and lists every item added', async () => {
    const { entries } = await projections.changeLog.history('launch');
    expect(entries[0]).toMatchObject({
      changeType: 'PlanImported',
      actor: 'olga',
      version: 0,
      summary: 'plan imported from csv "launch.csv": "launch", owner olga',
    });
    expect(
      entries
        .filter((e) => e.changeType === 'TaskAdded')
        .map((e) => e.entity.id)
        .sort(),
    ).toEqual(['a', 'b']);
    const timeline = await projections.timeline.timeline('launch');
    expect(timeline?.criticalPath).toEqual(['a', 'b', 'm']);
  });

  it('given an MSPDI file with a baseline, when imported, then a BaselineCaptured follows the content and the timeline lists it', async () => {
    const xml = readFileSync(join(__dirname, 'fixtures', 'with-baseline.xml'), 'utf8');
    const imported = importPlanText(xml, { fileName: 'with-baseline.xml' });
    await store.appendToStream(
      planStreamId('mspdi'),
      importedPlanEvents(
        imported,
        'mspdi',
        'olga',
        { content: Buffer.from(xml) },
        { actor: 'olga', at: '2027-04-02T09:00:00.000Z' },
      ),
      { expectedVersion: 'no_stream' },
    );
    await projections.catchUp();
    const events = await store.readStream(planStreamId('mspdi'));
    expect(events.map((e) => e.type)).toEqual(['PlanImported', 'PlanUpdated', 'BaselineCaptured']);
    expect(await projections.timeline.baselines('mspdi')).toEqual([
      expect.objectContaining({
        baselineId: 'imported-0',
        name: 'Baseline (imported)',
        planStart: '2027-03-01',
        projectFinish: '2027-03-04',
      }),
    ]);
  });
});
