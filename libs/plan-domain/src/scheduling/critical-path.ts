/**
 * Critical path method over calendar days (DESIGN.md, "Projections"): a forward pass for the
 * earliest dates, a backward pass from the project finish for the latest, total float and the
 * critical path. Cycles and dangling references are reported, never thrown.
 *
 *   computeSchedule({ planStart: '2027-03-01', activities: [
 *     { id: 'A', durationDays: 5 },
 *     { id: 'B', durationDays: 3, dependsOn: [{ taskId: 'A', type: 'FS', lagDays: 0 }] },
 *   ] }).projectFinish === '2027-03-09'
 */
import { buildActivityGraph, compareIds, type Link } from './activity-graph';
import { epochDayOf, isoDateOfEpochDay, requireEpochDay } from './calendar-days';
import { baselineEntryFor, measureSlippage } from './baseline-slippage';
import { rollUpPhases, weightedPercentComplete } from './phase-rollup';
import type {
  ActivityInput,
  InvalidActivityDate,
  Schedule,
  ScheduledActivity,
  ScheduleInput,
} from './schedule.model';

interface Span {
  readonly start: number;
  readonly finish: number;
}

/**
 * Schedules the activities. Throws only for an invalid `planStart` (a caller error); problems
 * inside the activities end up in `issues`.
 */
export function computeSchedule(input: ScheduleInput): Schedule {
  const planStartDay = requireEpochDay('planStart', input.planStart);
  const { activities, duplicateIds } = firstOccurrences(input.activities);
  const byId = new Map(activities.map((a) => [a.id, a]));
  const graph = buildActivityGraph(activities);
  const invalidDates: InvalidActivityDate[] = [];

  const durationOf = (id: string): number => {
    const activity = byId.get(id) as ActivityInput;
    return activity.milestone === true ? 0 : activity.durationDays;
  };

  const early = new Map<string, Span>();
  for (const id of graph.order) {
    const duration = durationOf(id);
    // The plan start is a floor for everyone, so a negative lag or an FF/SF link to a long
    // successor never schedules work before the plan begins.
    let start = Math.max(
      0,
      notBeforeDay(byId.get(id) as ActivityInput, planStartDay, invalidDates),
    );
    for (const link of graph.incoming.get(id) ?? []) {
      start = Math.max(
        start,
        earliestStartAllowedBy(link, early.get(link.predecessorId) as Span, duration),
      );
    }
    early.set(id, { start, finish: start + duration });
  }

  let projectFinishDay = 0;
  for (const span of early.values()) projectFinishDay = Math.max(projectFinishDay, span.finish);

  const late = new Map<string, Span>();
  for (let i = graph.order.length - 1; i >= 0; i--) {
    const id = graph.order[i];
    const duration = durationOf(id);
    // Capped at the project finish even with successors: an SS/SF successor can otherwise
    // leave a predecessor that ends the project looking as if it had float.
    let finish = projectFinishDay;
    for (const link of graph.outgoing.get(id) ?? []) {
      finish = Math.min(
        finish,
        latestFinishAllowedBy(link, late.get(link.successorId) as Span, duration),
      );
    }
    late.set(id, { start: finish - duration, finish });
  }

  const dateOf = (day: number): string => isoDateOfEpochDay(planStartDay + day);
  const scheduled = graph.order.map((id): ScheduledActivity => {
    const activity = byId.get(id) as ActivityInput;
    const { start: es, finish: ef } = early.get(id) as Span;
    const { start: ls, finish: lf } = late.get(id) as Span;
    const baselineEntry = baselineEntryFor(input.baseline, id);
    const slippage =
      baselineEntry === null
        ? null
        : measureSlippage(baselineEntry, planStartDay + es, planStartDay + ef);
    if (baselineEntry !== null && slippage === null) {
      invalidDates.push({ activityId: id, field: 'baseline', value: baselineEntry });
    }
    return {
      id,
      phaseId: activity.phaseId ?? null,
      milestone: activity.milestone === true,
      durationDays: durationOf(id),
      percentComplete: activity.percentComplete ?? 0,
      es,
      ef,
      ls,
      lf,
      totalFloat: ls - es,
      critical: ls === es,
      start: dateOf(es),
      finish: dateOf(ef),
      lateStart: dateOf(ls),
      lateFinish: dateOf(lf),
      slippage,
    };
  });

  return {
    planStart: input.planStart,
    projectFinishDay,
    projectFinish: dateOf(projectFinishDay),
    percentComplete: weightedPercentComplete(scheduled),
    activities: scheduled,
    criticalPath: scheduled.filter((a) => a.critical).map((a) => a.id),
    phases: rollUpPhases(scheduled, planStartDay),
    issues: {
      cycles: graph.cycles,
      ignoredDependencies: graph.ignoredDependencies,
      duplicateIds,
      invalidDates: invalidDates.sort((a, b) => compareIds(a.activityId, b.activityId)),
    },
  };
}

/** ES(successor) lower bound from one link, given the predecessor's early span. */
function earliestStartAllowedBy(link: Link, predecessor: Span, successorDuration: number): number {
  switch (link.type) {
    case 'FS':
      return predecessor.finish + link.lagDays;
    case 'SS':
      return predecessor.start + link.lagDays;
    case 'FF':
      return predecessor.finish + link.lagDays - successorDuration;
    case 'SF':
      return predecessor.start + link.lagDays - successorDuration;
    default:
      return unknownLinkType(link.type);
  }
}

/**
 * LF(predecessor) upper bound from one link, given the successor's late span: the same
 * inequality as the forward pass, solved for the predecessor's finish.
 */
function latestFinishAllowedBy(link: Link, successor: Span, predecessorDuration: number): number {
  switch (link.type) {
    case 'FS':
      return successor.start - link.lagDays;
    case 'SS':
      return successor.start - link.lagDays + predecessorDuration;
    case 'FF':
      return successor.finish - link.lagDays;
    case 'SF':
      return successor.finish - link.lagDays + predecessorDuration;
    default:
      return unknownLinkType(link.type);
  }
}

/** Compile-time exhaustiveness; at run time the graph has already set unknown types aside. */
function unknownLinkType(type: never): never {
  throw new Error(`unhandled dependency type ${String(type)}`);
}

/** The activity's own "not before" day, or -Infinity when it has none (or an unreadable one). */
function notBeforeDay(
  activity: ActivityInput,
  planStartDay: number,
  invalidDates: InvalidActivityDate[],
): number {
  if (activity.start === undefined || activity.start === null || activity.start === '')
    return -Infinity;
  const day = epochDayOf(activity.start);
  if (day === null) {
    invalidDates.push({ activityId: activity.id, field: 'start', value: activity.start });
    return -Infinity;
  }
  return day - planStartDay;
}

function firstOccurrences(activities: readonly ActivityInput[]): {
  activities: ActivityInput[];
  duplicateIds: string[];
} {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  const unique: ActivityInput[] = [];
  for (const activity of activities) {
    if (seen.has(activity.id)) duplicates.add(activity.id);
    else {
      seen.add(activity.id);
      unique.push(activity);
    }
  }
  return { activities: unique, duplicateIds: [...duplicates].sort() };
}
