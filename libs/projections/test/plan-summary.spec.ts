import { importPlan } from '@lib/plan-domain';
import { stakeholderQuadrant, type Projections } from '@lib/projections';
import crmPlan from '../../plan-domain/src/scheduling/fixtures/crm-rollout.plan.json';
import { startProjectionHarness, type ProjectionHarness } from './plan-log.harness';

describe('plan summary read model', () => {
  let harness: ProjectionHarness;
  let projections: Projections;

  beforeEach(async () => {
    harness = await startProjectionHarness();
    projections = await harness.open();
  });

  afterEach(async () => {
    await harness.close();
  });

  it('given the CRM plan, when summarised, then counts, cost against budget, objectives and the stakeholder grid are there', async () => {
    const crm = harness.writer('crm');
    await crm.create('maria', '2027-02-01T09:00:00.000Z', 'CRM', '2027-03-01');
    await crm.edit('maria', '2027-02-01T09:05:00.000Z', () => importPlan(crm.doc, crmPlan));
    await crm.edit('ana', '2027-02-02T09:00:00.000Z', (p) => {
      p.updateObjective('o02', { current: 65 });
      p.updateTask('t01', { resourceIds: ['maria', 'env'] });
    });
    await projections.catchUp('plan-summary');
    const summary = await projections.planSummary.summary('crm');
    const taskCost = crmPlan.tasks.reduce((sum, t) => sum + (t.cost ?? 0), 0);
    const milestones = crmPlan.tasks.filter((t) => t.milestone).length;

    expect(summary).toMatchObject({
      id: 'crm',
      title: 'CRM system rollout',
      ownerId: 'maria',
      archived: false,
      createdAt: '2027-02-01T09:00:00.000Z',
      updatedAt: '2027-02-02T09:00:00.000Z',
      version: 3,
      counts: {
        phases: 5,
        tasks: crmPlan.tasks.length - milestones,
        milestones,
        risks: 8,
        resources: 12,
        stakeholders: 5,
        objectives: 3,
      },
      budget: {
        currency: 'EUR',
        budget: 420000,
        plannedCost: taskCost,
        remaining: 420000 - taskCost,
        overBudget: taskCost > 420000,
      },
    });
    expect(summary?.budget.byResourceKind).toEqual({
      person: { resources: 10, assignedTaskDays: 1, rateCost: 900, amount: 0 },
      equipment: { resources: 1, assignedTaskDays: 1, rateCost: 120, amount: 0 },
      budget: { resources: 1, assignedTaskDays: 0, rateCost: 0, amount: 90000 },
    });
    expect(summary?.objectives.find((o) => o.id === 'o02')).toMatchObject({
      target: 95,
      baseline: 35,
      current: 65,
      progressPercent: 50,
      status: 'in-progress',
    });
    // o01 aims down (20 h → 4 h) and has not moved yet
    expect(summary?.objectives.find((o) => o.id === 'o01')).toMatchObject({
      progressPercent: 0,
      status: 'in-progress',
    });
    expect(
      Object.fromEntries(
        Object.entries(summary?.stakeholders ?? {}).map(([q, list]) => [q, list.map((s) => s.id)]),
      ),
    ).toEqual({
      'manage-closely': ['s01', 's02', 's04'],
      'keep-satisfied': ['s03'],
      'keep-informed': ['s05'],
      monitor: [],
    });
    expect(summary?.problems).toEqual([]);
  });

  it('given plans created, renamed and archived, when listed, then the list has their titles, versions and archive state', async () => {
    const a = harness.writer('a');
    const b = harness.writer('b');
    await a.create('maria', '2027-02-01T09:00:00.000Z', 'Alpha');
    await b.create('li', '2027-02-02T09:00:00.000Z', 'Beta');
    await a.edit('maria', '2027-02-03T09:00:00.000Z', (p) =>
      p.setMeta({ title: 'Alpha 2', status: 'active' }),
    );
    await b.json('PlanArchived', { reason: 'done' }, 'li', '2027-02-04T09:00:00.000Z');
    await projections.catchUp('plan-summary');

    expect(await projections.planSummary.plans()).toEqual([
      {
        id: 'a',
        title: 'Alpha 2',
        status: 'active',
        archived: false,
        ownerId: 'maria',
        createdAt: '2027-02-01T09:00:00.000Z',
        updatedAt: '2027-02-03T09:00:00.000Z',
        version: 2,
        position: 5,
      },
    ]);
    const all = await projections.planSummary.plans({
      includeArchived: true,
      planIds: ['b', 'a', 'unknown'],
    });
    expect(all.map((p) => [p.id, p.title, p.archived, p.version])).toEqual([
      ['a', 'Alpha 2', false, 2],
      ['b', 'Beta', true, 2],
    ]);
    await b.json('PlanRestored', {}, 'li', '2027-02-05T09:00:00.000Z');
    await projections.catchUp('plan-summary');
    expect((await projections.planSummary.plans({ planIds: ['b'] }))[0]).toMatchObject({
      archived: false,
      version: 3,
    });
  });

  it('given influence and interest on the 1–5 scale, when placed on the grid, then 3 or more counts as high', () => {
    expect(stakeholderQuadrant(3, 3)).toBe('manage-closely');
    expect(stakeholderQuadrant(5, 2)).toBe('keep-satisfied');
    expect(stakeholderQuadrant(2, 3)).toBe('keep-informed');
    expect(stakeholderQuadrant(2, 2)).toBe('monitor');
  });
});
