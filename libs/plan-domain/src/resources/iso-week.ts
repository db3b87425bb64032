/**
 * ISO 8601 weeks (Monday to Sunday; week 1 holds the year's first Thursday) over UTC epoch
 * days, the day numbers schedules use:
 *
 *   isoWeekOf(epochDayOf('2027-03-01')!) → { week: '2027-W09', monday: '2027-03-01' }
 *   isoWeekOf(epochDayOf('2027-01-01')!) → { week: '2026-W53', monday: '2026-12-28' }
 */
import type { IsoDate } from '../plan-json';
import { epochDayOf, isoDateOfEpochDay } from '../scheduling/calendar-days';

export interface IsoWeek {
  /** `YYYY-Www` */
  readonly week: string;
  readonly monday: IsoDate;
  readonly mondayEpochDay: number;
}

export function isoWeekOf(epochDay: number): IsoWeek {
  // 1970-01-01 was a Thursday: +3 makes Monday 0
  const weekday = (((epochDay + 3) % 7) + 7) % 7;
  const mondayEpochDay = epochDay - weekday;
  const thursday = isoDateOfEpochDay(mondayEpochDay + 3);
  const year = Number(thursday.slice(0, 4));
  const firstOfYear = epochDayOf(`${thursday.slice(0, 4)}-01-01`)!;
  const week = Math.floor((mondayEpochDay + 3 - firstOfYear) / 7) + 1;
  return {
    week: `${year}-W${String(week).padStart(2, '0')}`,
    monday: isoDateOfEpochDay(mondayEpochDay),
    mondayEpochDay,
  };
}
