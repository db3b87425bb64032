/**
 * The shared sample plan against its schedule computed independently (copies of
 * shared/fixtures/crm-rollout.*.json, kept byte-identical so the repo is self-contained).
 */
import plan from './fixtures/crm-rollout.plan.json';
import expected from './fixtures/crm-rollout.expected-timeline.json';
import { DEPENDENCY_TYPES, type DependencyType } from './activity-graph';
import { computeSchedule } from './critical-path';
import type { ActivityInput } from './schedule.model';

function dependencyType(type: string): DependencyType {
  const known = DEPENDENCY_TYPES.find((t) => t === type);
  if (known === undefined) throw new Error(`fixture has dependency type ${type}`);
  return known;
}

const activities: ActivityInput[] = plan.tasks.map((task) => ({
  id: task.id,
  durationDays: task.durationDays,
  milestone: task.milestone,
  phaseId: task.phaseId,
  percentComplete: task.percentComplete,
  dependsOn: task.dependsOn.map((d) => ({ ...d, type: dependencyType(d.type) })),
}));

describe('critical path on the CRM rollout plan', () => {
  const schedule = computeSchedule({ planStart: plan.meta.start, activities });

  it('given the sample plan, when scheduled, then every task matches the independent computation', () => {
    const actual = Object.fromEntries(
      schedule.activities.map((a) => [
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
    expect(actual).toEqual(expected.tasks);
  });

  it('given the sample plan, when scheduled, then the project finish and critical path match', () => {
    expect(schedule.projectFinishDay).toBe(expected.projectFinishDay);
    expect(schedule.projectFinish).toBe(expected.projectFinish);
    expect(schedule.criticalPath).toEqual(expected.criticalPath);
  });

  it('given the sample plan, when scheduled, then it reports no issues', () => {
    expect(schedule.issues).toEqual({
      cycles: [],
      ignoredDependencies: [],
      duplicateIds: [],
      invalidDates: [],
    });
  });

  it('given the five phases, when rolled up, then each spans its tasks and discovery is critical', () => {
    expect(schedule.phases.map((p) => [p.phaseId, p.start, p.finish, p.activityCount])).toEqual([
      ['ph-build', '2027-03-27', '2027-05-03', 8],
      ['ph-design', '2027-03-15', '2027-03-27', 5],
      ['ph-discovery', '2027-03-01', '2027-03-15', 6],
      ['ph-migrate', '2027-03-25', '2027-04-22', 4],
      ['ph-rollout', '2027-04-01', '2027-06-02', 11],
    ]);
    expect(schedule.phases.find((p) => p.phaseId === 'ph-discovery')?.critical).toBe(true);
  });

  it('given the activities in reverse order, when scheduled, then the output is identical', () => {
    const reversed = computeSchedule({
      planStart: plan.meta.start,
      activities: [...activities].reverse(),
    });
    expect(reversed).toEqual(schedule);
  });
});
