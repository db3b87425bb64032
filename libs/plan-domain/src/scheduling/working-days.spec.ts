/**
 * The critical path on a working calendar, worked by hand: weekends, holidays, elapsed lags,
 * date constraints and their conflicts, progress against a status date, and the CRM sample.
 */
import plan from './fixtures/crm-rollout.plan.json';
import expected from './fixtures/crm-rollout.expected-timeline.json';
import { DEPENDENCY_TYPES, type Dependency, type DependencyType } from './activity-graph';
import { epochDayOf, isoDateOfEpochDay } from './calendar-days';
import { computeSchedule } from './critical-path';
import type { ActivityInput, Schedule } from './schedule.model';
import { WorkCalendar, WorkingDayAxis, workingDayAxis } from './work-calendar';

const MON_FRI = WorkCalendar.of({ workingWeekdays: [1, 2, 3, 4, 5] });
const fs = (taskId: string, lagDays = 0, lagKind?: 'elapsed'): Dependency => ({
  taskId,
  type: 'FS',
  lagDays,
  lagKind,
});
const on = (schedule: Schedule, id: string) => {
  const found = schedule.activities.find((a) => a.id === id);
  if (!found) throw new Error(`${id} not scheduled`);
  return found;
};

describe('working-day axis', () => {
  // 2027-03-05 is a Friday
  const axis = new WorkingDayAxis(MON_FRI, epochDayOf('2027-03-05')!);
  const date = (n: number) => isoDateOfEpochDay(axis.dayOf(n));

  it('given a Friday origin, when counting working days, then the weekend is skipped both ways', () => {
    expect([date(-1), date(0), date(1), date(5)]).toEqual([
      '2027-03-04',
      '2027-03-05',
      '2027-03-08',
      '2027-03-12',
    ]);
  });

  it('given a Saturday, when rounded, then ceil is Monday and floor is Friday', () => {
    const saturday = epochDayOf('2027-03-06')!;
    expect(date(axis.ceil(saturday))).toBe('2027-03-08');
    expect(date(axis.floor(saturday))).toBe('2027-03-05');
  });

  it('given a plan starting on a Sunday, when day 0 is dated, then it is the Monday after', () => {
    const sunday = new WorkingDayAxis(MON_FRI, epochDayOf('2027-03-07')!);
    expect(isoDateOfEpochDay(sunday.dayOf(0))).toBe('2027-03-08');
  });
});

describe('shared working-day axes', () => {
  const friday = epochDayOf('2027-03-05')!;

  it('given two calendars read from equal plan calendars, when axes are asked for at one origin, then they share one that dates days as a fresh axis does', () => {
    const a = workingDayAxis(WorkCalendar.of({ holidays: [{ date: '2027-03-10' }] }), friday);
    const b = workingDayAxis(
      WorkCalendar.of({ holidays: [{ date: '2027-03-10', name: 'x' }] }),
      friday,
    );
    expect(b).toBe(a);
    const fresh = new WorkingDayAxis(
      WorkCalendar.of({ holidays: [{ date: '2027-03-10' }] }),
      friday,
    );
    for (const n of [-400, -1, 0, 3, 4, 800]) expect(a.dayOf(n)).toBe(fresh.dayOf(n));
  });

  it('given calendars that differ in a holiday, an exception or the weekdays, or another origin, then each gets an axis of its own', () => {
    const base = workingDayAxis(WorkCalendar.of({}), friday);
    const others = [
      workingDayAxis(WorkCalendar.of({ holidays: [{ date: '2027-03-08' }] }), friday),
      workingDayAxis(
        WorkCalendar.of({ exceptions: [{ date: '2027-03-06', working: true }] }),
        friday,
      ),
      workingDayAxis(WorkCalendar.of({ workingWeekdays: [1, 2, 3, 4] }), friday),
      workingDayAxis(WorkCalendar.of({}), friday + 1),
    ];
    for (const other of others) expect(other).not.toBe(base);
    expect(isoDateOfEpochDay(others[0].dayOf(1))).toBe('2027-03-09');
    expect(isoDateOfEpochDay(others[1].dayOf(1))).toBe('2027-03-06');
  });
});

