/**
 * Critical path method on the working-day axis (DESIGN.md, "Projections"; work-calendar.ts): a
 * forward pass for the earliest dates, a backward pass from the project finish for the latest,
 * total float and the critical path. Date constraints, actual progress and a status date shape
 * both passes; constraints the logic cannot meet, cycles and dangling references are reported,
 * never thrown.
 *
 *   computeSchedule({ planStart: '2027-03-01', activities: [
 *     { id: 'A', durationDays: 5 },
 *     { id: 'B', durationDays: 3, dependsOn: [{ taskId: 'A', type: 'FS', lagDays: 0 }] },
 *   ] }).projectFinish === '2027-03-09'
 *
 * With `calendar: WorkCalendar.of({})` (Mon–Fri) the same plan finishes on day 8, the
 * Thursday 2027-03-11: A works Mon 1 – Fri 5, B Mon 8 – Wed 10.
 */
import { buildActivityGraph, compareIds, type ActivityGraph } from './activity-graph';
import { epochDayOf, isoDateOfEpochDay, requireEpochDay } from './calendar-days';
import { baselineEntryFor, measureSlippage } from './baseline-slippage';
import { earliestStartAllowedBy, latestFinishAllowedBy, type Span } from './link-bounds';
import { rollUpPhases, weightedPercentComplete } from './phase-rollup';
import type {
  ActivityInput,
  ConstraintConflict,
  InvalidActivityDate,
  ProgressState,
  Schedule,
  ScheduleConstraint,
  ScheduledActivity,
  ScheduleInput,
  StartDriver,
} from './schedule.model';
import { WorkCalendar, workingDayAxis, type WorkingDayAxis } from './work-calendar';

/** What the passes need to know of one activity, read once. */
interface Prepared {
  readonly activity: ActivityInput;
  readonly plannedDuration: number;
  readonly progress: ProgressState;
  readonly percent: number;
  readonly notBefore: number | null;
  readonly constraint: ScheduleConstraint | null;
  /** the constraint date as an epoch day; null for ASAP/ALAP */
  readonly constraintDay: number | null;
  readonly actualStart: number | null;
  readonly actualFinish: number | null;
}

/**
 * Schedules the activities. Throws only for an invalid `planStart` or `statusDate` (caller
 * errors); problems inside the activities end up in `issues`.
 */
export function computeSchedule(input: ScheduleInput): Schedule {
  const planStartDay = requireEpochDay('planStart', input.planStart);
  const statusDay =
    input.statusDate === undefined || input.statusDate === null
      ? null
      : requireEpochDay('statusDate', input.statusDate);
  const axis = workingDayAxis(input.calendar ?? WorkCalendar.allDays(), planStartDay);
  const { activities, duplicateIds } = firstOccurrences(input.activities);
  const graph = buildActivityGraph(activities);
  const invalidDates: InvalidActivityDate[] = [];
  const prepared = new Map(activities.map((a) => [a.id, prepare(a, axis, invalidDates)] as const));
  // unfinished work resumes on the first working day after the status date
  const resumeDay = statusDay === null ? null : axis.ceil(statusDay + 1);

  const { early, drivers } = forwardPass(graph, prepared, axis, resumeDay);
  let projectFinishDay = 0;
  for (const span of early.values()) projectFinishDay = Math.max(projectFinishDay, span.finish);
  placeAsLateAsPossible(graph, prepared, early, axis, projectFinishDay);
  const late = backwardPass(graph, prepared, early, axis, projectFinishDay);

  const dateOf = (day: number): string => axis.isoDateOf(day);
  const scheduled = graph.order.map((id): ScheduledActivity => {
    const item = prepared.get(id) as Prepared;
    const { start: es, finish: ef } = early.get(id) as Span;
    const { start: ls, finish: lf } = late.get(id) as Span;
    const baselineEntry = baselineEntryFor(input.baseline, id);
    const slippage =
      baselineEntry === null
        ? null
        : measureSlippage(baselineEntry, axis.dayOf(es), axis.dayOf(ef));
    if (baselineEntry !== null && slippage === null) {
      invalidDates.push({ activityId: id, field: 'baseline', value: baselineEntry });
    }
    const totalFloat = ls - es;
    return {
      id,
      phaseId: item.activity.phaseId ?? null,
      milestone: item.activity.milestone === true,
      durationDays: item.plannedDuration,
      percentComplete: item.percent,
      es,
      ef,
      ls,
      lf,
      totalFloat,
      critical: item.progress !== 'finished' && totalFloat <= 0,
      start: dateOf(es),
      finish: dateOf(ef),
      lateStart: dateOf(ls),
      lateFinish: dateOf(lf),
      lastWorkDay: dateOf(ef > es ? ef - 1 : es),
      constraint: item.constraint,
      progress: item.progress,
      remainingDays: remainingDays(item, es, ef),
      slippage,
    };
  });

  return {
    planStart: input.planStart,
    statusDate: statusDay === null ? null : isoDateOfEpochDay(statusDay),
    projectFinishDay,
    projectFinish: dateOf(projectFinishDay),
    percentComplete: weightedPercentComplete(scheduled),
    activities: scheduled,
    criticalPath: scheduled.filter((a) => a.critical).map((a) => a.id),
    phases: rollUpPhases(scheduled, dateOf),
    issues: {
      cycles: graph.cycles,
      ignoredDependencies: graph.ignoredDependencies,
      duplicateIds,
      invalidDates: invalidDates.sort((a, b) => compareIds(a.activityId, b.activityId)),
    },
    constraintConflicts: findConflicts(graph, prepared, early, drivers, axis),
  };
}

