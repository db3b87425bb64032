import * as Y from 'yjs';
import { PlanDoc } from '../plan-doc';
import type { PlanJson } from '../plan-json';
import { describeChange } from './describe-change';
import { diffPlans } from './diff-plans';

/** A plan with phases design/build, tasks a → b, milestone m, a risk, a resource, a stakeholder and an objective. */
function basePlan(): PlanDoc {
  return PlanDoc.fromJSON({
    meta: { title: 'CRM', budget: 1000, currency: 'EUR', start: '2027-03-01' },
    phases: [
      { id: 'design', title: 'Design', order: 0 },
      { id: 'build', title: 'Build', order: 1 },
    ],
    tasks: [
      { id: 'a', title: 'Model', phaseId: 'design', durationDays: 3, assignees: ['ana'] },
      {
        id: 'b',
        title: 'Review',
        phaseId: 'design',
        durationDays: 2,
        dependsOn: [{ taskId: 'a', type: 'FS', lagDays: 0 }],
      },
    ],
    milestones: [
      { id: 'm', title: 'Approved', dependsOn: [{ taskId: 'b', type: 'FS', lagDays: 0 }] },
    ],
    risks: [
      {
        id: 'r',
        title: 'Vendor late',
        probability: 2,
        impact: 3,
        response: 'mitigate',
        mitigation: 'Penalty clause',
        linkedTaskIds: ['a'],
      },
    ],
    resources: [
      { id: 'sam', name: 'Sam', kind: 'person', capacityHoursPerDay: 8, costRatePerDay: 900 },
    ],
    stakeholders: [{ id: 's', name: 'CFO', influence: 5, interest: 2 }],
    objectives: [
      {
        id: 'o',
        title: 'Adoption',
        kpi: 'weekly active users',
        unit: '%',
        baseline: 0,
        target: 90,
        current: 0,
      },
    ],
  });
}

function changesAfter(edit: (plan: PlanDoc) => void): ReturnType<typeof diffPlans> {
  const plan = basePlan();
  const before = plan.toJSON();
  edit(plan);
  return diffPlans(before, plan.toJSON());
}

