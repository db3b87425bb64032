import { importPlan } from '@lib/plan-domain';
import {
  baselineCapturedEvent,
  captureBaseline,
  planStreamId,
  type ProjectedBatch,
  type Projections,
  type TimelineView,
} from '@lib/projections';
import crmPlan from '../../plan-domain/src/scheduling/fixtures/crm-rollout.plan.json';
import crmExpected from '../../plan-domain/src/scheduling/fixtures/crm-rollout.expected-timeline.json';
import {
  addCriticalPathExample,
  PlanWriter,
  startProjectionHarness,
  type ProjectionHarness,
} from './plan-log.harness';

const activity = (timeline: TimelineView | undefined, id: string) =>
  timeline?.activities.find((a) => a.id === id);

describe('timeline read model', () => {
  let harness: ProjectionHarness;
  let projections: Projections;
  let plan: PlanWriter;

  beforeEach(async () => {
    harness = await startProjectionHarness();
    projections = await harness.open();
    plan = harness.writer('p1');
    await plan.create('maria', '2027-02-20T09:00:00.000Z', 'Website relaunch', '2027-03-01');
    await plan.edit('maria', '2027-02-20T09:10:00.000Z', (p) => {
      addCriticalPathExample(p);
    });
  });

  afterEach(async () => {
    await harness.close();
  });

  it('given A(5d)→B(3d) and C(2d)→B finish-to-start, when projected, then A and B are critical and C has 3 days of float', async () => {
    await projections.catchUp('timeline');
    const timeline = await projections.timeline.timeline('p1');
    expect(timeline?.criticalPath).toEqual(['A', 'B']);
    expect(activity(timeline, 'A')).toMatchObject({
      es: 0,
      ef: 5,
      ls: 0,
      lf: 5,
      totalFloat: 0,
      critical: true,
      title: 'Design',
      kind: 'task',
    });
    expect(activity(timeline, 'B')).toMatchObject({
      es: 5,
      ef: 8,
      totalFloat: 0,
      critical: true,
      start: '2027-03-06',
      finish: '2027-03-09',
    });
    expect(activity(timeline, 'C')).toMatchObject({
      es: 0,
      ef: 2,
      ls: 3,
      lf: 5,
      totalFloat: 3,
      critical: false,
    });
    expect(timeline).toMatchObject({
      planId: 'p1',
      planStart: '2027-03-01',
      planStartSource: 'plan',
      projectFinish: '2027-03-09',
      projectFinishDay: 8,
      version: 2,
    });
  });

  it('given that plan, when A grows to 7 days, then B and the project finish move by 2 days and listeners hear timeline.changed', async () => {
    await projections.catchUp('timeline');
    const heard: ProjectedBatch[] = [];
    projections.onProjected((batch) => heard.push(batch));
    await plan.edit('bob', '2027-02-21T10:00:00.000Z', (p) =>
      p.updateTask('A', { durationDays: 7 }),
    );
    await projections.catchUp('timeline');
    const timeline = await projections.timeline.timeline('p1');
    expect(activity(timeline, 'B')).toMatchObject({
      es: 7,
      ef: 10,
      start: '2027-03-08',
      finish: '2027-03-11',
    });
    expect(timeline?.projectFinish).toBe('2027-03-11');
    expect(activity(timeline, 'C')?.totalFloat).toBe(5);
    expect(heard).toEqual([{ readModel: 'timeline', planIds: ['p1'], position: 4, entries: [] }]);
  });

  it('given a change that leaves the schedule alone, when projected, then the row moves to the new version but nobody is told the timeline changed', async () => {
    await projections.catchUp('timeline');
    const heard: ProjectedBatch[] = [];
    projections.onProjected((batch) => heard.push(batch));
    await plan.edit('bob', '2027-02-21T10:00:00.000Z', (p) =>
      p.addRisk({ title: 'Late assets', probability: 2, impact: 2 }),
    );
    await projections.catchUp('timeline');
    expect(heard).toEqual([{ readModel: 'timeline', planIds: [], position: 4, entries: [] }]);
    expect((await projections.timeline.timeline('p1'))?.version).toBe(3);
  });

  it('given a baseline captured before A slipped, when projected, then slippage and the finish delta are measured against it', async () => {
    const data = captureBaseline(plan.plan.toJSON(), {
      baselineId: 'b1',
      name: 'Signed off',
      capturedAt: '2027-02-21T08:00:00.000Z',
    });
    expect(data.activities.B).toEqual({ start: '2027-03-06', finish: '2027-03-09' });
    await harness.store.appendToStream(planStreamId('p1'), [
      baselineCapturedEvent(data, { actor: 'maria', at: '2027-02-21T08:00:00.000Z' }),
    ]);
    await plan.edit('bob', '2027-02-21T10:00:00.000Z', (p) =>
      p.updateTask('A', { durationDays: 7 }),
    );
    await projections.catchUp('timeline');
    const timeline = await projections.timeline.timeline('p1');
    expect(timeline?.baseline).toEqual({
      baselineId: 'b1',
      name: 'Signed off',
      capturedAt: '2027-02-21T08:00:00.000Z',
      projectFinish: '2027-03-09',
      projectFinishDeltaDays: 2,
      slippedActivityIds: ['A', 'B'],
    });
    expect(activity(timeline, 'B')?.slippage).toEqual({
      baselineStart: '2027-03-06',
      baselineFinish: '2027-03-09',
      startDeltaDays: 2,
      finishDeltaDays: 2,
    });
    expect(await projections.timeline.baselines('p1')).toEqual([
      {
        baselineId: 'b1',
        name: 'Signed off',
        capturedAt: '2027-02-21T08:00:00.000Z',
        planStart: '2027-03-01',
        projectFinish: '2027-03-09',
        position: 4,
      },
    ]);
  });

  it('given a milestone after B with a target date B cannot make, when projected, then it is scheduled after B and reported late', async () => {
    await plan.edit('maria', '2027-02-22T09:00:00.000Z', (p) =>
      p.addMilestone({
        id: 'M',
        title: 'Launch',
        date: '2027-03-08',
        dependsOn: [{ taskId: 'B', type: 'FS', lagDays: 0 }],
      }),
    );
    await projections.catchUp('timeline');
    const timeline = await projections.timeline.timeline('p1');
    expect(timeline?.milestones).toEqual([
      {
        id: 'M',
        title: 'Launch',
        phaseId: null,
        targetDate: '2027-03-08',
        date: '2027-03-09',
        lateByDays: 1,
        critical: true,
        status: 'not-started',
      },
    ]);
    expect(timeline?.criticalPath).toEqual(['A', 'B', 'M']);
  });

  it('given a dependency cycle written straight into the CRDT, when projected, then the cycle is reported and the rest is scheduled', async () => {
    await plan.edit('mallory', '2027-02-22T09:00:00.000Z', (p) => {
      const tasks = p.doc.getMap<unknown>('tasks');
      (tasks.get('A') as { set(k: string, v: unknown): void }).set('dependsOn', [
        { taskId: 'B', type: 'FS', lagDays: 0 },
      ]);
      (tasks.get('C') as { set(k: string, v: unknown): void }).set('durationDays', -4);
    });
    await projections.catchUp('timeline');
    const timeline = await projections.timeline.timeline('p1');
    expect(timeline?.issues.cycles).toEqual([['A', 'B']]);
    expect(timeline?.issues.unusableValues).toEqual([
      { activityId: 'C', field: 'durationDays', value: -4 },
    ]);
    expect(timeline?.activities.map((a) => a.id)).toEqual(['C']);
  });

  it('given the CRM rollout plan file, when imported and projected, then the timeline matches the independently computed schedule', async () => {
    const crm = harness.writer('crm');
    await crm.create('maria', '2027-02-01T09:00:00.000Z', 'CRM', '2027-03-01');
    await crm.edit('maria', '2027-02-01T09:05:00.000Z', () => importPlan(crm.doc, crmPlan));
    await projections.catchUp('timeline');
    const timeline = await projections.timeline.timeline('crm');
    const actual = Object.fromEntries(
      (timeline?.activities ?? []).map((a) => [
        a.id,
        {
          es: a.es,
          ef: a.ef,
          ls: a.ls,
          lf: a.lf,
          totalFloat: a.totalFloat,
          critical: a.critical,
          start: a.start,
          finish: a.finish,
        },
      ]),
    );
    expect(actual).toEqual(crmExpected.tasks);
    expect(timeline?.projectFinish).toBe(crmExpected.projectFinish);
    expect(timeline?.criticalPath).toEqual(crmExpected.criticalPath);
    expect(timeline?.phases.map((p) => [p.phaseId, p.title])).toContainEqual([
      'ph-discovery',
      'Discovery',
    ]);
  });

  it('given an unknown plan, when its timeline is read, then there is none', async () => {
    await projections.catchUp('timeline');
    expect(await projections.timeline.timeline('nope')).toBeUndefined();
  });
});