function forwardPass(
  graph: ActivityGraph,
  prepared: ReadonlyMap<string, Prepared>,
  axis: WorkingDayAxis,
  resumeDay: number | null,
): { early: Map<string, Span>; drivers: Map<string, StartDriver> } {
  const early = new Map<string, Span>();
  const drivers = new Map<string, StartDriver>();
  for (const id of graph.order) {
    const item = prepared.get(id) as Prepared;
    const duration = item.plannedDuration;
    // The plan start is a floor for everyone, so a negative lag or an FF/SF link to a long
    // successor never schedules work before the plan begins.
    let start = 0;
    let driver: StartDriver = { kind: 'plan-start' };
    const atLeast = (day: number, why: StartDriver): void => {
      if (day > start) {
        start = day;
        driver = why;
      }
    };
    if (item.notBefore !== null) atLeast(item.notBefore, { kind: 'start-date' });
    const { constraint, constraintDay } = item;
    if (constraint !== null && constraintDay !== null) {
      if (constraint.type === 'SNET' || constraint.type === 'MSO')
        atLeast(axis.startAtOrAfter(constraintDay), { kind: 'constraint' });
      if (constraint.type === 'FNET' || constraint.type === 'MFO')
        atLeast(axis.finishAtOrAfter(constraintDay + 1) - duration, { kind: 'constraint' });
    }
    for (const link of graph.incoming.get(id) ?? []) {
      atLeast(earliestStartAllowedBy(link, early.get(link.predecessorId) as Span, duration, axis), {
        kind: 'link',
        predecessorId: link.predecessorId,
      });
    }
    if (item.progress === 'not-started' && resumeDay !== null)
      atLeast(resumeDay, { kind: 'status-date' });

    let span: Span = { start, finish: start + duration };
    if (item.progress !== 'not-started') {
      span = progressSpan(item, start, resumeDay, axis);
      if (item.actualStart !== null) driver = { kind: 'actual' };
    }
    early.set(id, span);
    drivers.set(id, driver);
  }
  return { early, drivers };
}

/**
 * Work that has started keeps its actual start; finished work keeps its actual finish too.
 * Work in progress has `percent` of its duration done and the rest from the status date on
 * (or straight on, when it is ahead or there is no status date).
 */
function progressSpan(
  item: Prepared,
  logicalStart: number,
  resumeDay: number | null,
  axis: WorkingDayAxis,
): Span {
  const duration = item.plannedDuration;
  const start = item.actualStart === null ? logicalStart : axis.ceil(item.actualStart);
  if (item.progress === 'finished') {
    if (item.actualFinish === null) return { start, finish: start + duration };
    const finish = axis.floor(item.actualFinish) + 1;
    if (item.actualStart === null) return { start: finish - duration, finish };
    return { start, finish: Math.max(start, finish) };
  }
  const done = doneDays(item);
  const resume = Math.max(start + done, resumeDay ?? -Infinity);
  return { start, finish: resume + (duration - done) };
}

const doneDays = (item: Prepared): number =>
  Math.min(item.plannedDuration, Math.round((item.plannedDuration * item.percent) / 100));

function remainingDays(item: Prepared, es: number, ef: number): number {
  if (item.progress === 'finished') return 0;
  if (item.progress === 'not-started') return ef - es;
  return item.plannedDuration - doneDays(item);
}

/**
 * ALAP activities that have not started move as late as they can without moving anyone else:
 * into their free float, successors' early dates fixed. Reverse topological order lets an ALAP
 * activity follow an ALAP successor that moved first.
 */
function placeAsLateAsPossible(
  graph: ActivityGraph,
  prepared: ReadonlyMap<string, Prepared>,
  early: Map<string, Span>,
  axis: WorkingDayAxis,
  projectFinishDay: number,
): void {
  for (let i = graph.order.length - 1; i >= 0; i--) {
    const id = graph.order[i];
    const item = prepared.get(id) as Prepared;
    if (item.constraint?.type !== 'ALAP' || item.progress !== 'not-started') continue;
    const duration = item.plannedDuration;
    let finish = projectFinishDay;
    for (const link of graph.outgoing.get(id) ?? []) {
      finish = Math.min(
        finish,
        latestFinishAllowedBy(link, early.get(link.successorId) as Span, duration, axis),
      );
    }
    const current = early.get(id) as Span;
    if (finish > current.finish) early.set(id, { start: finish - duration, finish });
  }
}

