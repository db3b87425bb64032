/**
 * Shapes going into and coming out of the scheduler. Inputs are the minimum the critical path
 * method needs from a plan's tasks and milestones; outputs are shaped for the timeline read model.
 */
import type { GraphActivity, IgnoredDependency } from './activity-graph';
import type { IsoDate } from './calendar-days';
import type { WorkCalendar } from './work-calendar';

export const CONSTRAINT_TYPES = [
  'ASAP',
  'ALAP',
  'SNET',
  'SNLT',
  'FNET',
  'FNLT',
  'MSO',
  'MFO',
] as const;
/**
 * As soon / as late as possible; start or finish no earlier / no later than a date; must start /
 * finish on a date. Dependencies always win: a date constraint the logic cannot meet is reported
 * as a conflict (with the chain of items that pushes it) instead of breaking a link.
 */
export type ConstraintType = (typeof CONSTRAINT_TYPES)[number];

export interface ScheduleConstraint {
  readonly type: ConstraintType;
  /** Required by every type except ASAP and ALAP. */
  readonly date?: IsoDate;
}

/** Where an activity stands: finished work keeps its actual dates, unfinished work is forecast. */
export type ProgressState = 'not-started' | 'in-progress' | 'finished';

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
  readonly constraint?: ScheduleConstraint | null;
  /** First day worked; marks the activity in progress. */
  readonly actualStart?: IsoDate | null;
  /** Last day worked; marks the activity finished. */
  readonly actualFinish?: IsoDate | null;
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
  /** Which days count; every day when absent (the calendar-days convention). */
  readonly calendar?: WorkCalendar;
  /**
   * Progress is reported as of the end of this day: work not yet done is scheduled from the
   * next working day on. Without it, only actual dates move activities.
   */
  readonly statusDate?: IsoDate | null;
}

/** Positive deltas mean later than the baseline. */
export interface Slippage {
  readonly baselineStart: IsoDate;
  readonly baselineFinish: IsoDate;
  readonly startDeltaDays: number;
  readonly finishDeltaDays: number;
}

/**
 * One activity's place in the schedule. Day numbers count working days from the plan start (all
 * days in calendar-days mode); `finish` is the date of day `ef`, the first working day after
 * the work, so a one-day task starting Monday 2027-03-01 finishes 2027-03-02 and a milestone's
 * start and finish are the same date. `lastWorkDay` is the day the work ends on.
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
  /** Working days; negative when a date constraint cannot be met. */
  readonly totalFloat: number;
  /** Unfinished and without positive float. */
  readonly critical: boolean;
  readonly start: IsoDate;
  readonly finish: IsoDate;
  /** The last working day of the work (the start for zero-duration activities). */
  readonly lastWorkDay: IsoDate;
  readonly constraint: ScheduleConstraint | null;
  readonly progress: ProgressState;
  /** Working days of work left (from the status date on, for work in progress). */
  readonly remainingDays: number;
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
  readonly field: 'start' | 'baseline' | 'constraint' | 'actualStart' | 'actualFinish';
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

/** What set an activity's early start: the rule that won the forward pass. */
export type StartDriver =
  | { readonly kind: 'plan-start' }
  | { readonly kind: 'start-date' }
  | { readonly kind: 'constraint' }
  | { readonly kind: 'status-date' }
  | { readonly kind: 'actual' }
  | { readonly kind: 'link'; readonly predecessorId: string };

/** A date constraint the dependencies (or actual progress) do not let hold. */
export interface ConstraintConflict {
  readonly activityId: string;
  readonly constraint: ScheduleConstraint;
  /** the scheduled start (SNLT, MSO) or finish (FNLT, MFO) that breaks it */
  readonly scheduled: IsoDate;
  /** the latest start or last work day the constraint allows */
  readonly allowed: IsoDate;
  /** working days past what the constraint allows */
  readonly overrunDays: number;
  /**
   * The driving chain that pushes it, first item first and the constrained activity last: each
   * item's early start was set by the link from the one before it.
   */
  readonly chain: readonly string[];
  /** what set the first item of the chain */
  readonly chainStart: StartDriver['kind'];
}

export interface Schedule {
  readonly planStart: IsoDate;
  readonly statusDate: IsoDate | null;
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
  /** Date constraints that cannot hold, by activity id. */
  readonly constraintConflicts: readonly ConstraintConflict[];
}
