/**
 * MSPDI's units and codes, as the published schema (mspdi_pj12.xsd) defines them:
 *
 *   durations are ISO 8601 (`PT16H0M0S`) of working time; a day is `MinutesPerDay` (480);
 *   `LinkLag` is in tenths of a minute: 4800 is one 8-hour working day, 14400 one elapsed day;
 *   link `Type` 0=FF 1=FS 2=SF 3=SS; `ConstraintType` 0=ASAP … 7=FNLT;
 *   `WeekDay/DayType` 1=Sunday … 7=Saturday, 0=an exception period.
 */
import type { DependencyType } from '@lib/plan-domain';

export const DEFAULT_MINUTES_PER_DAY = 480;
export const ELAPSED_MINUTES_PER_DAY = 24 * 60;

const DURATION =
  /^(-)?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Minutes of an ISO 8601 duration as MSPDI writes them (`PT16H0M0S`, `P2DT4H`), or undefined
 * for anything else. Days count as `minutesPerDay` working minutes; years and months are refused
 * since their length in working time is the calendar's business.
 */
export function durationMinutes(text: string, minutesPerDay: number): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match || match[2] !== undefined || match[3] !== undefined) return undefined;
  const [days, hours, minutes, seconds] = [match[4], match[5], match[6], match[7]].map((v) =>
    v === undefined ? 0 : Number(v),
  );
  const total = days * minutesPerDay + hours * 60 + minutes + seconds / 60;
  return match[1] ? -total : total;
}

/** `PT40H0M0S` for 2400 minutes. */
export function isoDuration(minutes: number): string {
  const whole = Math.round(minutes);
  return `PT${Math.floor(whole / 60)}H${whole % 60}M0S`;
}

export const LINK_TYPES: Readonly<Record<string, DependencyType>> = {
  '0': 'FF',
  '1': 'FS',
  '2': 'SF',
  '3': 'SS',
};

export const LINK_TYPE_CODES: Readonly<Record<DependencyType, number>> = {
  FF: 0,
  FS: 1,
  SF: 2,
  SS: 3,
};

/** LagFormat codes of elapsed units (em, eh, ed, ew, emo, e%, and their estimated variants). */
const ELAPSED_LAG_FORMATS = new Set([4, 6, 8, 10, 12, 20, 36, 38, 40, 42, 44, 52]);

export const isElapsedFormat = (format: number): boolean => ELAPSED_LAG_FORMATS.has(format);

/** LagFormat 7 = days (working), 8 = elapsed days. */
export const LAG_FORMAT_DAYS = 7;
export const LAG_FORMAT_ELAPSED_DAYS = 8;
/** Percent lags (19 = %, 20 = e%) are relative to the predecessor's duration. */
export const isPercentLagFormat = (format: number): boolean =>
  format === 19 || format === 20 || format === 51 || format === 52;

/** The plan's constraint names by MSPDI ConstraintType. */
export const CONSTRAINT_TYPES = [
  'ASAP',
  'ALAP',
  'MSO',
  'MFO',
  'SNET',
  'SNLT',
  'FNET',
  'FNLT',
] as const;
export type ConstraintType = (typeof CONSTRAINT_TYPES)[number];

/** ISO weekday (1 = Monday … 7 = Sunday) of an MSPDI DayType (1 = Sunday … 7 = Saturday). */
export const isoWeekdayOfDayType = (dayType: number): number => (dayType === 1 ? 7 : dayType - 1);
export const dayTypeOfIsoWeekday = (weekday: number): number => (weekday === 7 ? 1 : weekday + 1);

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/;

/** The date of an MSPDI date-time (`2027-03-01T08:00:00` → `2027-03-01`), undefined if unreadable. */
export function dateOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const match = DATE_TIME.exec(text.trim());
  return match ? match[1] : undefined;
}

/** Minutes past midnight of an MSPDI date-time (`…T17:00:00` → 1020), 0 when no time is given. */
export function minutesOfDay(text: string): number {
  const match = DATE_TIME.exec(text.trim());
  return match && match[2] !== undefined ? Number(match[2]) * 60 + Number(match[3]) : 0;
}