function backwardPass(
  graph: ActivityGraph,
  prepared: ReadonlyMap<string, Prepared>,
  early: ReadonlyMap<string, Span>,
  axis: WorkingDayAxis,
  projectFinishDay: number,
): Map<string, Span> {
  const late = new Map<string, Span>();
  for (let i = graph.order.length - 1; i >= 0; i--) {
    const id = graph.order[i];
    const item = prepared.get(id) as Prepared;
    const span = early.get(id) as Span;
    const duration = span.finish - span.start;
    // Capped at the project finish even with successors: an SS/SF successor can otherwise
    // leave a predecessor that ends the project looking as if it had float.
    let finish = projectFinishDay;
    const { constraint, constraintDay } = item;
    if (constraint !== null && constraintDay !== null) {
      if (constraint.type === 'FNLT' || constraint.type === 'MFO')
        finish = Math.min(finish, axis.finishAtOrBefore(constraintDay + 1));
      if (constraint.type === 'SNLT' || constraint.type === 'MSO')
        finish = Math.min(finish, axis.startAtOrBefore(constraintDay) + duration);
    }
    for (const link of graph.outgoing.get(id) ?? []) {
      finish = Math.min(
        finish,
        latestFinishAllowedBy(link, late.get(link.successorId) as Span, duration, axis),
      );
    }
    late.set(id, { start: finish - duration, finish });
  }
  return late;
}

/** "No later than" and "must" constraints the early dates break, each with its driving chain. */
function findConflicts(
  graph: ActivityGraph,
  prepared: ReadonlyMap<string, Prepared>,
  early: ReadonlyMap<string, Span>,
  drivers: ReadonlyMap<string, StartDriver>,
  axis: WorkingDayAxis,
): ConstraintConflict[] {
  const conflicts: ConstraintConflict[] = [];
  for (const id of [...graph.order].sort(compareIds)) {
    const { constraint, constraintDay } = prepared.get(id) as Prepared;
    if (constraint === null || constraintDay === null) continue;
    const span = early.get(id) as Span;
    let overrun = 0;
    let scheduled = '';
    let allowed = '';
    if (constraint.type === 'SNLT' || constraint.type === 'MSO') {
      const latest = axis.startAtOrBefore(constraintDay);
      overrun = span.start - latest;
      scheduled = isoDateOfEpochDay(axis.dayOf(span.start));
      allowed = isoDateOfEpochDay(axis.dayOf(latest));
    } else if (constraint.type === 'FNLT' || constraint.type === 'MFO') {
      const latest = axis.finishAtOrBefore(constraintDay + 1);
      overrun = span.finish - latest;
      scheduled = isoDateOfEpochDay(
        axis.dayOf(span.finish > span.start ? span.finish - 1 : span.start),
      );
      allowed = isoDateOfEpochDay(axis.dayOf(latest - 1));
    }
    if (overrun <= 0) continue;
    const chain = [id];
    let driver = drivers.get(id) as StartDriver;
    while (driver.kind === 'link') {
      chain.unshift(driver.predecessorId);
      driver = drivers.get(driver.predecessorId) as StartDriver;
    }
    conflicts.push({
      activityId: id,
      constraint,
      scheduled,
      allowed,
      overrunDays: overrun,
      chain,
      chainStart: driver.kind,
    });
  }
  return conflicts;
}

function prepare(
  activity: ActivityInput,
  axis: WorkingDayAxis,
  invalidDates: InvalidActivityDate[],
): Prepared {
  const readDate = (
    field: 'start' | 'actualStart' | 'actualFinish',
    value: string | null | undefined,
  ): number | null => {
    if (value === undefined || value === null || value === '') return null;
    const day = epochDayOf(value);
    if (day === null) invalidDates.push({ activityId: activity.id, field, value });
    return day;
  };
  const startDay = readDate('start', activity.start);
  const actualStart = readDate('actualStart', activity.actualStart);
  const actualFinish = readDate('actualFinish', activity.actualFinish);
  let constraint = activity.constraint ?? null;
  let constraintDay: number | null = null;
  if (constraint !== null && constraint.type !== 'ASAP' && constraint.type !== 'ALAP') {
    constraintDay = epochDayOf(constraint.date);
    if (constraintDay === null) {
      invalidDates.push({ activityId: activity.id, field: 'constraint', value: constraint });
      constraint = null;
    }
  }
  const percent = activity.percentComplete ?? 0;
  const progress: ProgressState =
    actualFinish !== null || percent >= 100
      ? 'finished'
      : actualStart !== null || percent > 0
        ? 'in-progress'
        : 'not-started';
  return {
    activity,
    plannedDuration: activity.milestone === true ? 0 : activity.durationDays,
    progress,
    percent: progress === 'finished' ? 100 : percent,
    notBefore: startDay === null ? null : axis.ceil(startDay),
    constraint,
    constraintDay,
    actualStart,
    actualFinish,
  };
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
