/**
 * The timeline of one plan: its critical-path schedule over tasks and milestones, phase
 * roll-ups, milestones against their dates, and slippage against the latest baseline. Pure:
 * the projection stores what this returns.
 */
import {
  computeEarnedValue,
  computeSchedule,
  epochDayOf,
  type ActualCost,
  type CalendarMode,
  type ConstraintConflict,
  type EarnedValue,
  type IsoDate,
  type PhaseRollup,
  type PlanJson,
  type Schedule,
  type ScheduledActivity,
  type ScheduleInput,
  type ScheduleIssues,
} from '@lib/plan-domain';
import type { BaselineCapturedData } from './baseline-captured';
import {
  planScheduleInput,
  type PlanStartSource,
  type UnusableActivityValue,
} from './plan-schedule';

export interface TimelineActivity extends ScheduledActivity {
  readonly kind: 'task' | 'milestone';
  readonly title: string;
  readonly status: string;
  /** dates as planned, without any progress: what the forecast is compared with */
  readonly plannedStart: IsoDate;
  readonly plannedFinish: IsoDate;
  /** forecast finish − planned finish in working days; positive has slipped */
  readonly slipDays: number;
}

export interface TimelineMilestone {
  readonly id: string;
  readonly title: string;
  readonly phaseId: string | null;
  /** the milestone's own date; null when it is "when its dependencies are done" */
  readonly targetDate: IsoDate | null;
  /** when the schedule reaches it */
  readonly date: IsoDate;
  /** how far the dependencies push it past its target date; 0 when on time */
  readonly lateByDays: number;
  readonly critical: boolean;
  readonly status: string;
}

export interface TimelinePhase extends PhaseRollup {
  /** null for a phase id that tasks name but the plan does not have */
  readonly title: string | null;
  readonly order: number | null;
}

export interface TimelineBaseline {
  readonly baselineId: string;
  readonly name: string;
  readonly capturedAt: string;
  readonly projectFinish: IsoDate;
  /** current finish − baseline finish in days; positive is late */
  readonly projectFinishDeltaDays: number | null;
  /** activities with slippage against it */
  readonly slippedActivityIds: readonly string[];
}

export interface TimelineIssues extends ScheduleIssues {
  /** meta.start as stored when it is not a date (the schedule then starts elsewhere) */
  readonly invalidPlanStart: unknown;
  /** meta.calendar when it has no working weekday (Mon–Fri is used instead) */
  readonly invalidCalendar: unknown;
  readonly invalidStatusDate: unknown;
  readonly unusableValues: readonly UnusableActivityValue[];
}

export interface Timeline {
  readonly planStart: IsoDate;
  readonly planStartSource: PlanStartSource;
  readonly calendarMode: CalendarMode;
  /** meta.statusDate: unfinished work is forecast from the day after it */
  readonly statusDate: IsoDate | null;
  /** the forecast: with actual progress applied */
  readonly projectFinish: IsoDate;
  /** as planned, without progress */
  readonly plannedFinish: IsoDate;
  /** activities whose forecast finish is later than planned */
  readonly slippedActivityIds: readonly string[];
  readonly projectFinishDay: number;
  readonly percentComplete: number;
  /** critical activity ids in topological order */
  readonly criticalPath: readonly string[];
  /** topological order; activities in dependency cycles are absent (see issues.cycles) */
  readonly activities: readonly TimelineActivity[];
  readonly milestones: readonly TimelineMilestone[];
  readonly phases: readonly TimelinePhase[];
  readonly baseline: TimelineBaseline | null;
  readonly issues: TimelineIssues;
  /** date constraints the logic cannot meet, each with the chain of items pushing it */
  readonly constraintConflicts: readonly ConstraintConflict[];
  /**
   * Earned value as of the status date, against the baseline's dates when there is a
   * baseline, else against the plan without progress; null while the plan has no status date.
   */
  readonly earnedValue: EarnedValue | null;
}

export interface TimelineOptions {
  readonly baseline?: BaselineCapturedData;
  /** day 0 for a plan with no start and no dated activity (the date of its first event) */
  readonly fallbackStart: IsoDate;
  /** costs recorded against tasks (ActualCostRecorded events) */
  readonly actualCosts?: readonly ActualCost[];
}

