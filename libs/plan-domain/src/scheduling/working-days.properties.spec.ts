/**
 * Properties of scheduling on random working calendars: no date lands on a non-working day, and
 * every link holds, measured in working days or, for elapsed lags, in calendar days.
 */
import fc from 'fast-check';
import { DEPENDENCY_TYPES } from './activity-graph';
import { epochDayOf, isoDateOfEpochDay } from './calendar-days';
import { computeSchedule } from './critical-path';
import { CONSTRAINT_TYPES, type ActivityInput } from './schedule.model';
import { WorkCalendar, WorkingDayAxis } from './work-calendar';

const PLAN_START = '2027-03-01';
const dayAfter = (n: number) => isoDateOfEpochDay(epochDayOf(PLAN_START)! + n);

const arbCalendar = fc.record({
  workingWeekdays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
  holidays: fc.array(
    fc.integer({ min: -5, max: 60 }).map((n) => ({ date: dayAfter(n) })),
    { maxLength: 8 },
  ),
  exceptions: fc.array(
    fc.record({ date: fc.integer({ min: 0, max: 60 }).map(dayAfter), working: fc.boolean() }),
    { maxLength: 3 },
  ),
});

const arbPlan: fc.Arbitrary<ActivityInput[]> = fc
  .array(
    fc.record({
      durationDays: fc.integer({ min: 0, max: 8 }),
      milestone: fc.boolean(),
      constraint: fc.option(
        fc.record({
          type: fc.constantFrom(...CONSTRAINT_TYPES),
          date: fc.integer({ min: 0, max: 40 }).map(dayAfter),
        }),
        { nil: undefined },
      ),
      dependencies: fc.array(
        fc.record({
          predecessor: fc.nat(),
          type: fc.constantFrom(...DEPENDENCY_TYPES),
          lagDays: fc.integer({ min: -3, max: 5 }),
          lagKind: fc.constantFrom('working' as const, 'elapsed' as const),
        }),
        { maxLength: 3 },
      ),
    }),
    { minLength: 1, maxLength: 10 },
  )
  .map((specs) =>
    specs.map((spec, i): ActivityInput => ({
      id: `t${i}`,
      durationDays: spec.durationDays,
      milestone: spec.milestone,
      constraint: spec.constraint,
      dependsOn:
        i === 0
          ? []
          : spec.dependencies.map((d) => ({
              taskId: `t${d.predecessor % i}`,
              type: d.type,
              lagDays: d.lagDays,
              lagKind: d.lagKind,
            })),
    })),
  );

describe('scheduling on working calendars (properties)', () => {
  it('given any calendar and plan, when scheduled, then no date lands on a non-working day', () => {
    fc.assert(
      fc.property(arbCalendar, arbPlan, (spec, activities) => {
        const calendar = WorkCalendar.of(spec);
        const schedule = computeSchedule({ planStart: PLAN_START, calendar, activities });
        for (const a of schedule.activities) {
          for (const date of [a.start, a.finish, a.lastWorkDay, a.lateStart, a.lateFinish]) {
            expect([a.id, date, calendar.isWorkingDay(epochDayOf(date)!)]).toEqual([
              a.id,
              date,
              true,
            ]);
          }
        }
        expect(calendar.isWorkingDay(epochDayOf(schedule.projectFinish)!)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('given any calendar and plan, when scheduled, then every link holds in its own kind of days', () => {
    fc.assert(
      fc.property(arbCalendar, arbPlan, (spec, activities) => {
        const calendar = WorkCalendar.of(spec);
        const axis = new WorkingDayAxis(calendar, epochDayOf(PLAN_START)!);
        const schedule = computeSchedule({ planStart: PLAN_START, calendar, activities });
        const byId = new Map(schedule.activities.map((a) => [a.id, a]));
        for (const activity of activities) {
          const s = byId.get(activity.id)!;
          expect(s.es).toBeGreaterThanOrEqual(0);
          for (const link of activity.dependsOn ?? []) {
            const p = byId.get(link.taskId)!;
            const elapsed = link.lagKind === 'elapsed';
            // the moment each side of the link happens: working-day number, or calendar day
            const from =
              link.type === 'FS' || link.type === 'FF'
                ? elapsed
                  ? axis.finishInstant(p.ef)
                  : p.ef
                : elapsed
                  ? axis.startInstant(p.es)
                  : p.es;
            const to =
              link.type === 'FS' || link.type === 'SS'
                ? elapsed
                  ? axis.startInstant(s.es)
                  : s.es
                : elapsed
                  ? axis.finishInstant(s.ef)
                  : s.ef;
            expect(to).toBeGreaterThanOrEqual(from + link.lagDays);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
