/**
 * Slippage against a baseline: how many calendar days an activity's current dates moved
 * since the baseline was taken. Dates, not day numbers, are compared, so moving the plan start
 * after taking a baseline shows up as slippage rather than vanishing.
 */
import { epochDayOf } from './calendar-days';
import type { Baseline, BaselineEntry, Slippage } from './schedule.model';

/** The baseline entry for an id, ignoring inherited keys such as `constructor`. */
export function baselineEntryFor(baseline: Baseline | undefined, id: string): BaselineEntry | null {
  return baseline !== undefined && Object.hasOwn(baseline, id) ? baseline[id] : null;
}

/**
 * Current start/finish (as UTC epoch days) against the baseline entry; null when the entry's
 * dates do not parse, so the caller can report them.
 */
export function measureSlippage(
  entry: BaselineEntry,
  startEpochDay: number,
  finishEpochDay: number,
): Slippage | null {
  const baselineStartDay = epochDayOf(entry.start);
  const baselineFinishDay = epochDayOf(entry.finish);
  if (baselineStartDay === null || baselineFinishDay === null) return null;
  return {
    baselineStart: entry.start,
    baselineFinish: entry.finish,
    startDeltaDays: startEpochDay - baselineStartDay,
    finishDeltaDays: finishEpochDay - baselineFinishDay,
  };
}
