import { type DependencyType } from './activity-graph';
import { InvalidIsoDateError } from './calendar-days';
import { computeSchedule } from './critical-path';
import type { ActivityInput, Schedule, ScheduledActivity } from './schedule.model';

const PLAN_START = '2027-03-01';

function fs(taskId: string, lagDays = 0) {
  return { taskId, type: 'FS' as const, lagDays };
}

function scheduleOf(activities: ActivityInput[], planStart = PLAN_START): Schedule {
  return computeSchedule({ planStart, activities });
}

function activity(schedule: Schedule, id: string): ScheduledActivity {
  const found = schedule.activities.find((a) => a.id === id);
  if (found === undefined) throw new Error(`${id} is not in the schedule`);
  return found;
}

describe('computeSchedule', () => {
  describe('the design example', () => {
    // C runs alongside A and also feeds B, which is what gives it 3 days of float.
    const example = (durationOfA: number): ActivityInput[] => [
      { id: 'A', durationDays: durationOfA },
      { id: 'B', durationDays: 3, dependsOn: [fs('A'), fs('C')] },
      { id: 'C', durationDays: 2 },
    ];

    it('given A(5d)→B(3d) FS and C(2d) alongside A, when scheduled, then A and B are critical and C has 3 days of float', () => {
      const schedule = scheduleOf(example(5));

      expect(schedule.criticalPath).toEqual(['A', 'B']);
      expect(activity(schedule, 'C')).toMatchObject({
        es: 0,
        ef: 2,
        ls: 3,
        lf: 5,
        totalFloat: 3,
        critical: false,
      });
      expect(schedule.projectFinishDay).toBe(8);
      expect(schedule.projectFinish).toBe('2027-03-09');
    });

    it('given the example, when A grows from 5 to 7 days, then B and the project finish move 2 days later', () => {
      const before = scheduleOf(example(5));
      const after = scheduleOf(example(7));

      expect(activity(after, 'B').es - activity(before, 'B').es).toBe(2);
      expect(after.projectFinishDay - before.projectFinishDay).toBe(2);
      expect(after.projectFinish).toBe('2027-03-11');
      expect(activity(after, 'C').totalFloat).toBe(5);
    });
  });

  describe('dependency types', () => {
    // X(3d) puts P(4d) at days 3–7, so every lag below moves S off day 0.
    const cases: { type: DependencyType; lagDays: number; successorStart: number }[] = [
      { type: 'FS', lagDays: 2, successorStart: 9 }, // 7 + 2
      { type: 'FS', lagDays: -2, successorStart: 5 }, // 7 − 2
      { type: 'SS', lagDays: 1, successorStart: 4 }, // 3 + 1
      { type: 'SS', lagDays: -1, successorStart: 2 }, // 3 − 1
      { type: 'FF', lagDays: 1, successorStart: 6 }, // finish ≥ 7 + 1, minus S's 2 days
      { type: 'FF', lagDays: -1, successorStart: 4 }, // finish ≥ 7 − 1
      { type: 'SF', lagDays: 3, successorStart: 4 }, // finish ≥ 3 + 3
      { type: 'SF', lagDays: -1, successorStart: 0 }, // finish ≥ 3 − 1
    ];
    const chain = (type: DependencyType, lagDays: number): ActivityInput[] => [
      { id: 'X', durationDays: 3 },
      { id: 'P', durationDays: 4, dependsOn: [fs('X')] },
      { id: 'S', durationDays: 2, dependsOn: [{ taskId: 'P', type, lagDays }] },
      { id: 'Z', durationDays: 10, dependsOn: [fs('S')] },
    ];

    it.each(cases)(
      'given P(4d, days 3–7) → S(2d) by $type with lag $lagDays, when scheduled, then S starts on day $successorStart and P is critical',
      ({ type, lagDays, successorStart }) => {
        const schedule = scheduleOf(chain(type, lagDays));

        expect(activity(schedule, 'S')).toMatchObject({
          es: successorStart,
          ef: successorStart + 2,
        });
        expect(activity(schedule, 'P')).toMatchObject({ totalFloat: 0, critical: true });
      },
    );

    it.each(cases)(
      'given P → S by $type with lag $lagDays and another predecessor holding S 2 days later, when scheduled, then P has exactly 2 days of float',
      ({ type, lagDays, successorStart }) => {
        const holder = { id: 'D', durationDays: successorStart + 2 };
        const [x, p, s, z] = chain(type, lagDays);
        const schedule = scheduleOf([
          x,
          p,
          { ...s, dependsOn: [...(s.dependsOn ?? []), fs('D')] },
          z,
          holder,
        ]);

        expect(activity(schedule, 'S')).toMatchObject({ es: successorStart + 2, critical: true });
        expect(activity(schedule, 'P')).toMatchObject({
          es: 3,
          ef: 7,
          ls: 5,
          lf: 9,
          totalFloat: 2,
          critical: false,
        });
      },
    );

    it('given P(2d) FF → S(5d), when scheduled, then S is not pulled before the plan start', () => {
      const schedule = scheduleOf([
        { id: 'P', durationDays: 2 },
        { id: 'S', durationDays: 5, dependsOn: [{ taskId: 'P', type: 'FF', lagDays: 0 }] },
      ]);

      expect(activity(schedule, 'S')).toMatchObject({ es: 0, ef: 5, critical: true });
      expect(activity(schedule, 'P')).toMatchObject({ es: 0, lf: 5, totalFloat: 3 });
    });

    it('given a long P → short S by SS, when P alone ends the project, then P is still critical', () => {
      const schedule = scheduleOf([
        { id: 'P', durationDays: 10 },
        { id: 'S', durationDays: 1, dependsOn: [{ taskId: 'P', type: 'SS', lagDays: 1 }] },
      ]);

      expect(activity(schedule, 'P')).toMatchObject({ lf: 10, totalFloat: 0, critical: true });
      expect(activity(schedule, 'S')).toMatchObject({ es: 1, lf: 10, totalFloat: 8 });
    });
  });

  describe('milestones', () => {
    it('given a milestone with a stray duration, when scheduled, then it lasts 0 days and starts and finishes on one date', () => {
      const schedule = scheduleOf([
        { id: 'build', durationDays: 4 },
        { id: 'done', durationDays: 3, milestone: true, dependsOn: [fs('build')] },
        { id: 'launch', durationDays: 2, dependsOn: [fs('done', 1)] },
      ]);

      expect(activity(schedule, 'done')).toMatchObject({
        durationDays: 0,
        milestone: true,
        es: 4,
        ef: 4,
        start: '2027-03-05',
        finish: '2027-03-05',
        critical: true,
      });
      expect(activity(schedule, 'launch').es).toBe(5);
      expect(schedule.criticalPath).toEqual(['build', 'done', 'launch']);
    });

    it('given a closing milestone, when scheduled, then it sits on the project finish', () => {
      const schedule = scheduleOf([
        { id: 'a', durationDays: 6 },
        { id: 'closed', durationDays: 0, milestone: true, dependsOn: [fs('a')] },
      ]);

      expect(activity(schedule, 'closed')).toMatchObject({ es: 6, lf: 6, critical: true });
      expect(schedule.projectFinishDay).toBe(6);
    });
  });

  describe('start constraints', () => {
    it('given a task that may not start before the 10th, when it has no predecessors, then it starts on the 10th', () => {
      const schedule = scheduleOf([{ id: 'a', durationDays: 2, start: '2027-03-10' }]);

      expect(activity(schedule, 'a')).toMatchObject({
        es: 9,
        start: '2027-03-10',
        finish: '2027-03-12',
      });
    });

    it('given a start constraint earlier than its predecessor allows, when scheduled, then the predecessor wins', () => {
      const schedule = scheduleOf([
        { id: 'a', durationDays: 5 },
        { id: 'b', durationDays: 1, start: '2027-03-02', dependsOn: [fs('a')] },
      ]);

      expect(activity(schedule, 'b').es).toBe(5);
    });

    it('given a start constraint later than its predecessor needs, when scheduled, then the predecessor gains float', () => {
      const schedule = scheduleOf([
        { id: 'a', durationDays: 2 },
        { id: 'b', durationDays: 1, start: '2027-03-08', dependsOn: [fs('a')] },
      ]);

      expect(activity(schedule, 'b')).toMatchObject({ es: 7, critical: true });
      expect(activity(schedule, 'a').totalFloat).toBe(5);
    });

    it('given a start before the plan start, when scheduled, then the task starts on the plan start', () => {
      const schedule = scheduleOf([{ id: 'a', durationDays: 1, start: '2027-02-20' }]);

      expect(activity(schedule, 'a').es).toBe(0);
    });

    it('given an impossible start date, when scheduled, then it is ignored and reported', () => {
      const schedule = scheduleOf([{ id: 'a', durationDays: 1, start: '2027-02-30' }]);

      expect(activity(schedule, 'a').es).toBe(0);
      expect(schedule.issues.invalidDates).toEqual([
        { activityId: 'a', field: 'start', value: '2027-02-30' },
      ]);
    });
  });

  describe('broken dependencies', () => {
    it('given A→B→A, a successor of A, an independent task and a self-dependent one, when scheduled, then the cycles are reported and the rest is scheduled', () => {
      const schedule = scheduleOf([
        { id: 'A', durationDays: 2, dependsOn: [fs('B')] },
        { id: 'B', durationDays: 2, dependsOn: [fs('A')] },
        { id: 'C', durationDays: 3, dependsOn: [fs('A')] },
        { id: 'D', durationDays: 4 },
        { id: 'E', durationDays: 1, dependsOn: [fs('E')] },
      ]);

      expect(schedule.issues.cycles).toEqual([['A', 'B'], ['E']]);
      expect(schedule.activities.map((a) => a.id)).toEqual(['C', 'D']);
      expect(schedule.issues.ignoredDependencies).toEqual([
        { activityId: 'C', dependsOnId: 'A', reason: 'predecessor-in-cycle' },
      ]);
      expect(schedule.projectFinishDay).toBe(4);
    });

    it('given a three-task cycle feeding a chain, when scheduled, then only the cycle members are excluded', () => {
      const schedule = scheduleOf([
        { id: 'c1', durationDays: 1, dependsOn: [fs('c3')] },
        { id: 'c2', durationDays: 1, dependsOn: [fs('c1')] },
        { id: 'c3', durationDays: 1, dependsOn: [fs('c2')] },
        { id: 'n1', durationDays: 1, dependsOn: [fs('c2')] },
        { id: 'n2', durationDays: 1, dependsOn: [fs('n1')] },
      ]);

      expect(schedule.issues.cycles).toEqual([['c1', 'c2', 'c3']]);
      expect(schedule.activities.map((a) => [a.id, a.es])).toEqual([
        ['n1', 0],
        ['n2', 1],
      ]);
    });

    it('given a dependency on an unknown task, when scheduled, then it is reported and the task starts as if it had none', () => {
      const schedule = scheduleOf([{ id: 'a', durationDays: 2, dependsOn: [fs('ghost', 3)] }]);

      expect(activity(schedule, 'a').es).toBe(0);
      expect(schedule.issues.ignoredDependencies).toEqual([
        { activityId: 'a', dependsOnId: 'ghost', reason: 'unknown-activity' },
      ]);
    });

    it('given a dependency type no client should write, when scheduled, then it is reported instead of crashing', () => {
      // The CRDT can carry values outside the union; the cast plays such a client.
      const odd = { taskId: 'a', type: 'XX' as unknown as DependencyType, lagDays: 0 };
      const schedule = scheduleOf([
        { id: 'a', durationDays: 2 },
        { id: 'b', durationDays: 1, dependsOn: [odd] },
      ]);

      expect(activity(schedule, 'b').es).toBe(0);
      expect(schedule.issues.ignoredDependencies).toEqual([
        { activityId: 'b', dependsOnId: 'a', reason: 'unknown-type' },
      ]);
    });

    it('given the same id twice, when scheduled, then the first is used and the id is reported', () => {
      const schedule = scheduleOf([
        { id: 'a', durationDays: 2 },
        { id: 'a', durationDays: 9 },
      ]);

      expect(schedule.activities).toHaveLength(1);
      expect(activity(schedule, 'a').ef).toBe(2);
      expect(schedule.issues.duplicateIds).toEqual(['a']);
    });
  });

  describe('baseline slippage', () => {
    it('given a baseline, when a task now finishes later, then its finish delta is positive and unknown tasks have none', () => {
      const schedule = computeSchedule({
        planStart: PLAN_START,
        activities: [
          { id: 'a', durationDays: 4 },
          { id: 'b', durationDays: 2, dependsOn: [fs('a')] },
          { id: 'c', durationDays: 1 },
        ],
        baseline: {
          a: { start: '2027-03-01', finish: '2027-03-04' },
          b: { start: '2027-03-04', finish: '2027-03-06' },
        },
      });

      expect(activity(schedule, 'a').slippage).toEqual({
        baselineStart: '2027-03-01',
        baselineFinish: '2027-03-04',
        startDeltaDays: 0,
        finishDeltaDays: 1,
      });
      expect(activity(schedule, 'b').slippage).toMatchObject({
        startDeltaDays: 1,
        finishDeltaDays: 1,
      });
      expect(activity(schedule, 'c').slippage).toBeNull();
    });

    it('given a baseline entry with an unreadable date, when scheduled, then there is no slippage and the entry is reported', () => {
      const schedule = computeSchedule({
        planStart: PLAN_START,
        activities: [{ id: 'a', durationDays: 1 }],
        baseline: { a: { start: 'soon', finish: '2027-03-02' } },
      });

      expect(activity(schedule, 'a').slippage).toBeNull();
      expect(schedule.issues.invalidDates).toEqual([
        { activityId: 'a', field: 'baseline', value: { start: 'soon', finish: '2027-03-02' } },
      ]);
    });

    it('given an activity named like an object property, when the baseline lacks it, then it has no slippage', () => {
      const schedule = computeSchedule({
        planStart: PLAN_START,
        activities: [{ id: 'constructor', durationDays: 1 }],
        baseline: {},
      });

      expect(activity(schedule, 'constructor').slippage).toBeNull();
    });
  });

  describe('phase roll-ups', () => {
    it('given tasks and a milestone in one phase and a longer task outside it, when rolled up, then progress is weighted by duration and the phase is not critical', () => {
      const schedule = scheduleOf([
        { id: 'a', durationDays: 10, phaseId: 'p', percentComplete: 50 },
        { id: 'b', durationDays: 30, phaseId: 'p', percentComplete: 100, dependsOn: [fs('a')] },
        { id: 'm', durationDays: 0, milestone: true, phaseId: 'p', dependsOn: [fs('b')] },
        { id: 'loose', durationDays: 50 },
      ]);

      expect(schedule.phases).toEqual([
        {
          phaseId: 'p',
          startDay: 0,
          finishDay: 40,
          start: '2027-03-01',
          finish: '2027-04-10',
          percentComplete: 87.5,
          activityCount: 3,
          milestoneCount: 1,
          critical: false,
        },
      ]);
    });

    it('given a phase of milestones only, when rolled up, then progress is the plain average', () => {
      const schedule = scheduleOf([
        { id: 'm1', durationDays: 0, milestone: true, phaseId: 'gates', percentComplete: 100 },
        { id: 'm2', durationDays: 0, milestone: true, phaseId: 'gates', percentComplete: 0 },
      ]);

      expect(schedule.phases[0]).toMatchObject({
        phaseId: 'gates',
        percentComplete: 50,
        milestoneCount: 2,
      });
    });

    it('given tasks with progress, when scheduled, then the plan progress is weighted by duration too', () => {
      const schedule = scheduleOf([
        { id: 'a', durationDays: 1, percentComplete: 100 },
        { id: 'b', durationDays: 3 },
      ]);

      expect(schedule.percentComplete).toBe(25);
    });
  });

  describe('edges of the input', () => {
    it('given no activities, when scheduled, then the project finishes on its start day', () => {
      const schedule = scheduleOf([]);

      expect(schedule).toMatchObject({
        projectFinishDay: 0,
        projectFinish: PLAN_START,
        percentComplete: 0,
        activities: [],
        criticalPath: [],
        phases: [],
      });
    });

    it('given an unreadable plan start, when scheduled, then it throws naming the field', () => {
      expect(() => scheduleOf([], '01/03/2027')).toThrow(InvalidIsoDateError);
      expect(() => scheduleOf([], '01/03/2027')).toThrow(/planStart/);
    });

    it('given a schedule across a month and leap day, when dated, then calendar days are counted in UTC', () => {
      const schedule = scheduleOf([{ id: 'a', durationDays: 2 }], '2028-02-28');

      expect(activity(schedule, 'a')).toMatchObject({ start: '2028-02-28', finish: '2028-03-01' });
    });
  });
});
