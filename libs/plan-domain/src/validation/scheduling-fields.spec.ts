/** The scheduling fields of the schema: calendars, constraints, lag kinds, and the old format. */
import { normalizePlanImport } from '../plan-import';
import { PlanDoc } from '../plan-doc';
import { validateInput } from './validate-input';

const paths = (problems: readonly { path: string; code: string }[]) =>
  problems.map((p) => [p.path, p.code]);

describe('scheduling fields', () => {
  it('given a calendar with no working weekday, a bad holiday and an exception without working, then each is named', () => {
    expect(
      paths(
        validateInput(
          'meta',
          {
            calendar: {
              workingWeekdays: [],
              holidays: [{ date: '2027-02-30' }],
              exceptions: [{ date: '2027-03-06' }],
            },
          },
          'update',
        ),
      ),
    ).toEqual([
      ['meta.calendar.workingWeekdays', 'WRONG_TYPE'],
      ['meta.calendar.holidays.0.date', 'INVALID_DATE'],
      ['meta.calendar.exceptions.0.working', 'WRONG_TYPE'],
    ]);
    expect(validateInput('meta', { calendarMode: 'lunar' }, 'update')).toEqual([
      expect.objectContaining({ path: 'meta.calendarMode', code: 'INVALID_ENUM' }),
    ]);
  });

  it('given a dated constraint without its date, a vacation ending before it starts and an unknown lag kind, then each is refused', () => {
    expect(paths(validateInput('tasks', { constraint: { type: 'FNLT' } }, 'update', 't1'))).toEqual(
      [['tasks.t1.constraint.date', 'MISSING_FIELD']],
    );
    expect(validateInput('tasks', { constraint: { type: 'ALAP' } }, 'update', 't1')).toEqual([]);
    expect(
      paths(
        validateInput(
          'resources',
          { calendar: { vacations: [{ from: '2027-03-10', to: '2027-03-01' }] } },
          'update',
          'ana',
        ),
      ),
    ).toEqual([['resources.ana.calendar.vacations.0.to', 'OUT_OF_RANGE']]);
    expect(
      paths(
        validateInput(
          'tasks',
          { dependsOn: [{ taskId: 'a', type: 'FS', lagDays: 2, lagKind: 'weekdays' }] },
          'update',
          't1',
        ),
      ),
    ).toEqual([['tasks.t1.dependsOn.0.lagKind', 'INVALID_ENUM']]);
  });

  it('given a plan file that names "calendar-days" in meta.calendar, when imported, then it becomes calendarMode', () => {
    const plan = normalizePlanImport({ meta: { title: 'Old', calendar: 'calendar-days' } });
    expect(plan.meta).toMatchObject({ title: 'Old', calendarMode: 'calendar-days' });
    expect(plan.meta.calendar).toBeUndefined();
  });

  it('given an elapsed lag, when a dependency is added, then its kind is kept', () => {
    const plan = new PlanDoc();
    plan.addTask({ id: 'a', title: 'Pour', durationDays: 1 });
    plan.addTask({ id: 'b', title: 'Build on it', durationDays: 1 });
    expect(
      plan.addDependency('b', { taskId: 'a', type: 'FS', lagDays: 5, lagKind: 'elapsed' }),
    ).toEqual([{ taskId: 'a', type: 'FS', lagDays: 5, lagKind: 'elapsed' }]);
  });
});
