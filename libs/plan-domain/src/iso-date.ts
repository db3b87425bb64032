/**
 * Calendar dates as plans store them: `YYYY-MM-DD`, no time, no zone, because schedules count
 * whole calendar days and a zone would shift a date across midnight between clients.
 */
import type { IsoDate } from './plan-json';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for an existing calendar day: `2027-02-29` is rejected, `2028-02-29` accepted. */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Date.UTC rolls 02-30 over to 03-02, so a round trip catches days a month does not have
  // (it also maps years 0–99 to 19xx, so those fail too; no plan lives there).
  const parsed = new Date(Date.UTC(year, month - 1, day));
  return (
    parsed.getUTCFullYear() === year &&
    parsed.getUTCMonth() === month - 1 &&
    parsed.getUTCDate() === day
  );
}
