/**
 * A plan as scheduler input: tasks and milestones (a separate collection in PlanJson) become
 * one list of activities. The document is a CRDT any client writes to, so values that break
 * the schema are set aside and reported here instead of reaching the scheduler, which trusts
 * durations and lags to be whole days.
 */
import {
  epochDayOf,
  isoDateOfEpochDay,
  type ActivityInput,
  type Baseline,
  type Dependency,
  type IsoDate,
  type PlanJson,
  type ScheduleInput,
} from '@lib/plan-domain';

/** Where the schedule's day 0 came from. */
export type PlanStartSource = 'plan' | 'earliest-activity' | 'fallback';

/** A value the schedule could not use as stored; the activity is scheduled without it. */
export interface UnusableActivityValue {
  readonly activityId: string;
  readonly field: 'durationDays' | 'dependsOn' | 'percentComplete';
  readonly value: unknown;
}

export interface PlanScheduleInput {
  readonly input: ScheduleInput;
  readonly planStartSource: PlanStartSource;
  /** meta.start when it is set but is not a date */
  readonly invalidPlanStart: unknown;
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
  return {
    input: { planStart, activities, baseline: options.baseline },
    planStartSource,
    invalidPlanStart,
    unusableValues,
  };
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
