/** The schedule the timeline would show for a plan: the CPM over its tasks and milestones. */
import { computeSchedule, type PlanJson, type Schedule } from '@lib/plan-domain';

export function scheduleOf(plan: PlanJson): Schedule {
  return computeSchedule({
    planStart: plan.meta.start!,
    activities: [
      ...plan.tasks.map((t) => ({
        id: t.id,
        durationDays: t.durationDays,
        start: t.start ?? null,
        phaseId: t.phaseId ?? null,
        percentComplete: t.percentComplete,
        dependsOn: t.dependsOn,
      })),
      ...plan.milestones.map((m) => ({
        id: m.id,
        durationDays: 0,
        milestone: true,
        start: m.date ?? null,
        phaseId: m.phaseId ?? null,
        dependsOn: m.dependsOn,
      })),
    ],
  });
}

/** What a schedule says about each activity, comparable across imports. */
export function scheduleFacts(plan: PlanJson) {
  const schedule = scheduleOf(plan);
  return {
    projectFinish: schedule.projectFinish,
    criticalPath: [...schedule.criticalPath].sort(),
    activities: Object.fromEntries(
      schedule.activities.map((a) => [
        a.id,
        {
          start: a.start,
          finish: a.finish,
          lateStart: a.lateStart,
          totalFloat: a.totalFloat,
          critical: a.critical,
        },
      ]),
    ),
    phases: schedule.phases.map((p) => ({ id: p.phaseId, start: p.start, finish: p.finish })),
  };
}
