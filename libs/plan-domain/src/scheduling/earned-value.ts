/**
 * Earned value as of a status date, and time-phased per ISO week for the S-curve:
 *
 *   PV  planned value: each task's budget (its `cost`) spread evenly over the working days of
 *       its planned dates, summed up to the day;
 *   EV  earned value: budget × percent complete, spread over the working days the work was
 *       actually done (from its actual start to its actual finish or the status date);
 *   AC  actual cost: the costs recorded against tasks, by the day they are dated.
 *
 *   SV = EV − PV, CV = EV − AC, SPI = EV / PV, CPI = EV / AC, BAC = Σ budgets,
 *   EAC = BAC / CPI (the work left costs what the work done did; AC + BAC − EV until there is
 *   a CPI), ETC = EAC − AC, VAC = BAC − EAC.
 *
 * "Planned" is the schedule without any progress (or the baseline's dates when the caller has
 * one); "forecast" is the schedule with progress, which says where the work really happened.
 */
import { isoWeekOf } from '../resources/iso-week';
import { epochDayOf, isoDateOfEpochDay, requireEpochDay, type IsoDate } from './calendar-days';
import type { Schedule, ScheduledActivity } from './schedule.model';
import { WorkCalendar } from './work-calendar';

export interface ActualCost {
  readonly taskId: string;
  readonly amount: number;
  /** the day the cost was incurred */
  readonly date: IsoDate;
}

export interface EarnedValueInput {
  readonly statusDate: IsoDate;
  /** working days to spread value over; every day when absent */
  readonly calendar?: WorkCalendar;
  /** dates the work was planned for (no progress applied) */
  readonly planned: Pick<Schedule, 'activities'>;
  /** dates with progress applied */
  readonly forecast: Pick<Schedule, 'activities'>;
  /** budget at completion per task id (the task's planned cost); missing counts as 0 */
  readonly budgets: Readonly<Record<string, number>>;
  readonly actualCosts: readonly ActualCost[];
}

export interface EarnedValueFigures {
  readonly pv: number;
  readonly ev: number;
  readonly ac: number;
  readonly sv: number;
  readonly cv: number;
  /** null while nothing was planned yet */
  readonly spi: number | null;
  /** null while nothing was spent yet */
  readonly cpi: number | null;
}

export interface EarnedValueWeek {
  readonly week: string;
  readonly weekStart: IsoDate;
  /** Sunday, or the status date in its week: the day the cumulative figures are taken */
  readonly asOf: IsoDate;
  /** cumulative */
  readonly pv: number;
  /** cumulative; null after the status date (not known yet) */
  readonly ev: number | null;
  readonly ac: number | null;
}

export interface EarnedValueTaskFigures extends EarnedValueFigures {
  readonly taskId: string;
  readonly bac: number;
}

export interface EarnedValue extends EarnedValueFigures {
  readonly statusDate: IsoDate;
  readonly bac: number;
  readonly eac: number;
  readonly etc: number;
  readonly vac: number;
  readonly weeks: readonly EarnedValueWeek[];
  /** tasks with a budget or a cost, by id */
  readonly tasks: readonly EarnedValueTaskFigures[];
}

interface Phased {
  readonly taskId: string;
  readonly budget: number;
  /** working epoch days the planned value is spread over */
  readonly plannedDays: readonly number[];
  /** a zero-day task earns its value on this day */
  readonly plannedAt: number;
  readonly earned: number;
  readonly performedDays: readonly number[];
  readonly performedAt: number | null;
}