describe('computeSchedule on a Mon–Fri calendar', () => {
  const schedule = (activities: ActivityInput[], statusDate?: string, holidays: string[] = []) =>
    computeSchedule({
      planStart: '2027-03-01', // a Monday
      calendar: WorkCalendar.of({ holidays: holidays.map((date) => ({ date })) }),
      activities,
      statusDate,
    });

  it('given A (5d) → B (3d), when scheduled, then B skips the weekend and finishes on Thursday', () => {
    // A: days 0–4 = Mon 1 … Fri 5; B: days 5–7 = Mon 8 … Wed 10; finish = day 8 = Thu 11
    const result = schedule([
      { id: 'A', durationDays: 5 },
      { id: 'B', durationDays: 3, dependsOn: [fs('A')] },
    ]);
    expect(on(result, 'B')).toMatchObject({
      start: '2027-03-08',
      lastWorkDay: '2027-03-10',
      finish: '2027-03-11',
    });
    expect(result.projectFinish).toBe('2027-03-11');
  });

  it('given a holiday on Wednesday, when a 3-day task runs over it, then it ends a day later', () => {
    // days 0,1 = Mon 1, Tue 2; Wed 3 is a holiday; day 2 = Thu 4
    const result = schedule([{ id: 'A', durationDays: 3 }], undefined, ['2027-03-03']);
    expect(on(result, 'A')).toMatchObject({ lastWorkDay: '2027-03-04', finish: '2027-03-05' });
  });

  it('given FS +2ed after a task ending on Friday, when scheduled, then the successor starts Monday, and +2d would be Wednesday', () => {
    // A ends Fri 5 (evening = Sat 6, 0:00); +2 elapsed days = Mon 8, 0:00 → B starts Mon 8.
    // +2 working days: A's finish is day 5 (Mon 8), + 2 = day 7 = Wed 10.
    const result = schedule([
      { id: 'A', durationDays: 5 },
      { id: 'B', durationDays: 1, dependsOn: [fs('A', 2, 'elapsed')] },
      { id: 'C', durationDays: 1, dependsOn: [fs('A', 2)] },
    ]);
    expect(on(result, 'B').start).toBe('2027-03-08');
    expect(on(result, 'C').start).toBe('2027-03-10');
  });

  it('given SNET on a Saturday, when scheduled, then the task starts the Monday after', () => {
    const result = schedule([
      { id: 'A', durationDays: 2, constraint: { type: 'SNET', date: '2027-03-06' } },
    ]);
    expect(on(result, 'A').start).toBe('2027-03-08');
  });

  it('given an ALAP task with float, when scheduled, then it ends where its successor needs it', () => {
    // B (10d) runs days 0–9; A (2d, ALAP) feeds C, which also waits for B: C starts day 10,
    // so A may finish at day 10: days 8–9 = Thu 11, Fri 12.
    const result = schedule([
      { id: 'A', durationDays: 2, constraint: { type: 'ALAP' } },
      { id: 'B', durationDays: 10 },
      { id: 'C', durationDays: 1, dependsOn: [fs('A'), fs('B')] },
    ]);
    expect(on(result, 'A')).toMatchObject({ start: '2027-03-11', lastWorkDay: '2027-03-12' });
    expect(on(result, 'C').start).toBe('2027-03-15');
  });

  it('given a FNLT that the chain before it cannot meet, then the conflict names the chain and the overrun', () => {
    // design 5d (days 0–4), build 10d FS (days 5–14), test 3d FS (days 15–17): test's last
    // work day is day 17 = Wed 24 March. FNLT Fri 19 March allows a last work day of day 14,
    // so it overruns by 17 − 14 = 3 working days; test's float is 14 − 17 = −3, and the
    // backward pass carries −3 to build and design: the whole chain is critical.
    const result = schedule([
      { id: 'design', durationDays: 5 },
      { id: 'build', durationDays: 10, dependsOn: [fs('design')] },
      { id: 'docs', durationDays: 2 },
      {
        id: 'test',
        durationDays: 3,
        dependsOn: [fs('build'), fs('docs')],
        constraint: { type: 'FNLT', date: '2027-03-19' },
      },
    ]);
    expect(result.constraintConflicts).toEqual([
      {
        activityId: 'test',
        constraint: { type: 'FNLT', date: '2027-03-19' },
        scheduled: '2027-03-24',
        allowed: '2027-03-19',
        overrunDays: 3,
        chain: ['design', 'build', 'test'],
        chainStart: 'plan-start',
      },
    ]);
    expect(['design', 'build', 'test'].map((id) => on(result, id).totalFloat)).toEqual([
      -3, -3, -3,
    ]);
    expect(result.criticalPath).toEqual(['design', 'build', 'test']);
  });

  it('given a FNLT the logic can meet, then there is no conflict and the float shrinks to fit', () => {
    // A ends day 5 (last work day Fri 5); FNLT Tue 9 allows last work day = day 6: float 2
    const result = schedule([
      { id: 'A', durationDays: 5, constraint: { type: 'FNLT', date: '2027-03-09' } },
      { id: 'B', durationDays: 20 },
    ]);
    expect(result.constraintConflicts).toEqual([]);
    expect(on(result, 'A').totalFloat).toBe(2);
  });

  it('given progress as of a status date, then finished work keeps its dates and the rest moves after the status date', () => {
    // status date Wed 10 March: remaining work resumes Thu 11 (day 8).
    // done: actual Mon 1 – Tue 2 (planned 3 days, finished early): days 0–1.
    // half: started Wed 3 (day 2), 4 days at 50% → 2 done, 2 left from day 8: days 8–9,
    //   finish day 10 = Mon 15.
    // late: planned after done (day 2) but not started: pushed to day 8 = Thu 11.
    const result = schedule(
      [
        { id: 'done', durationDays: 3, actualStart: '2027-03-01', actualFinish: '2027-03-02' },
        {
          id: 'half',
          durationDays: 4,
          percentComplete: 50,
          actualStart: '2027-03-03',
          dependsOn: [fs('done')],
        },
        { id: 'late', durationDays: 2, dependsOn: [fs('done')] },
      ],
      '2027-03-10',
    );
    expect(on(result, 'done')).toMatchObject({
      start: '2027-03-01',
      lastWorkDay: '2027-03-02',
      progress: 'finished',
      critical: false,
    });
    expect(on(result, 'half')).toMatchObject({
      start: '2027-03-03',
      finish: '2027-03-15',
      remainingDays: 2,
      progress: 'in-progress',
    });
    expect(on(result, 'late')).toMatchObject({ start: '2027-03-11', progress: 'not-started' });
  });
});

