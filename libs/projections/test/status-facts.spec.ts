/**
 * The status history keeps the last schedule of each plan and reuses it while the scheduling
 * inputs stay the same. Whatever the edit, the facts it derives that way must be the facts
 * computed from scratch: every input the scheduler reads has to tell a reuse from a recompute.
 */
import * as Y from 'yjs';
import { importPlan, PlanDoc, type PlanFile } from '@lib/plan-domain';
import { factChanges, statusFactsOf, type ScheduleMemo } from '@lib/projections';
import crm from '../../plan-domain/src/scheduling/fixtures/crm-rollout.plan.json';
import { startProjectionHarness } from './plan-log.harness';

const FALLBACK_START = '2027-03-01';

/** edits a planner makes, each touching something the schedule depends on (or not at all) */
const EDITS: ReadonlyArray<[string, (plan: PlanDoc) => void]> = [
  ['a task renamed', (plan) => plan.updateTask('t03', { title: 'Stakeholder workshops' })],
  ['a task finished', (plan) => plan.updateTask('t01', { percentComplete: 100, status: 'done' })],
  ['a task in progress', (plan) => plan.updateTask('t02', { percentComplete: 50 })],
  ['a longer task', (plan) => plan.updateTask('t05', { durationDays: 16 })],
  ['working days', (plan) => plan.setMeta({ calendarMode: 'working-days' })],
  [
    'a holiday',
    (plan) =>
      plan.setMeta({
        calendar: { workingWeekdays: [1, 2, 3, 4, 5], holidays: [{ date: '2027-04-05' }] },
      }),
  ],
  ['a six-day week', (plan) => plan.setMeta({ calendar: { workingWeekdays: [1, 2, 3, 4, 5, 6] } })],
  [
    'a start-no-earlier-than constraint',
    (plan) => plan.updateTask('t06', { constraint: { type: 'SNET', date: '2027-06-01' } }),
  ],
  ['the constraint moved', (plan) => plan.updateTask('t06', { constraint: { type: 'ALAP' } })],
  ['an actual start', (plan) => plan.updateTask('t03', { actualStart: '2027-03-20' })],
  ['an actual finish', (plan) => plan.updateTask('t03', { actualFinish: '2027-04-30' })],
  ['a status date', (plan) => plan.setMeta({ statusDate: '2027-05-15' })],
  ['progress behind the status date', (plan) => plan.updateTask('t02', { percentComplete: 60 })],
  ['a later plan start', (plan) => plan.setMeta({ start: '2027-03-08' })],
  ['a milestone date', (plan) => plan.updateMilestone('m02', { date: '2027-09-01' })],
  ['a milestone done', (plan) => plan.updateMilestone('m01', { status: 'done' })],
  [
    'a lag on a dependency',
    (plan) => {
      const [dependency] = plan.toJSON().tasks.find((t) => t.id === 't04')!.dependsOn;
      plan.removeDependency('t04', dependency.taskId);
      plan.addDependency('t04', { ...dependency, lagDays: 5 });
    },
  ],
  ['a risk scored higher', (plan) => plan.setRiskScore('r01', 5, 5)],
];

describe('status facts reusing the last schedule', () => {
  it('given a sequence of edits to what the schedule depends on, when the facts are derived after each with the kept schedule, then they equal the facts computed from scratch', () => {
    const plan = new PlanDoc(new Y.Doc());
    importPlan(plan.doc, crm as PlanFile);
    const memo: ScheduleMemo = {};
    let previous = statusFactsOf(plan.toJSON(), FALLBACK_START, memo);
    const changed: string[] = [];
    for (const [name, edit] of EDITS) {
      edit(plan);
      const json = plan.toJSON();
      const kept = statusFactsOf(json, FALLBACK_START, memo);
      expect({ edit: name, facts: kept }).toEqual({
        edit: name,
        facts: statusFactsOf(json, FALLBACK_START),
      });
      if (factChanges(previous, kept).length > 0) changed.push(name);
      previous = kept;
    }
    // the edits do move the facts (a sequence that changed nothing would prove nothing)
    expect(changed).toEqual(
      expect.arrayContaining([
        'a task finished',
        'a longer task',
        'a start-no-earlier-than constraint',
        'a holiday',
        'a status date',
        'a milestone date',
        'a risk scored higher',
      ]),
    );
  });
});

describe('the status history projected over a log of plan edits', () => {
  it('given edits to the plan settings alone (calendar, status date) projected in one batch, then each is recorded as the finish moving, as computing the facts afresh gives', async () => {
    const harness = await startProjectionHarness();
    try {
      const writer = harness.writer('settings');
      const at = (day: number) => `2027-03-${String(day).padStart(2, '0')}T09:00:00.000Z`;
      await writer.create('maria', at(1), 'CRM system rollout');
      await writer.edit('maria', at(1), (plan) => importPlan(plan.doc, crm as PlanFile));
      await writer.edit('ken', at(2), (plan) => plan.updateTask('t02', { percentComplete: 50 }));
      const expected = [statusFactsOf(writer.plan.toJSON(), FALLBACK_START).projectFinish];
      const edits: Array<(plan: PlanDoc) => void> = [
        (plan) => plan.setMeta({ calendarMode: 'working-days' }),
        (plan) => plan.setMeta({ calendar: { workingWeekdays: [1, 2, 3, 4] } }),
        (plan) => plan.setMeta({ statusDate: '2027-06-01' }),
      ];
      for (const [i, edit] of edits.entries()) {
        await writer.edit('maria', at(3 + i), edit);
        expected.push(statusFactsOf(writer.plan.toJSON(), FALLBACK_START).projectFinish);
      }
      // every finish differs from the one before: each edit is a change to record
      expect(new Set(expected).size).toBe(expected.length);

      const projections = await harness.open();
      await projections.catchUp();
      const history = (await projections.statusReports.history('settings', at(3)))!;
      expect(history.facts).toEqual(statusFactsOf(writer.plan.toJSON(), FALLBACK_START));
      expect(history.changesSince.filter((c) => c.kind === 'finish')).toEqual(
        expected
          .slice(1)
          .map((after, i) =>
            expect.objectContaining({ before: expected[i], after, at: at(3 + i) }),
          ),
      );
    } finally {
      await harness.close();
    }
  });
});