export function computeEarnedValue(input: EarnedValueInput): EarnedValue {
  const statusDay = requireEpochDay('statusDate', input.statusDate);
  const calendar = input.calendar ?? WorkCalendar.allDays();
  const forecast = new Map(input.forecast.activities.map((a) => [a.id, a]));
  const phased: Phased[] = input.planned.activities.map((planned) =>
    phase(planned, forecast.get(planned.id), input.budgets, calendar, statusDay),
  );

  const costs = input.actualCosts
    .map((c) => ({ ...c, day: epochDayOf(c.date) }))
    .filter((c) => c.day !== null && Number.isFinite(c.amount)) as (ActualCost & {
    day: number;
  })[];
  const figuresAt = (day: number, only?: string): EarnedValueFigures => {
    let pv = 0;
    let ev = 0;
    for (const p of phased) {
      if (only !== undefined && p.taskId !== only) continue;
      pv += share(p.budget, p.plannedDays, p.plannedAt, day);
      ev += p.performedAt === null ? 0 : share(p.earned, p.performedDays, p.performedAt, day);
    }
    const ac = costs
      .filter((c) => c.day <= day && (only === undefined || c.taskId === only))
      .reduce((sum, c) => sum + c.amount, 0);
    return figures(pv, ev, ac);
  };

  const now = figuresAt(statusDay);
  const bac = round(phased.reduce((sum, p) => sum + p.budget, 0));
  // Until both something is earned and something spent there is no cost performance to
  // extrapolate: the work left is then taken at its budget.
  const eac = round(now.ev > 0 && now.ac > 0 ? (bac * now.ac) / now.ev : now.ac + bac - now.ev);

  const allDays = phased.flatMap((p) => [p.plannedAt, ...p.plannedDays, ...p.performedDays]);
  const first = Math.min(statusDay, ...allDays, ...costs.map((c) => c.day));
  const last = Math.max(statusDay, ...allDays, ...costs.map((c) => c.day));
  const weeks: EarnedValueWeek[] = [];
  for (let monday = isoWeekOf(first).mondayEpochDay; monday <= last; monday += 7) {
    const sunday = monday + 6;
    const known = monday <= statusDay;
    const asOf = known ? Math.min(sunday, statusDay) : sunday;
    const at = figuresAt(asOf);
    weeks.push({
      week: isoWeekOf(monday).week,
      weekStart: isoDateOfEpochDay(monday),
      asOf: isoDateOfEpochDay(asOf),
      pv: round(figuresAt(sunday).pv),
      ev: known ? at.ev : null,
      ac: known ? at.ac : null,
    });
  }

  const taskIds = new Set([
    ...phased.filter((p) => p.budget !== 0).map((p) => p.taskId),
    ...costs.map((c) => c.taskId),
  ]);
  return {
    statusDate: isoDateOfEpochDay(statusDay),
    ...now,
    bac,
    eac,
    etc: round(eac - now.ac),
    vac: round(bac - eac),
    weeks,
    tasks: [...taskIds].sort().map((taskId) => ({
      taskId,
      bac: round(phased.find((p) => p.taskId === taskId)?.budget ?? 0),
      ...figuresAt(statusDay, taskId),
    })),
  };
}

function phase(
  planned: ScheduledActivity,
  forecast: ScheduledActivity | undefined,
  budgets: Readonly<Record<string, number>>,
  calendar: WorkCalendar,
  statusDay: number,
): Phased {
  const raw = Object.hasOwn(budgets, planned.id) ? budgets[planned.id] : 0;
  const budget = Number.isFinite(raw) ? raw : 0;
  const plannedStart = epochDayOf(planned.start) as number;
  const plannedDays = workingDays(calendar, plannedStart, epochDayOf(planned.finish) as number);
  let performedDays: number[] = [];
  let performedAt: number | null = null;
  if (forecast !== undefined && forecast.progress !== 'not-started') {
    const start = epochDayOf(forecast.start) as number;
    // work in progress has earned what it has by the status date, spread up to that day
    const end =
      forecast.progress === 'finished'
        ? (epochDayOf(forecast.finish) as number)
        : Math.max(start + 1, statusDay + 1);
    performedDays = workingDays(calendar, start, end);
    performedAt = Math.min(start, statusDay);
  }
  const percent = forecast?.percentComplete ?? 0;
  return {
    taskId: planned.id,
    budget,
    plannedDays,
    plannedAt: plannedStart,
    earned: (budget * percent) / 100,
    performedDays,
    performedAt,
  };
}

/** How much of `value`, spread evenly over `days`, has accrued by the end of `day`. */
function share(value: number, days: readonly number[], at: number, day: number): number {
  if (days.length === 0) return at <= day ? value : 0;
  let count = 0;
  for (const d of days) if (d <= day) count++;
  return (value * count) / days.length;
}

function workingDays(calendar: WorkCalendar, from: number, until: number): number[] {
  const days: number[] = [];
  for (let day = from; day < until; day++) if (calendar.isWorkingDay(day)) days.push(day);
  return days;
}

function figures(pvRaw: number, evRaw: number, acRaw: number): EarnedValueFigures {
  const [pv, ev, ac] = [round(pvRaw), round(evRaw), round(acRaw)];
  return {
    pv,
    ev,
    ac,
    sv: round(ev - pv),
    cv: round(ev - ac),
    spi: pv === 0 ? null : ratio(ev / pv),
    cpi: ac === 0 ? null : ratio(ev / ac),
  };
}

/** money to the cent */
const round = (value: number): number => Math.round(value * 100) / 100;
/** indices to four decimals, as reports show them */
const ratio = (value: number): number => Math.round(value * 10_000) / 10_000;
