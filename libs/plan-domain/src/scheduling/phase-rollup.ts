/**
 * Phase roll-ups for the timeline: the span, progress and criticality of each phase's
 * scheduled activities.
 */
import { compareIds } from './activity-graph';
import type { PhaseRollup, ScheduledActivity } from './schedule.model';

type Progress = Pick<ScheduledActivity, 'durationDays' | 'percentComplete'>;

/**
 * Percent complete weighted by duration. When nothing has a duration (only milestones) the
 * plain average is the only meaningful figure: the share of milestones reached. No activities → 0.
 */
export function weightedPercentComplete(activities: readonly Progress[]): number {
  if (activities.length === 0) return 0;
  let weight = 0;
  let done = 0;
  for (const a of activities) {
    weight += a.durationDays;
    done += a.durationDays * a.percentComplete;
  }
  if (weight > 0) return done / weight;
  return activities.reduce((sum, a) => sum + a.percentComplete, 0) / activities.length;
}

export function rollUpPhases(
  activities: readonly ScheduledActivity[],
  /** the date of a day number of the schedule */
  dateOf: (day: number) => string,
): PhaseRollup[] {
  const byPhase = new Map<string, ScheduledActivity[]>();
  for (const activity of activities) {
    if (activity.phaseId === null) continue;
    const members = byPhase.get(activity.phaseId);
    if (members) members.push(activity);
    else byPhase.set(activity.phaseId, [activity]);
  }
  return [...byPhase.keys()].sort(compareIds).map((phaseId) => {
    const members = byPhase.get(phaseId) ?? [];
    const startDay = members.reduce((min, a) => Math.min(min, a.es), Infinity);
    const finishDay = members.reduce((max, a) => Math.max(max, a.ef), -Infinity);
    return {
      phaseId,
      startDay,
      finishDay,
      start: dateOf(startDay),
      finish: dateOf(finishDay),
      percentComplete: weightedPercentComplete(members),
      activityCount: members.length,
      milestoneCount: members.filter((a) => a.milestone).length,
      critical: members.some((a) => a.critical),
    };
  });
}