describe('the CRM sample on a Mon–Fri calendar with two holidays', () => {
  const dependencyType = (type: string): DependencyType => {
    const known = DEPENDENCY_TYPES.find((t) => t === type);
    if (known === undefined) throw new Error(`fixture has dependency type ${type}`);
    return known;
  };
  const activities: ActivityInput[] = plan.tasks.map((task) => ({
    id: task.id,
    durationDays: task.durationDays,
    milestone: task.milestone,
    phaseId: task.phaseId,
    dependsOn: task.dependsOn.map((d) => ({ ...d, type: dependencyType(d.type) })),
  }));
  // Good Friday and Easter Monday 2027
  const calendar = WorkCalendar.of({
    workingWeekdays: [1, 2, 3, 4, 5],
    holidays: [
      { date: '2027-03-26', name: 'Good Friday' },
      { date: '2027-03-29', name: 'Easter Monday' },
    ],
  });
  const schedule = computeSchedule({ planStart: plan.meta.start, calendar, activities });

  /*
   * Every lag in the sample is a working lag and no task has a date of its own, so the forward
   * and backward passes do the very same arithmetic on working-day numbers as the calendar-day
   * schedule did on calendar-day numbers: ES/EF/LS/LF and the critical path are those of the
   * expected timeline; only what a day number means changes.
   *
   * Day n → date: weekday number k = n below the holidays, k = n + 2 from day 19 on (Friday
   * 26 March would have been weekday 19, Monday 29 March weekday 20); the date is then
   * Monday 1 March + 7·⌊k/5⌋ + (k mod 5) days. Along the critical path:
   *
   *   t01  0–1    Mon 01.03            t02  1–9   Tue 02.03 – Thu 11.03
   *   t03  2–8    (FS+1) Wed 03.03 – Wed 10.03
   *   t04  max(9, 8) = 9 – 14          Fri 12.03 – Thu 18.03       m01 14: Fri 19.03
   *   t05  SS+2 from t03: 4 – 14       t06 max(14, 14) = 14 – 26: Fri 19.03 – Wed 07.04
   *        (Fri 19, Mon 22 – Thu 25, Tue 30, Wed 31, Thu 1, Fri 2, Mon 5 – Wed 7: 12 days)
   *   t10  26–30  Thu 08.04 – Tue 13.04 (k = 28…31)
   *   t11  30–45  Wed 14.04 – Tue 04.05 (k = 32…46)
   *   t12  SS+5: 35–53, t14 FS: 45–53, both end Fri 14.05 (k = 54)
   *   t15  53–63  Mon 17.05 – Fri 28.05            m03 63: Mon 31.05
   *   t21  63–71  Mon 31.05 – Wed 09.06
   *   t23  max(t22 FS 63, t21 SS+2 65) = 65–68: Wed 02.06 – Fri 04.06
   *   t24  68–75  Mon 07.06 – Tue 15.06
   *   t25  max(t21 FS 71, t24 FF 75 − 1 = 74) = 74–75: Tue 15.06
   *   t26  FS+1: 76–78  Thu 17.06 – Fri 18.06       m04 78: Mon 21.06
   *   t27  78–93  Mon 21.06 – Fri 09.07   t28 FS+10 from m04: 88–93 Mon 05.07 – Fri 09.07
   *   m05  93: k = 95 = 5·19 → Monday 1 March + 133 days = Monday 12 July
   */
  it('given the sample, when scheduled, then the project ends on Friday 9 July and finishes at day 93, Monday 12 July', () => {
    expect(schedule.projectFinishDay).toBe(93);
    expect(schedule.projectFinish).toBe('2027-07-12');
    expect(on(schedule, 't27').lastWorkDay).toBe('2027-07-09');
    expect(on(schedule, 'm05').start).toBe('2027-07-12');
  });

  it('given the sample, when scheduled, then the critical path is the hand-computed one', () => {
    expect(schedule.criticalPath).toEqual([
      't01',
      't02',
      't03',
      't04',
      'm01',
      't05',
      't06',
      't10',
      't11',
      't12',
      't14',
      't15',
      'm03',
      't21',
      't23',
      't24',
      't25',
      't26',
      'm04',
      't27',
      't28',
      'm05',
    ]);
    expect(schedule.criticalPath).toEqual(expected.criticalPath);
  });

  it('given the sample, when scheduled, then the dates worked out above hold, across the Easter holidays', () => {
    const dates = (id: string) => [on(schedule, id).start, on(schedule, id).lastWorkDay];
    expect(dates('t04')).toEqual(['2027-03-12', '2027-03-18']);
    expect(dates('t06')).toEqual(['2027-03-19', '2027-04-07']);
    expect(dates('t11')).toEqual(['2027-04-14', '2027-05-04']);
    expect(dates('t15')).toEqual(['2027-05-17', '2027-05-28']);
    expect(dates('t25')).toEqual(['2027-06-15', '2027-06-15']);
    expect(on(schedule, 'm04').start).toBe('2027-06-21');
  });

  it('given the sample, when scheduled, then the day numbers equal the calendar-day schedule', () => {
    for (const [id, task] of Object.entries(expected.tasks)) {
      expect([id, on(schedule, id).es, on(schedule, id).ef, on(schedule, id).totalFloat]).toEqual([
        id,
        task.es,
        task.ef,
        task.totalFloat,
      ]);
    }
  });
});