describe('diffPlans', () => {
  it('given two equal plans, when diffed, then there are no changes', () => {
    expect(diffPlans(basePlan().toJSON(), basePlan().toJSON())).toEqual([]);
  });

  it('given a new task, when diffed, then TaskAdded carries the whole task', () => {
    const changes = changesAfter((plan) =>
      plan.addTask({ id: 'c', title: 'Build', durationDays: 5 }),
    );

    expect(changes).toEqual([
      {
        type: 'TaskAdded',
        entity: { type: 'task', id: 'c' },
        task: expect.objectContaining({ id: 'c', title: 'Build', durationDays: 5 }),
      },
    ]);
  });

  it('given a removed task, when diffed, then TaskRemoved comes with the links that went with it, in entity order', () => {
    const changes = changesAfter((plan) => plan.removeTask('a'));

    expect(changes.map((c) => [c.type, c.entity.id])).toEqual([
      ['TaskRemoved', 'a'],
      ['DependencyRemoved', 'b'],
      ['RiskTaskUnlinked', 'r'],
    ]);
  });

  it('given a task with a new start and duration, when diffed, then one TaskRescheduled holds both', () => {
    const changes = changesAfter((plan) =>
      plan.updateTask('a', { start: '2027-03-05', durationDays: 4 }),
    );

    expect(changes).toEqual([
      {
        type: 'TaskRescheduled',
        entity: { type: 'task', id: 'a' },
        from: { start: null, durationDays: 3 },
        to: { start: '2027-03-05', durationDays: 4 },
      },
    ]);
  });

  it('given several edits of one task, when diffed, then each has its named change in a fixed order', () => {
    const changes = changesAfter((plan) => {
      plan.updateTask('a', {
        title: 'Data model',
        percentComplete: 50,
        status: 'in-progress',
        cost: 1200,
        assignees: ['sam'],
        resourceIds: ['sam'],
      });
      plan.moveTask('a', 'build');
    });

    expect(changes).toEqual([
      { type: 'TaskRenamed', entity: { type: 'task', id: 'a' }, from: 'Model', to: 'Data model' },
      { type: 'TaskMoved', entity: { type: 'task', id: 'a' }, from: 'design', to: 'build' },
      {
        type: 'TaskStatusChanged',
        entity: { type: 'task', id: 'a' },
        from: 'not-started',
        to: 'in-progress',
      },
      { type: 'TaskProgressed', entity: { type: 'task', id: 'a' }, from: 0, to: 50 },
      { type: 'TaskCostChanged', entity: { type: 'task', id: 'a' }, from: 0, to: 1200 },
      { type: 'AssigneeRemoved', entity: { type: 'task', id: 'a' }, assignee: 'ana' },
      { type: 'AssigneeAdded', entity: { type: 'task', id: 'a' }, assignee: 'sam' },
      { type: 'ResourceAssigned', entity: { type: 'task', id: 'a' }, resourceId: 'sam' },
    ]);
  });

  it('given dependencies added, retyped and removed, when diffed, then each link change is named', () => {
    const changes = changesAfter((plan) => {
      plan.addTask({ id: 'c', title: 'C', durationDays: 1 });
      plan.addDependency('b', { taskId: 'a', type: 'SS', lagDays: 1 });
      plan.addDependency('b', { taskId: 'c', type: 'FF', lagDays: 0 });
      plan.removeDependency('m', 'b');
    });

    expect(changes.filter((c) => c.type !== 'TaskAdded')).toEqual([
      {
        type: 'DependencyChanged',
        entity: { type: 'task', id: 'b' },
        taskId: 'b',
        from: { taskId: 'a', type: 'FS', lagDays: 0 },
        to: { taskId: 'a', type: 'SS', lagDays: 1 },
      },
      {
        type: 'DependencyAdded',
        entity: { type: 'task', id: 'b' },
        taskId: 'b',
        dependsOn: { taskId: 'c', type: 'FF', lagDays: 0 },
      },
      {
        type: 'DependencyRemoved',
        entity: { type: 'milestone', id: 'm' },
        taskId: 'm',
        dependsOn: { taskId: 'b', type: 'FS', lagDays: 0 },
      },
    ]);
  });

  it('given a risk re-scored and re-treated, when diffed, then score and mitigation changes carry before and after', () => {
    const changes = changesAfter((plan) => {
      plan.setRiskScore('r', 4, 5);
      plan.updateRisk('r', { response: 'transfer', status: 'mitigated', reviewDate: '2027-04-01' });
    });

    expect(changes).toEqual([
      {
        type: 'RiskScoreChanged',
        entity: { type: 'risk', id: 'r' },
        from: { probability: 2, impact: 3, score: 6 },
        to: { probability: 4, impact: 5, score: 20 },
      },
      {
        type: 'RiskMitigationChanged',
        entity: { type: 'risk', id: 'r' },
        from: { response: 'mitigate', mitigation: 'Penalty clause' },
        to: { response: 'transfer', mitigation: 'Penalty clause' },
      },
      {
        type: 'RiskStatusChanged',
        entity: { type: 'risk', id: 'r' },
        from: 'open',
        to: 'mitigated',
      },
      {
        type: 'RiskReviewRescheduled',
        entity: { type: 'risk', id: 'r' },
        from: null,
        to: '2027-04-01',
      },
    ]);
  });

  it('given meta edits, when diffed, then the plan-level changes name the plan', () => {
    const changes = changesAfter((plan) =>
      plan.setMeta({ title: 'CRM rollout', budget: 1500, start: '2027-04-01' }),
    );

    expect(changes).toEqual([
      { type: 'PlanRenamed', entity: { type: 'plan', id: 'meta' }, from: 'CRM', to: 'CRM rollout' },
      {
        type: 'BudgetChanged',
        entity: { type: 'plan', id: 'meta' },
        from: 1000,
        to: 1500,
        currency: 'EUR',
      },
      {
        type: 'PlanStartChanged',
        entity: { type: 'plan', id: 'meta' },
        from: '2027-03-01',
        to: '2027-04-01',
      },
    ]);
  });

  it('given phase and milestone edits, when diffed, then renames, reorders and moves are named', () => {
    const changes = changesAfter((plan) => {
      plan.updatePhase('design', { title: 'Discovery & design', order: 2 });
      plan.updateMilestone('m', { date: '2027-03-20', phaseId: 'build', status: 'done' });
      plan.addPhase({ id: 'run', title: 'Run' });
    });

    expect(changes.map((c) => c.type)).toEqual([
      'PhaseRenamed',
      'PhaseReordered',
      'PhaseAdded',
      'MilestonePhaseChanged',
      'MilestoneMoved',
      'MilestoneStatusChanged',
    ]);
    expect(changes[4]).toEqual({
      type: 'MilestoneMoved',
      entity: { type: 'milestone', id: 'm' },
      from: null,
      to: '2027-03-20',
    });
  });

  it('given resource, stakeholder and objective edits, when diffed, then they are named with the fields that changed', () => {
    const changes = changesAfter((plan) => {
      plan.updateResource('sam', { costRatePerDay: 950 });
      plan.updateStakeholder('s', { interest: 4, cadence: 'weekly' });
      plan.updateObjective('o', { target: 95, current: 12, due: '2027-10-31' });
    });

    expect(changes).toEqual([
      {
        type: 'ResourceChanged',
        entity: { type: 'resource', id: 'sam' },
        fields: [{ field: 'costRatePerDay', from: 900, to: 950 }],
      },
      {
        type: 'StakeholderChanged',
        entity: { type: 'stakeholder', id: 's' },
        fields: [
          { field: 'interest', from: 2, to: 4 },
          { field: 'cadence', from: 'monthly', to: 'weekly' },
        ],
      },
      { type: 'ObjectiveTargetChanged', entity: { type: 'objective', id: 'o' }, from: 90, to: 95 },
      { type: 'KpiCurrentChanged', entity: { type: 'objective', id: 'o' }, from: 0, to: 12 },
      {
        type: 'ObjectiveChanged',
        entity: { type: 'objective', id: 'o' },
        fields: [{ field: 'due', from: null, to: '2027-10-31' }],
      },
    ]);
  });

  it('given added and removed entities of every kind, when diffed, then collections come in schema order', () => {
    const changes = changesAfter((plan) => {
      plan.addObjective({ id: 'o2', title: 'Revenue', target: 10 });
      plan.addStakeholder({ id: 's2', name: 'Sales reps', influence: 1, interest: 5 });
      plan.removeResource('sam');
      plan.addRisk({ id: 'r2', title: 'GDPR', probability: 1, impact: 5 });
      plan.addMilestone({ id: 'm2', title: 'Go-live' });
      plan.removeRisk('r');
    });

    expect(changes.map((c) => c.type)).toEqual([
      'MilestoneAdded',
      'RiskRemoved',
      'RiskAdded',
      'ResourceRemoved',
      'StakeholderAdded',
      'ObjectiveAdded',
    ]);
  });

  it('given a value a client wrote that breaks the schema, when diffed, then it is reported as FieldsChanged', () => {
    const plan = basePlan();
    const before = plan.toJSON();
    (plan.doc.getMap('tasks').get('a') as Y.Map<unknown>).set('durationDays', 'three');

    expect(diffPlans(before, plan.toJSON())).toEqual([
      {
        type: 'FieldsChanged',
        entity: { type: 'task', id: 'a' },
        fields: [{ field: 'durationDays', from: 3, to: 'three' }],
      },
    ]);
  });

  it('given dependencies only reordered, when diffed, then the reorder is still reported', () => {
    const before: PlanJson = basePlan().toJSON();
    const links = [
      { taskId: 'a', type: 'FS', lagDays: 0 },
      { taskId: 'm', type: 'SS', lagDays: 0 },
    ] as const;
    const withLinks = (order: readonly (typeof links)[number][]): PlanJson => ({
      ...before,
      tasks: before.tasks.map((t) => (t.id === 'b' ? { ...t, dependsOn: order } : t)),
    });

    expect(diffPlans(withLinks(links), withLinks([...links].reverse())).map((c) => c.type)).toEqual(
      ['FieldsChanged'],
    );
  });

  it('given the changes of an edit, when described, then each reads as one line', () => {
    const changes = changesAfter((plan) => {
      plan.setMeta({ budget: 1500 });
      plan.updateTask('a', { start: '2027-03-05', durationDays: 4 });
      plan.addDependency('b', { taskId: 'a', type: 'SS', lagDays: 2 });
      plan.setRiskScore('r', 4, 5);
    });

    expect(changes.map(describeChange)).toEqual([
      'budget changed from 1000 EUR to 1500 EUR',
      'task a rescheduled from as soon as possible for 3 days to 2027-03-05 for 4 days',
      'task b dependency on a changed from a (FS) to a (SS +2d)',
      'risk r score changed from 6 (P2×I3) to 20 (P4×I5)',
    ]);
  });
});
