import { computeSchedule } from './critical-path';
import { computeEarnedValue } from './earned-value';
import type { ActivityInput } from './schedule.model';
import { WorkCalendar } from './work-calendar';

describe('computeEarnedValue', () => {
  const calendar = WorkCalendar.of({}); // Mon–Fri
  const statusDate = '2027-03-05'; // Friday: days 0–4 (Mon 1 … Fri 5) are reported
  const plannedActivities: ActivityInput[] = [
    { id: 'A', durationDays: 10 },
    { id: 'B', durationDays: 4 },
    { id: 'C', durationDays: 8 },
    // planned from Wednesday 3 March, not started by the status date: late
    { id: 'D', durationDays: 5, start: '2027-03-03' },
  ];
  const withProgress = plannedActivities.map((a) =>
    a.id === 'D' ? a : { ...a, percentComplete: 50, actualStart: '2027-03-01' },
  );
  const budgets = { A: 10_000, B: 4_000, C: 8_000, D: 5_000 };
  const actualCosts = [
    { taskId: 'A', amount: 6_000, date: '2027-03-04' },
    { taskId: 'B', amount: 1_500, date: '2027-03-02' },
    { taskId: 'C', amount: 4_500, date: '2027-03-05' },
    // after the status date: not counted
    { taskId: 'C', amount: 999, date: '2027-03-08' },
  ];
  const evm = computeEarnedValue({
    statusDate,
    calendar,
    planned: computeSchedule({ planStart: '2027-03-01', calendar, activities: plannedActivities }),
    forecast: computeSchedule({
      planStart: '2027-03-01',
      calendar,
      activities: withProgress,
      statusDate,
    }),
    budgets,
    actualCosts,
  });

  it('given three tasks half done and one late at the status date, then PV, EV, AC, SPI and CPI are the hand-computed ones', () => {
    // PV: A 10 000 × 5/10 = 5 000; B all 4 planned days are past: 4 000;
    //     C 8 000 × 5/8 = 5 000; D planned Wed–Fri of its 5 days: 5 000 × 3/5 = 3 000 → 17 000
    // EV: 50 % of A, B, C: 5 000 + 2 000 + 4 000 = 11 000; D earned nothing
    // AC: 6 000 + 1 500 + 4 500 = 12 000 (the 999 on 8 March is after the status date)
    // SPI = 11 000 / 17 000 = 0.6471; CPI = 11 000 / 12 000 = 0.9167
    expect(evm).toMatchObject({
      statusDate,
      pv: 17_000,
      ev: 11_000,
      ac: 12_000,
      sv: -6_000,
      cv: -1_000,
      spi: 0.6471,
      cpi: 0.9167,
    });
  });

  it('given those figures, then the estimates at completion follow from the CPI', () => {
    // BAC = 27 000; EAC = BAC × AC / EV = 27 000 × 12 / 11 = 29 454.55;
    // ETC = 29 454.55 − 12 000 = 17 454.55; VAC = 27 000 − 29 454.55 = −2 454.55
    expect(evm).toMatchObject({ bac: 27_000, eac: 29_454.55, etc: 17_454.55, vac: -2_454.55 });
  });

  it('given the weeks, then PV rises to BAC and EV/AC stop at the status date', () => {
    // W09 (1–7 March): as of the status date Fri 5. PV to Sun 7 = same 17 000 (no weekend work).
    // W10: A days 5–9 → 10 000, C days 5–7 → 8 000, D Mon 8, Tue 9 → 5 000: 27 000.
    expect(evm.weeks).toEqual([
      {
        week: '2027-W09',
        weekStart: '2027-03-01',
        asOf: '2027-03-05',
        pv: 17_000,
        ev: 11_000,
        ac: 12_000,
      },
      {
        week: '2027-W10',
        weekStart: '2027-03-08',
        asOf: '2027-03-14',
        pv: 27_000,
        ev: null,
        ac: null,
      },
    ]);
  });

  it('given per task figures, then the late task shows its planned value unearned', () => {
    expect(evm.tasks.find((t) => t.taskId === 'D')).toMatchObject({
      bac: 5_000,
      pv: 3_000,
      ev: 0,
      spi: 0,
    });
  });
});
