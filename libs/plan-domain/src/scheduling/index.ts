/** Scheduling: critical path method over calendar days, phase roll-ups, baseline slippage. */
export { computeSchedule } from './critical-path';
export { weightedPercentComplete } from './phase-rollup';
export {
  DEPENDENCY_TYPES,
  type Dependency,
  type DependencyType,
  type IgnoredDependency,
  type IgnoredDependencyReason,
} from './activity-graph';
export {
  epochDayOf,
  epochDayOfInstant,
  InvalidIsoDateError,
  isInvalidIsoDateError,
  isoDateOfEpochDay,
  requireEpochDay,
  type IsoDate,
} from './calendar-days';
export type {
  ActivityInput,
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
