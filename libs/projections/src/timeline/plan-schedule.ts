/**
 * A plan as scheduler input: tasks and milestones (a separate collection in PlanJson) become
 * one list of activities. The document is a CRDT any client writes to, so values that break
 * the schema are set aside and reported here instead of reaching the scheduler, which trusts
 * durations and lags to be whole days.
 */
import {
  CONSTRAINT_TYPES,
  epochDayOf,
  isoDateOfEpochDay,
  isIsoDate,
  NoWorkingDaysError,
  WorkCalendar,
  type ActivityInput,
  type Baseline,
  type CalendarMode,
  type Dependency,
  type IsoDate,
  type LevelingActivity,
  type LevelingInput,
  type PlanJson,
  type ScheduleConstraint,
  type ScheduleInput,
} from '@lib/plan-domain';

/** Where the schedule's day 0 came from. */
export type PlanStartSource = 'plan' | 'earliest-activity' | 'fallback';

/** A value the schedule could not use as stored; the activity is scheduled without it. */
export interface UnusableActivityValue {
  readonly activityId: string;
  readonly field: 'durationDays' | 'dependsOn' | 'percentComplete' | 'constraint';
  readonly value: unknown;
}

export interface PlanScheduleInput {
  readonly input: ScheduleInput;
  readonly planStartSource: PlanStartSource;
  /** meta.start when it is set but is not a date */
  readonly invalidPlanStart: unknown;
  /**
   * How days are counted: plans without `calendarMode` were made before calendars and keep
   * calendar days.
   */
  readonly calendarMode: CalendarMode;
  /** meta.calendar when it cannot be used (no working weekday); Mon–Fri is used instead */
  readonly invalidCalendar: unknown;
  /** meta.statusDate when it is set but is not a date (progress is then not dated) */
  readonly invalidStatusDate: unknown;
  readonly unusableValues: readonly UnusableActivityValue[];
}

export interface PlanScheduleOptions {
  readonly baseline?: Baseline;
  /**
   * Day 0 when the plan has no usable start and no activity has a date. Any date gives the
   * same day numbers then (nothing is pinned to a date); it only decides the calendar dates.
   */
  readonly fallbackStart: IsoDate;
}

export function planScheduleInput(plan: PlanJson, options: PlanScheduleOptions): PlanScheduleInput {
  const unusableValues: UnusableActivityValue[] = [];
  const activities: ActivityInput[] = [
    ...plan.tasks.map((task): ActivityInput => ({
      id: task.id,
      durationDays: wholeDays(task.id, 'durationDays', task.durationDays, unusableValues),
      start: typeof task.start === 'string' ? task.start : null,
      phaseId: typeof task.phaseId === 'string' ? task.phaseId : null,
      percentComplete: percent(task.id, task.percentComplete, unusableValues),
      dependsOn: dependencies(task.id, task.dependsOn, unusableValues),
      constraint: constraint(task.id, task.constraint, unusableValues),
      actualStart: isIsoDate(task.actualStart) ? task.actualStart : null,
      actualFinish: isIsoDate(task.actualFinish) ? task.actualFinish : null,
    })),
    ...plan.milestones.map((milestone): ActivityInput => ({
      id: milestone.id,
      durationDays: 0,
      milestone: true,
      // a milestone's date is its "not before": it is reached on that day at the earliest
      start: typeof milestone.date === 'string' ? milestone.date : null,
      phaseId: typeof milestone.phaseId === 'string' ? milestone.phaseId : null,
      percentComplete: milestone.status === 'done' ? 100 : 0,
      dependsOn: dependencies(milestone.id, milestone.dependsOn, unusableValues),
    })),
  ];

  const metaStart: unknown = plan.meta.start;
  const invalidPlanStart =
    metaStart === undefined ||
    metaStart === null ||
    metaStart === '' ||
    epochDayOf(metaStart) !== null
      ? undefined
      : metaStart;
  let planStart: IsoDate;
  let planStartSource: PlanStartSource;
  if (typeof metaStart === 'string' && epochDayOf(metaStart) !== null) {
    planStart = metaStart;
    planStartSource = 'plan';
  } else {
    const earliest = earliestActivityDay(activities);
    planStart = earliest === null ? options.fallbackStart : isoDateOfEpochDay(earliest);
    planStartSource = earliest === null ? 'fallback' : 'earliest-activity';
  }
  const calendarMode: CalendarMode =
    plan.meta.calendarMode === 'working-days' ? 'working-days' : 'calendar-days';
  let calendar: WorkCalendar | undefined;
  let invalidCalendar: unknown;
  if (calendarMode === 'working-days') {
    try {
      calendar = WorkCalendar.of(isRecord(plan.meta.calendar) ? plan.meta.calendar : undefined);
    } catch (error) {
      if (!(error instanceof NoWorkingDaysError)) throw error;
      invalidCalendar = plan.meta.calendar;
      calendar = WorkCalendar.of(undefined);
    }
  }
  const statusDate: unknown = plan.meta.statusDate;
  return {
    input: {
      planStart,
      activities,
      baseline: options.baseline,
      calendar,
      statusDate: isIsoDate(statusDate) ? statusDate : null,
    },
    planStartSource,
    invalidPlanStart,
    calendarMode,
    invalidCalendar: invalidCalendar ?? null,
    invalidStatusDate:
      statusDate === undefined || statusDate === null || isIsoDate(statusDate) ? null : statusDate,
    unusableValues,
  };
}

