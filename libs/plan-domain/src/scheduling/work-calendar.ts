/**
 * Working calendars: which days count for scheduling, and the "working-day axis" the critical
 * path method runs on. On the axis, day n is the n-th working day on or after the plan start, so
 * `EF = ES + duration` holds in working days exactly as it does in calendar days; only turning
 * day numbers into dates (and elapsed lags) needs the calendar.
 *
 *   const axis = new WorkingDayAxis(WorkCalendar.of({ workingWeekdays: [1, 2, 3, 4, 5] }),
 *     epochDayOf('2027-03-05')!);           // a Friday
 *   isoDateOfEpochDay(axis.dayOf(0)) === '2027-03-05'
 *   isoDateOfEpochDay(axis.dayOf(1)) === '2027-03-08'  // the weekend is skipped
 *
 * A plan in 'calendar-days' mode uses `WorkCalendar.allDays()`: every day works and day n is
 * simply the plan start + n, which is the convention plans had before calendars existed.
 */
import type { IsoDate } from './calendar-days';
import { epochDayOf, isoDateOfEpochDay } from './calendar-days';

/** ISO weekday numbers: 1 = Monday … 7 = Sunday. */
export const DEFAULT_WORKING_WEEKDAYS: readonly number[] = [1, 2, 3, 4, 5];

export const CALENDAR_MODES = ['working-days', 'calendar-days'] as const;
export type CalendarMode = (typeof CALENDAR_MODES)[number];

export interface CalendarHoliday {
  readonly date: IsoDate;
  readonly name?: string;
}

/** A single day that works (or not) against the weekly pattern, e.g. a Saturday release. */
export interface CalendarException {
  readonly date: IsoDate;
  readonly working: boolean;
  readonly name?: string;
}

/** The plan calendar as stored in `meta.calendar`. */
export interface PlanCalendar {
  readonly workingWeekdays?: readonly number[];
  readonly holidays?: readonly CalendarHoliday[];
  readonly exceptions?: readonly CalendarException[];
}

/** Inclusive date range a person is away. */
export interface Vacation {
  readonly from: IsoDate;
  readonly to: IsoDate;
}

/** A resource's own calendar, as stored in `resource.calendar`. */
export interface ResourceCalendar {
  readonly vacations?: readonly Vacation[];
}

/** A calendar with nothing to work on: no working weekday and no working exception. */
export class NoWorkingDaysError extends Error {
  readonly code = 'NO_WORKING_DAYS';
  constructor() {
    super('calendar: at least one weekday must be working');
  }
}

/** ISO weekday (1 = Monday) of a UTC epoch day; 1970-01-01 was a Thursday. */
export function isoWeekdayOf(epochDay: number): number {
  return ((((epochDay + 3) % 7) + 7) % 7) + 1;
}

export class WorkCalendar {
  /** equal for calendars that count the same days as working: what axes are shared by */
  readonly key: string;

  private constructor(
    private readonly weekdays: ReadonlySet<number>,
    /** exceptions override holidays, which override the weekly pattern */
    private readonly overrides: ReadonlyMap<number, boolean>,
  ) {
    const pattern = [...weekdays].sort((a, b) => a - b).join('');
    const days = [...overrides]
      .sort(([a], [b]) => a - b)
      .map(([day, working]) => (working ? `+${day}` : `-${day}`));
    this.key = [pattern, ...days].join(' ');
  }

  /** Every day works: the calendar-days convention. */
  static allDays(): WorkCalendar {
    return new WorkCalendar(new Set([1, 2, 3, 4, 5, 6, 7]), new Map());
  }

  /**
   * The calendar as the plan describes it. Entries with unreadable dates are skipped (the
   * validator reports them); a calendar with no working weekday is refused, since nothing could
   * ever be scheduled on it.
   */
  static of(calendar: PlanCalendar | undefined): WorkCalendar {
    const weekdays = new Set(
      (calendar?.workingWeekdays ?? DEFAULT_WORKING_WEEKDAYS).filter(
        (d) => Number.isInteger(d) && d >= 1 && d <= 7,
      ),
    );
    if (weekdays.size === 0) throw new NoWorkingDaysError();
    const overrides = new Map<number, boolean>();
    for (const holiday of calendar?.holidays ?? []) {
      const day = epochDayOf(holiday.date);
      if (day !== null) overrides.set(day, false);
    }
    for (const exception of calendar?.exceptions ?? []) {
      const day = epochDayOf(exception.date);
      if (day !== null) overrides.set(day, exception.working === true);
    }
    return new WorkCalendar(weekdays, overrides);
  }

  isWorkingDay(epochDay: number): boolean {
    return this.overrides.get(epochDay) ?? this.weekdays.has(isoWeekdayOf(epochDay));
  }

  /** Whether every day works, so day numbers and calendar days coincide. */
  get everyDayWorks(): boolean {
    return this.weekdays.size === 7 && [...this.overrides.values()].every((w) => w);
  }
}

/** Whether a resource is away on a day (inclusive ranges; unreadable ranges are ignored). */
export function isOnVacation(calendar: ResourceCalendar | undefined, epochDay: number): boolean {
  for (const vacation of calendar?.vacations ?? []) {
    const from = epochDayOf(vacation.from);
    const to = epochDayOf(vacation.to);
    if (from !== null && to !== null && epochDay >= from && epochDay <= to) return true;
  }
  return false;
}

