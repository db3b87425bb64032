/**
 * What the Gantt chart draws, from either source: the server's timeline read model
 * (`GET /plans/:id/timeline`) or, where the server has no such route, the same critical-path
 * method run in the browser over the live document (`computeSchedule` from plan-domain).
 */
import {
  computeSchedule,
  epochDayOf,
  isoDateOfEpochDay,
  type ActivityInput,
  type Dependency,
  type PlanJson,
} from '@lib/plan-domain';

export interface TimelineBar {
  readonly id: string;
  readonly title: string;
  readonly milestone: boolean;
  readonly phaseId: string | null;
  readonly es: number;
  readonly ef: number;
  readonly start: string;
  readonly finish: string;
  readonly totalFloat: number;
  readonly critical: boolean;
  readonly percentComplete: number;
}

export interface TimelineView {
  readonly source: 'server' | 'browser';
  readonly planStart: string;
  readonly projectFinish: string;
  readonly projectFinishDay: number;
  /** critical activity ids in topological order */
  readonly criticalPath: readonly string[];
  readonly bars: readonly TimelineBar[];
  /** activities left out because they are in a dependency cycle */
  readonly cycles: readonly (readonly string[])[];
}

/** The schedule of the live document, the way the timeline projection computes it. */
export function scheduleInBrowser(plan: PlanJson, today: string): TimelineView {
  const activities: ActivityInput[] = [
    ...plan.tasks.map((task) => ({
      id: task.id,
      durationDays:
        Number.isInteger(task.durationDays) && task.durationDays >= 0 ? task.durationDays : 0,
      start: typeof task.start === 'string' ? task.start : null,
      phaseId: task.phaseId ?? null,
      percentComplete: typeof task.percentComplete === 'number' ? task.percentComplete : 0,
      dependsOn: dependencies(task.dependsOn),
    })),
    ...plan.milestones.map((milestone) => ({
      id: milestone.id,
      durationDays: 0,
      milestone: true,
      start: typeof milestone.date === 'string' ? milestone.date : null,
      phaseId: milestone.phaseId ?? null,
      percentComplete: milestone.status === 'done' ? 100 : 0,
      dependsOn: dependencies(milestone.dependsOn),
    })),
  ];
  const schedule = computeSchedule({ planStart: planStartOf(plan, activities, today), activities });
  const titles = titlesOf(plan);
  return {
    source: 'browser',
    planStart: schedule.planStart,
    projectFinish: schedule.projectFinish,
    projectFinishDay: schedule.projectFinishDay,
    criticalPath: schedule.criticalPath,
    cycles: schedule.issues.cycles,
    bars: schedule.activities.map((a) => ({
      id: a.id,
      title: titles.get(a.id) ?? a.id,
      milestone: a.milestone,
      phaseId: a.phaseId,
      es: a.es,
      ef: a.ef,
      start: a.start,
      finish: a.finish,
      totalFloat: a.totalFloat,
      critical: a.critical,
      percentComplete: a.percentComplete,
    })),
  };
}

/** The server's timeline read model, read defensively: titles fall back to the live plan. */
export function timelineFromServer(body: unknown, plan: PlanJson): TimelineView {
  const timeline = ((body as { timeline?: unknown }).timeline ?? body) as Record<string, unknown>;
  const titles = titlesOf(plan);
  const activities = Array.isArray(timeline.activities)
    ? (timeline.activities as Record<string, unknown>[])
    : [];
  return {
    source: 'server',
    planStart: String(timeline.planStart ?? ''),
    projectFinish: String(timeline.projectFinish ?? ''),
    projectFinishDay: Number(timeline.projectFinishDay ?? 0),
    criticalPath: Array.isArray(timeline.criticalPath) ? timeline.criticalPath.map(String) : [],
    cycles: ((timeline.issues as { cycles?: string[][] } | undefined)?.cycles ?? []).map((c) =>
      c.map(String),
    ),
    bars: activities.map((a) => {
      const id = String(a.id);
      return {
        id,
        title: typeof a.title === 'string' ? a.title : (titles.get(id) ?? id),
        milestone: a.milestone === true || a.kind === 'milestone',
        phaseId: typeof a.phaseId === 'string' ? a.phaseId : null,
        es: Number(a.es),
        ef: Number(a.ef),
        start: String(a.start),
        finish: String(a.finish),
        totalFloat: Number(a.totalFloat),
        critical: a.critical === true,
        percentComplete: Number(a.percentComplete ?? 0),
      };
    }),
  };
}

function dependencies(value: unknown): Dependency[] {
  return Array.isArray(value) ? (value as Dependency[]) : [];
}

function titlesOf(plan: PlanJson): Map<string, string> {
  return new Map([...plan.tasks, ...plan.milestones].map((item) => [item.id, item.title]));
}

function planStartOf(plan: PlanJson, activities: readonly ActivityInput[], today: string): string {
  if (typeof plan.meta.start === 'string' && epochDayOf(plan.meta.start) !== null)
    return plan.meta.start;
  const days = activities.map((a) => epochDayOf(a.start)).filter((d): d is number => d !== null);
  return days.length > 0 ? isoDateOfEpochDay(Math.min(...days)) : today;
}

export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}
