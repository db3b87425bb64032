/**
 * Calendar-day arithmetic for schedules. Plans count whole calendar days (DESIGN.md, scheduling
 * convention), so every ISO date maps one-to-one onto a UTC day number and back:
 *
 *   epochDayOf('2027-03-15')! - epochDayOf('2027-03-01')! === 14
 *   isoDateOfEpochDay(epochDayOf('2027-03-01')! + 14) === '2027-03-15'
 */

/** A calendar date `YYYY-MM-DD`, as stored in the plan document. */
export type IsoDate = string;

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A date or time the caller had to supply correctly (plan start, "today", a snapshot time). */
export class InvalidIsoDateError extends Error {
  readonly code = 'INVALID_ISO_DATE';
  constructor(
    readonly field: string,
    readonly value: unknown,
  ) {
    super(`${field}: expected an ISO date (YYYY-MM-DD), got ${JSON.stringify(value)}`);
  }
}

export const isInvalidIsoDateError = (e: unknown): e is InvalidIsoDateError =>
  e instanceof InvalidIsoDateError;

/** Days since 1970-01-01 (UTC) for a valid `YYYY-MM-DD`, or null for anything else. */
export function epochDayOf(isoDate: unknown): number | null {
  if (typeof isoDate !== 'string') return null;
  const match = ISO_DATE.exec(isoDate);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const ms = Date.UTC(year, month - 1, day);
  // Date.UTC silently rolls 2027-02-30 into March (and maps years 0–99 to 19xx); a round trip
  // rejects such strings instead of scheduling against a date nobody wrote.
  const check = new Date(ms);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day
  ) {
    return null;
  }
  return ms / MS_PER_DAY;
}

/** Like {@link epochDayOf} for values the caller must get right: throws naming the field. */
export function requireEpochDay(field: string, isoDate: unknown): number {
  const day = epochDayOf(isoDate);
  if (day === null) throw new InvalidIsoDateError(field, isoDate);
  return day;
}

/** the epoch days of 0000-01-01 and 9999-12-31: four-digit years, as `YYYY-MM-DD` writes them */
const FIRST_FOUR_DIGIT_DAY = -719_528;
const LAST_FOUR_DIGIT_DAY = 2_932_896;

/**
 * The date of a day number. Schedules date every activity after every change, so whole days
 * of four-digit years are worked out arithmetically (the proleptic Gregorian calendar, counted
 * in 400-year eras from 1 March 0000) instead of through a `Date` and its ISO string.
 */
export function isoDateOfEpochDay(epochDay: number): IsoDate {
  if (
    !Number.isInteger(epochDay) ||
    epochDay < FIRST_FOUR_DIGIT_DAY ||
    epochDay > LAST_FOUR_DIGIT_DAY
  ) {
    return new Date(epochDay * MS_PER_DAY).toISOString().slice(0, 10);
  }
  const fromMarch0000 = epochDay + 719_468;
  const era = Math.floor(fromMarch0000 / 146_097);
  const dayOfEra = fromMarch0000 - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/**
 * The UTC calendar day of an ISO timestamp (`2027-03-01T23:30:00-02:00` is 2 March), or null
 * when it does not parse. Event times are UTC, so days are bucketed in UTC everywhere.
 */
export function epochDayOfInstant(isoTime: unknown): number | null {
  if (typeof isoTime !== 'string') return null;
  const ms = Date.parse(isoTime);
  return Number.isNaN(ms) ? null : Math.floor(ms / MS_PER_DAY);
}