export function buildTimeline(plan: PlanJson, options: TimelineOptions): Timeline {
  const prepared = planScheduleInput(plan, {
    fallbackStart: options.fallbackStart,
    baseline: options.baseline?.activities,
  });
  const schedule = computeSchedule(prepared.input);
  const planned = plannedSchedule(prepared.input, schedule);
  const plannedById = new Map(planned.activities.map((a) => [a.id, a]));
  const tasks = new Map(plan.tasks.map((t) => [t.id, t]));
  const milestones = new Map(plan.milestones.map((m) => [m.id, m]));
  const phases = new Map(plan.phases.map((p) => [p.id, p]));

  const activities = schedule.activities.map((activity): TimelineActivity => {
    const source = activity.milestone ? milestones.get(activity.id) : tasks.get(activity.id);
    const asPlanned = plannedById.get(activity.id) ?? activity;
    return {
      ...activity,
      kind: activity.milestone ? 'milestone' : 'task',
      title: typeof source?.title === 'string' ? source.title : '',
      status: typeof source?.status === 'string' ? source.status : '',
      plannedStart: asPlanned.start,
      plannedFinish: asPlanned.finish,
      slipDays: activity.ef - asPlanned.ef,
    };
  });

  return {
    planStart: schedule.planStart,
    planStartSource: prepared.planStartSource,
    calendarMode: prepared.calendarMode,
    statusDate: schedule.statusDate,
    projectFinish: schedule.projectFinish,
    plannedFinish: planned.projectFinish,
    slippedActivityIds: activities.filter((a) => a.slipDays > 0).map((a) => a.id),
    projectFinishDay: schedule.projectFinishDay,
    percentComplete: schedule.percentComplete,
    criticalPath: schedule.criticalPath,
    activities,
    milestones: activities
      .filter((a) => a.milestone)
      .map((a): TimelineMilestone => {
        const targetDate = milestones.get(a.id)?.date;
        const target = epochDayOf(targetDate);
        const scheduled = epochDayOf(a.start);
        return {
          id: a.id,
          title: a.title,
          phaseId: a.phaseId,
          targetDate: typeof targetDate === 'string' ? targetDate : null,
          date: a.start,
          lateByDays: target === null || scheduled === null ? 0 : Math.max(0, scheduled - target),
          critical: a.critical,
          status: a.status,
        };
      }),
    phases: schedule.phases.map((rollup): TimelinePhase => {
      const phase = phases.get(rollup.phaseId);
      return {
        ...rollup,
        title: typeof phase?.title === 'string' ? phase.title : null,
        order: typeof phase?.order === 'number' ? phase.order : null,
      };
    }),
    baseline: options.baseline
      ? baselineSummary(options.baseline, schedule.projectFinish, activities)
      : null,
    issues: {
      ...schedule.issues,
      invalidPlanStart: prepared.invalidPlanStart ?? null,
      invalidCalendar: prepared.invalidCalendar,
      invalidStatusDate: prepared.invalidStatusDate,
      unusableValues: prepared.unusableValues,
    },
    constraintConflicts: schedule.constraintConflicts,
    earnedValue:
      schedule.statusDate === null
        ? null
        : earnedValueOf(plan, prepared.input, options, { planned, forecast: schedule }),
  };
}

/**
 * Earned value of the plan as of its status date, or of `statusDate` when given (for a plan
 * without one, or to look back).
 */
export function planEarnedValue(
  plan: PlanJson,
  options: TimelineOptions & { readonly statusDate?: IsoDate },
): EarnedValue | null {
  const { input } = planScheduleInput(plan, {
    fallbackStart: options.fallbackStart,
    baseline: options.baseline?.activities,
  });
  const statusDate = options.statusDate ?? input.statusDate;
  if (statusDate === undefined || statusDate === null) return null;
  return earnedValueOf(plan, { ...input, statusDate }, options);
}

function earnedValueOf(
  plan: PlanJson,
  input: ScheduleInput,
  options: TimelineOptions,
  // the timeline has both already: a schedule of a large plan is not cheap
  schedules?: { readonly planned: Schedule; readonly forecast: Schedule },
): EarnedValue {
  const forecast = schedules?.forecast ?? computeSchedule(input);
  const planned = schedules?.planned ?? plannedSchedule(input, forecast);
  return computeEarnedValue({
    statusDate: input.statusDate as IsoDate,
    calendar: input.calendar,
    planned: options.baseline ? baselineSchedule(planned, options.baseline) : planned,
    forecast,
    budgets: Object.fromEntries(
      plan.tasks.map((t) => [t.id, typeof t.cost === 'number' && t.cost > 0 ? t.cost : 0]),
    ),
    actualCosts: options.actualCosts ?? [],
  });
}

/**
 * The schedule of the plan as it was planned; the forecast itself when the plan records no
 * progress, since stripping nothing leaves the same input.
 */
function plannedSchedule(input: ScheduleInput, forecast: Schedule): Schedule {
  return hasProgress(input) ? computeSchedule(withoutProgress(input)) : forecast;
}

/** Whether any of what withoutProgress clears is set. */
function hasProgress(input: ScheduleInput): boolean {
  return (
    (input.statusDate ?? null) !== null ||
    input.activities.some(
      (a) =>
        (a.percentComplete ?? 0) !== 0 ||
        (a.actualStart ?? null) !== null ||
        (a.actualFinish ?? null) !== null,
    )
  );
}

/** The plan as it was planned: no actual dates, nothing done, no status date. */
function withoutProgress(input: ScheduleInput): ScheduleInput {
  return {
    ...input,
    statusDate: null,
    activities: input.activities.map((a) => ({
      ...a,
      actualStart: null,
      actualFinish: null,
      percentComplete: 0,
    })),
  };
}

/** The planned schedule with the baseline's dates where the baseline knows the activity. */
function baselineSchedule(
  planned: { readonly activities: readonly ScheduledActivity[] },
  baseline: BaselineCapturedData,
): { readonly activities: readonly ScheduledActivity[] } {
  return {
    activities: planned.activities.map((a) => {
      const entry = Object.hasOwn(baseline.activities, a.id) ? baseline.activities[a.id] : null;
      return entry === null ? a : { ...a, start: entry.start, finish: entry.finish };
    }),
  };
}

function baselineSummary(
  baseline: BaselineCapturedData,
  projectFinish: IsoDate,
  activities: readonly TimelineActivity[],
): TimelineBaseline {
  const current = epochDayOf(projectFinish);
  const before = epochDayOf(baseline.projectFinish);
  return {
    baselineId: baseline.baselineId,
    name: baseline.name,
    capturedAt: baseline.capturedAt,
    projectFinish: baseline.projectFinish,
    projectFinishDeltaDays: current === null || before === null ? null : current - before,
    slippedActivityIds: activities
      .filter(
        (a) =>
          a.slippage !== null &&
          (a.slippage.startDeltaDays !== 0 || a.slippage.finishDeltaDays !== 0),
      )
      .map((a) => a.id),
  };
}