/**
 * The plan as leveling input: its schedule input, and for each task the people and equipment
 * doing it (assignees and non-budget resourceIds) and its priority.
 */
export function planLevelingInput(plan: PlanJson, options: PlanScheduleOptions): LevelingInput {
  const { input } = planScheduleInput(plan, options);
  const budgets = new Set(plan.resources.filter((r) => r.kind === 'budget').map((r) => r.id));
  const tasks = new Map(plan.tasks.map((t) => [t.id, t]));
  const ids = (value: unknown): string[] =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];
  return {
    ...input,
    activities: input.activities.map((activity): LevelingActivity => {
      const task = tasks.get(activity.id);
      return {
        ...activity,
        resourceIds: [
          ...new Set(
            [...ids(task?.assignees), ...ids(task?.resourceIds)].filter((id) => !budgets.has(id)),
          ),
        ],
        priority: typeof task?.priority === 'number' ? task.priority : null,
      };
    }),
    resources: plan.resources
      .filter((r) => r.kind !== 'budget')
      .map((r) => ({
        id: r.id,
        maxUnits: typeof r.maxUnits === 'number' ? r.maxUnits : null,
        calendar: isRecord(r.calendar) ? r.calendar : null,
      })),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function constraint(
  id: string,
  value: unknown,
  unusable: UnusableActivityValue[],
): ScheduleConstraint | null {
  if (value === undefined || value === null) return null;
  const candidate = value as Partial<Record<keyof ScheduleConstraint, unknown>>;
  const type = CONSTRAINT_TYPES.find((t) => t === candidate.type);
  const dated = type !== 'ASAP' && type !== 'ALAP';
  if (!isRecord(value) || type === undefined || (dated && !isIsoDate(candidate.date))) {
    unusable.push({ activityId: id, field: 'constraint', value });
    return null;
  }
  return dated ? { type, date: candidate.date as IsoDate } : { type };
}

function earliestActivityDay(activities: readonly ActivityInput[]): number | null {
  let earliest: number | null = null;
  for (const activity of activities) {
    const day = epochDayOf(activity.start);
    if (day !== null && (earliest === null || day < earliest)) earliest = day;
  }
  return earliest;
}

function wholeDays(
  id: string,
  field: 'durationDays',
  value: unknown,
  unusable: UnusableActivityValue[],
): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  unusable.push({ activityId: id, field, value });
  return 0;
}

function percent(id: string, value: unknown, unusable: UnusableActivityValue[]): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 100)
    return value;
  unusable.push({ activityId: id, field: 'percentComplete', value });
  return 0;
}

/**
 * Links the scheduler can read. An unknown type or id is left in: the scheduler reports those
 * itself (ignoredDependencies); only entries it cannot even read are dropped here.
 */
function dependencies(id: string, value: unknown, unusable: UnusableActivityValue[]): Dependency[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    unusable.push({ activityId: id, field: 'dependsOn', value });
    return [];
  }
  const links: Dependency[] = [];
  for (const entry of value as unknown[]) {
    const link = entry as Partial<Record<keyof Dependency, unknown>> | null;
    const lag = link?.lagDays ?? 0;
    if (
      typeof link !== 'object' ||
      link === null ||
      typeof link.taskId !== 'string' ||
      typeof link.type !== 'string' ||
      typeof lag !== 'number' ||
      !Number.isInteger(lag)
    ) {
      unusable.push({ activityId: id, field: 'dependsOn', value: entry });
      continue;
    }
    links.push({
      taskId: link.taskId,
      type: link.type as Dependency['type'],
      lagDays: lag,
      lagKind: link.lagKind === 'elapsed' ? 'elapsed' : 'working',
    });
  }
  return links;
}
