/**
 * Scheduling: critical path method over working (or calendar) days with date constraints and
 * progress, phase roll-ups, baseline slippage, earned value.
 */
export { computeSchedule } from './critical-path';
export { sameScheduleInput } from './same-schedule-input';
export { weightedPercentComplete } from './phase-rollup';
export {
  DEPENDENCY_TYPES,
  type Dependency,
  type DependencyType,
  type IgnoredDependency,
  type IgnoredDependencyReason,
  LAG_KINDS,
  type LagKind,
} from './activity-graph';
export {
  CALENDAR_MODES,
  DEFAULT_WORKING_WEEKDAYS,
  isOnVacation,
  isoWeekdayOf,
  NoWorkingDaysError,
  WorkCalendar,
  WorkingDayAxis,
  type CalendarException,
  type CalendarHoliday,
  type CalendarMode,
  type PlanCalendar,
  type ResourceCalendar,
  type Vacation,
} from './work-calendar';
export { earliestStartAllowedBy, latestFinishAllowedBy, type Span } from './link-bounds';
export {
  epochDayOf,
  epochDayOfInstant,
  InvalidIsoDateError,
  isInvalidIsoDateError,
  isoDateOfEpochDay,
  requireEpochDay,
  type IsoDate,
} from './calendar-days';
export { CONSTRAINT_TYPES } from './schedule.model';
export type {
  ActivityInput,
  ConstraintConflict,
  ConstraintType,
  ProgressState,
  ScheduleConstraint,
  StartDriver,
  Baseline,
  BaselineEntry,
  InvalidActivityDate,
  PhaseRollup,
  Schedule,
  ScheduledActivity,
  ScheduleInput,
  ScheduleIssues,
  Slippage,
} from './schedule.model';
export {
  computeEarnedValue,
  type ActualCost,
  type EarnedValue,
  type EarnedValueFigures,
  type EarnedValueInput,
  type EarnedValueTaskFigures,
  type EarnedValueWeek,
} from './earned-value';
