/**
 * What the Gantt chart draws, from either source: the server's timeline read model
 * (`GET /plans/:id/timeline`) or, where the server has no such route, the same critical-path
 * method run in the browser over the live document (`computeSchedule` from plan-domain).
 */
import {
  computeSchedule,
  CONSTRAINT_TYPES,
  epochDayOf,
  isoDateOfEpochDay,
  WorkCalendar,
  type ActivityInput,
  type Dependency,
  type PlanJson,
  type ScheduleConstraint,
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
  /**
   * Calendar days from the plan start, which is what the chart draws (so weekends and holidays
   * show): the first day of work and the day after the last one (the start for milestones).
   */
  readonly startDay: number;
  readonly endDay: number;
  /** the day after the latest allowed last work day: where the float line ends */
  readonly lateEndDay: number;
  readonly constraint: ScheduleConstraint | null;
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
  /** calendar days the chart spans, from the plan start */
  readonly spanDays: number;
  /** calendar days (from the plan start) that do not work, to shade */
  readonly nonWorkingDays: readonly number[];
  /** activities whose date constraint cannot hold */
  readonly conflictIds: readonly string[];
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
      constraint: constraintOf(task.constraint),
      actualStart: typeof task.actualStart === 'string' ? task.actualStart : null,
      actualFinish: typeof task.actualFinish === 'string' ? task.actualFinish : null,
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
  const schedule = computeSchedule({
    planStart: planStartOf(plan, activities, today),
    activities,
    calendar: calendarOf(plan),
    statusDate: typeof plan.meta.statusDate === 'string' ? plan.meta.statusDate : null,
  });
  const titles = titlesOf(plan);
  const offset = offsetFrom(schedule.planStart);
  return {
    source: 'browser',
    planStart: schedule.planStart,
    projectFinish: schedule.projectFinish,
    projectFinishDay: schedule.projectFinishDay,
    criticalPath: schedule.criticalPath,
    cycles: schedule.issues.cycles,
    ...calendarSpan(
      plan,
      schedule.planStart,
      schedule.activities.map((a) => a.lateFinish),
    ),
    conflictIds: schedule.constraintConflicts.map((c) => c.activityId),
    bars: schedule.activities.map((a) => ({
      ...days(offset, a),
      constraint: a.constraint,
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
  const planStart = String(timeline.planStart ?? '');
  const offset = offsetFrom(planStart);
  const conflicts = Array.isArray(timeline.constraintConflicts)
    ? (timeline.constraintConflicts as { activityId?: unknown }[])
    : [];
  return {
    source: 'server',
    ...calendarSpan(
      plan,
      planStart,
      activities.map((a) => String(a.lateFinish ?? a.finish)),
    ),
    conflictIds: conflicts.map((c) => String(c.activityId)),
    planStart: String(timeline.planStart ?? ''),
    projectFinish: String(timeline.projectFinish ?? ''),
    projectFinishDay: Number(timeline.projectFinishDay ?? 0),
    criticalPath: Array.isArray(timeline.criticalPath) ? timeline.criticalPath.map(String) : [],
    cycles: ((timeline.issues as { cycles?: string[][] } | undefined)?.cycles ?? []).map((c) =>
      c.map(String),
    ),
    bars: activities.map((a) => {
      const id = String(a.id);
      const start = String(a.start);
      return {
        ...days(offset, {
          start,
          finish: String(a.finish),
          lastWorkDay: String(a.lastWorkDay ?? a.finish),
          lateFinish: String(a.lateFinish ?? a.finish),
          milestone: a.milestone === true || a.kind === 'milestone',
        }),
        constraint: constraintOf(a.constraint),
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

/** Calendar-day offsets of an activity, for drawing. */
function days(
  offset: (date: string) => number,
  a: {
    start: string;
    finish: string;
    lastWorkDay: string;
    lateFinish: string;
    milestone: boolean;
  },
): Pick<TimelineBar, 'startDay' | 'endDay' | 'lateEndDay'> {
  const startDay = offset(a.start);
  // the last work day + 1; a milestone sits on its date
  const endDay = a.milestone ? startDay : Math.max(startDay + 1, offset(a.lastWorkDay) + 1);
  // lateFinish is the first working day after the latest allowed work: draw to it
  return { startDay, endDay, lateEndDay: Math.max(endDay, offset(a.lateFinish)) };
}

function offsetFrom(planStart: string): (date: string) => number {
  const origin = epochDayOf(planStart) ?? 0;
  return (date) => (epochDayOf(date) ?? origin) - origin;
}

/** The plan's working calendar; undefined in calendar-days mode (every day works). */
function calendarOf(plan: PlanJson): WorkCalendar | undefined {
  if (plan.meta.calendarMode !== 'working-days') return undefined;
  try {
    return WorkCalendar.of(
      typeof plan.meta.calendar === 'object' && plan.meta.calendar !== null
        ? plan.meta.calendar
        : undefined,
    );
  } catch {
    // a calendar without working weekdays: the server schedules on Mon–Fri then, as do we
    return WorkCalendar.of(undefined);
  }
}

function calendarSpan(
  plan: PlanJson,
  planStart: string,
  lateFinishes: readonly string[],
): Pick<TimelineView, 'spanDays' | 'nonWorkingDays'> {
  const origin = epochDayOf(planStart);
  if (origin === null) return { spanDays: 1, nonWorkingDays: [] };
  const last = Math.max(origin + 1, ...lateFinishes.map((d) => epochDayOf(d) ?? origin));
  const spanDays = last - origin + 1;
  const calendar = calendarOf(plan);
  const nonWorkingDays: number[] = [];
  if (calendar)
    for (let day = 0; day < spanDays; day++)
      if (!calendar.isWorkingDay(origin + day)) nonWorkingDays.push(day);
  return { spanDays, nonWorkingDays };
}

function constraintOf(value: unknown): ScheduleConstraint | null {
  if (typeof value !== 'object' || value === null) return null;
  const { type, date } = value as { type?: unknown; date?: unknown };
  const known = CONSTRAINT_TYPES.find((t) => t === type);
  if (known === undefined) return null;
  return typeof date === 'string' ? { type: known, date } : { type: known };
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
