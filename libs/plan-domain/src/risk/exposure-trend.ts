/**
 * Exposure over time: the sum of open risk scores per calendar day (UTC), taken from the last
 * snapshot of each day and carried over days without one, so a chart gets one point per day.
 */
import {
  epochDayOfInstant,
  InvalidIsoDateError,
  isoDateOfEpochDay,
  type IsoDate,
} from '../scheduling/calendar-days';
import type { RiskSnapshot } from './risk.model';
import { riskScore } from './risk-score';

export interface ExposurePoint {
  readonly date: IsoDate;
  /** Sum of the scores of open risks. */
  readonly exposure: number;
  readonly openCount: number;
}

/**
 * One point per day from the first snapshot's day to the last one's. Snapshot times come from
 * event metadata, so an unreadable one is a bug upstream and throws naming its index.
 */
export function exposureTrend(snapshots: readonly RiskSnapshot[]): ExposurePoint[] {
  const timed = snapshots.map((snapshot, index) => {
    const ms = Date.parse(snapshot.at);
    const day = epochDayOfInstant(snapshot.at);
    if (day === null) throw new InvalidIsoDateError(`snapshots[${index}].at`, snapshot.at);
    return { ms, day, snapshot };
  });
  // Sorting is stable, so of two snapshots with the same time the later one in the list wins.
  timed.sort((a, b) => a.ms - b.ms);

  const lastOfDay = new Map<number, RiskSnapshot>();
  for (const { day, snapshot } of timed) lastOfDay.set(day, snapshot);
  if (timed.length === 0) return [];

  const points: ExposurePoint[] = [];
  let current = { exposure: 0, openCount: 0 };
  for (let day = timed[0].day; day <= timed[timed.length - 1].day; day++) {
    const snapshot = lastOfDay.get(day);
    if (snapshot !== undefined) {
      const open = snapshot.risks.filter((r) => r.status === 'open');
      current = {
        exposure: open.reduce((sum, r) => sum + riskScore(r), 0),
        openCount: open.length,
      };
    }
    points.push({ date: isoDateOfEpochDay(day), ...current });
  }
  return points;
}
