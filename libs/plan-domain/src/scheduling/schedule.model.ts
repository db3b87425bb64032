/**
 * Shapes going into and coming out of the scheduler. Inputs are the minimum the critical path
 * method needs from a plan's tasks and milestones; outputs are shaped for the timeline read model.
 */
import type { GraphActivity, IgnoredDependency } from './activity-graph';
import type { IsoDate } from './calendar-days';

/**
 * A task or milestone to schedule. Durations and lags are trusted to be whole days with
 * `durationDays >= 0` (validated at the edge); references and cycles are checked here.
 */
export interface ActivityInput extends GraphActivity {
  readonly durationDays: number;
  /** "Start no earlier than": the activity never starts before this date. */
  readonly start?: IsoDate | null;
  /** Milestones are scheduled with duration 0 whatever `durationDays` says. */
  readonly milestone?: boolean;
  readonly phaseId?: string | null;
  /** 0–100; missing counts as 0. */
  readonly percentComplete?: number | null;
}

/** What a baseline remembers of one activity. */
export interface BaselineEntry {
  readonly start: IsoDate;
  readonly finish: IsoDate;
}

/** Baseline dates by activity id, as saved when the baseline was taken. */
export type Baseline = Readonly<Record<string, BaselineEntry>>;

export interface ScheduleInput {
  /** Day 0 of the schedule; nothing is scheduled before it. */
  readonly planStart: IsoDate;
  readonly activities: readonly ActivityInput[];
  readonly baseline?: Baseline;
}

/** Positive deltas mean later than the baseline. */
export interface Slippage {
  readonly baselineStart: IsoDate;
  readonly baselineFinish: IsoDate;
  readonly startDeltaDays: number;
  readonly finishDeltaDays: number;
}

/**
 * One activity's place in the schedule. Day numbers count from the plan start; `finish` is the
 * date of day `ef`, so a one-day task starting 2027-03-01 finishes 2027-03-02 and a milestone's
 * start and finish are the same date.
 */
export interface ScheduledActivity {
  readonly id: string;
  readonly phaseId: string | null;
  readonly milestone: boolean;
  /** The duration used: 0 for milestones. */
  readonly durationDays: number;
  readonly percentComplete: number;
  readonly es: number;
  readonly ef: number;
  readonly ls: number;
  readonly lf: number;
  readonly totalFloat: number;
  readonly critical: boolean;
  readonly start: IsoDate;
  readonly finish: IsoDate;
  readonly lateStart: IsoDate;
  readonly lateFinish: IsoDate;
  /** Null without a baseline, or when the baseline does not know this activity. */
  readonly slippage: Slippage | null;
}

export interface PhaseRollup {
  readonly phaseId: string;
  readonly startDay: number;
  readonly finishDay: number;
  readonly start: IsoDate;
  readonly finish: IsoDate;
  /**
   * Weighted by duration, so milestones weigh nothing; a phase whose activities all last
   * 0 days (only milestones) takes the plain average instead.
   */
  readonly percentComplete: number;
  readonly activityCount: number;
  readonly milestoneCount: number;
  /** Whether any of its activities is critical. */
  readonly critical: boolean;
}

/** An activity date that could not be read; the activity is scheduled without it. */
export interface InvalidActivityDate {
  readonly activityId: string;
  readonly field: 'start' | 'baseline';
  readonly value: unknown;
}

/** Problems in the input that the schedule worked around instead of failing. */
export interface ScheduleIssues {
  /** Activities in a dependency cycle; they are left out of the schedule. */
  readonly cycles: readonly (readonly string[])[];
  readonly ignoredDependencies: readonly IgnoredDependency[];
  /** Ids given more than once; the first occurrence is scheduled. */
  readonly duplicateIds: readonly string[];
  readonly invalidDates: readonly InvalidActivityDate[];
}

export interface Schedule {
  readonly planStart: IsoDate;
  readonly projectFinishDay: number;
  readonly projectFinish: IsoDate;
  /** Duration-weighted over all scheduled activities, like a phase. */
  readonly percentComplete: number;
  /** Topological order, ties broken by id; activities in cycles are absent. */
  readonly activities: readonly ScheduledActivity[];
  /** Critical activity ids in the same topological order. */
  readonly criticalPath: readonly string[];
  /** Sorted by phase id; activities without a phase belong to none. */
  readonly phases: readonly PhaseRollup[];
  readonly issues: ScheduleIssues;
}
