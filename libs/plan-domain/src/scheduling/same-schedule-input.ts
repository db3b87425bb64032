/**
 * Whether two scheduler inputs certainly give the same schedule: equal in everything
 * `computeSchedule` reads, the calendar by the days it counts as working. Lets a caller keep a
 * schedule while its inputs stay the same without serialising them; any field the input gains
 * is compared too, since only the calendar is singled out.
 */
import { sameValue } from '../json-value';
import type { ScheduleInput } from './schedule.model';

export function sameScheduleInput(a: ScheduleInput, b: ScheduleInput): boolean {
  if (a === b) return true;
  const { calendar: calendarA, activities: activitiesA, ...restA } = a;
  const { calendar: calendarB, activities: activitiesB, ...restB } = b;
  if (calendarA?.key !== calendarB?.key || activitiesA.length !== activitiesB.length) return false;
  if (!sameValue(restA, restB)) return false;
  for (let i = 0; i < activitiesA.length; i++)
    if (!sameValue(activitiesA[i], activitiesB[i])) return false;
  return true;
}