/** axes of recently used calendars and origins, least recently used first */
const recentAxes = new Map<string, WorkingDayAxis>();
const RECENT_AXES = 64;

/**
 * The working-day axis of a calendar from an origin, shared with earlier callers that asked for
 * an equal calendar and the same origin: a plan is scheduled again after every change, and
 * enumerating its working days anew each time is most of what a small schedule costs.
 */
export function workingDayAxis(calendar: WorkCalendar, originEpochDay: number): WorkingDayAxis {
  const key = `${originEpochDay} ${calendar.key}`;
  let axis = recentAxes.get(key);
  if (axis) {
    recentAxes.delete(key);
  } else {
    axis = new WorkingDayAxis(calendar, originEpochDay);
    if (recentAxes.size >= RECENT_AXES) recentAxes.delete(recentAxes.keys().next().value!);
  }
  recentAxes.set(key, axis);
  return axis;
}

/** How far the axis may reach from its origin before a calendar is taken to have no work. */
const MAX_SPAN_DAYS = 366 * 200;
const CHUNK_DAYS = 366;
/** dates of working days an axis keeps at most (a few years of plans) */
const MAX_KEPT_DATES = 4096;

/**
 * Working day numbers ↔ epoch days, anchored at an origin: day 0 is the first working day on or
 * after it, negative days run backwards (lead times and negative float reach there). Working
 * days are enumerated lazily a year at a time in either direction, so lookups are a binary
 * search over what has been enumerated.
 *
 * A start "at day n" means the morning of working day n; a finish "at day n" means the evening
 * of working day n − 1. Both are the same number on the axis, but not the same calendar day,
 * which is what elapsed lags measure; `startInstant` / `finishInstant` give the calendar day
 * at whose beginning each of them falls.
 */
export class WorkingDayAxis {
  /** sorted working epoch days covering [lo, hi) completely */
  private days: number[] = [];
  /** position in `days` of day 0 */
  private zero = 0;
  private lo: number;
  private hi: number;
  private readonly dates = new Map<number, IsoDate>();

  constructor(
    readonly calendar: WorkCalendar,
    readonly originEpochDay: number,
  ) {
    this.lo = originEpochDay;
    this.hi = originEpochDay;
    while (this.days.length === 0) this.extendForward();
  }

  /** ISO date of working day `n`; kept, since schedules date every activity on every change. */
  isoDateOf(n: number): IsoDate {
    let date = this.dates.get(n);
    if (date === undefined) {
      if (this.dates.size >= MAX_KEPT_DATES) this.dates.clear();
      date = isoDateOfEpochDay(this.dayOf(n));
      this.dates.set(n, date);
    }
    return date;
  }

  /** Epoch day of working day `n`. */
  dayOf(n: number): number {
    while (n + this.zero >= this.days.length) this.extendForward();
    while (n + this.zero < 0) this.extendBackward();
    return this.days[n + this.zero];
  }

  /** The first working day on or after an epoch day. */
  ceil(epochDay: number): number {
    while (this.days[this.days.length - 1] < epochDay) this.extendForward();
    while (epochDay < this.lo) this.extendBackward();
    return lowerBound(this.days, epochDay) - this.zero;
  }

  /** The last working day on or before an epoch day. */
  floor(epochDay: number): number {
    while (epochDay >= this.hi) this.extendForward();
    while (this.days[0] > epochDay || epochDay < this.lo) this.extendBackward();
    return lowerBound(this.days, epochDay + 1) - 1 - this.zero;
  }

  /** Calendar day at whose start a start at day `n` happens. */
  startInstant(n: number): number {
    return this.dayOf(n);
  }

  /** Calendar day at whose start a finish at day `n` happens: the day after the last work day. */
  finishInstant(n: number): number {
    return this.dayOf(n - 1) + 1;
  }

  /** The earliest start at or after the beginning of calendar day `instant`. */
  startAtOrAfter(instant: number): number {
    return this.ceil(instant);
  }

  /** The earliest finish at or after the beginning of calendar day `instant`. */
  finishAtOrAfter(instant: number): number {
    return this.ceil(instant - 1) + 1;
  }

  /** The latest start at or before the beginning of calendar day `instant`. */
  startAtOrBefore(instant: number): number {
    return this.floor(instant);
  }

  /** The latest finish at or before the beginning of calendar day `instant`. */
  finishAtOrBefore(instant: number): number {
    return this.floor(instant - 1) + 1;
  }

  private extendForward(): void {
    if (this.hi - this.originEpochDay > MAX_SPAN_DAYS) throw new NoWorkingDaysError();
    for (let day = this.hi; day < this.hi + CHUNK_DAYS; day++) {
      if (this.calendar.isWorkingDay(day)) this.days.push(day);
    }
    this.hi += CHUNK_DAYS;
  }

  private extendBackward(): void {
    if (this.originEpochDay - this.lo > MAX_SPAN_DAYS) throw new NoWorkingDaysError();
    const earlier: number[] = [];
    for (let day = this.lo - CHUNK_DAYS; day < this.lo; day++) {
      if (this.calendar.isWorkingDay(day)) earlier.push(day);
    }
    this.days = earlier.concat(this.days);
    this.zero += earlier.length;
    this.lo -= CHUNK_DAYS;
  }
}

/** Index of the first element ≥ value in a sorted array (its length when there is none). */
function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
