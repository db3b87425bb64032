/**
 * Properties of the critical path method over random plans: random DAGs for the scheduling
 * invariants, random graphs with cycles for the error reporting.
 */
import fc from 'fast-check';
import { DEPENDENCY_TYPES, type Dependency } from './activity-graph';
import { computeSchedule } from './critical-path';
import type { ActivityInput, Schedule, ScheduledActivity } from './schedule.model';

const PLAN_START = '2027-03-01';
const START_CONSTRAINTS = ['2027-02-25', '2027-03-01', '2027-03-04', '2027-03-20'];
const START_DAYS: Record<string, number> = {
  '2027-02-25': -4,
  '2027-03-01': 0,
  '2027-03-04': 3,
  '2027-03-20': 19,
};

const arbDependencySpec = fc.record({
  predecessor: fc.nat(),
  type: fc.constantFrom(...DEPENDENCY_TYPES),
  lagDays: fc.integer({ min: -5, max: 6 }),
});

const arbActivitySpec = fc.record({
  durationDays: fc.integer({ min: 0, max: 12 }),
  milestone: fc.boolean(),
  start: fc.option(fc.constantFrom(...START_CONSTRAINTS), { nil: undefined }),
  dependencies: fc.array(arbDependencySpec, { maxLength: 3 }),
});

/**
 * Activities whose ids are shuffled against their position, so id order and dependency order
 * disagree. With `acyclic`, dependencies only point to earlier positions.
 */
const arbPlan = (acyclic: boolean): fc.Arbitrary<ActivityInput[]> =>
  fc.array(arbActivitySpec, { minLength: 1, maxLength: 14 }).chain((specs) =>
    fc
      .shuffledSubarray(
        specs.map((_, i) => `t${String(i).padStart(2, '0')}`),
        { minLength: specs.length, maxLength: specs.length },
      )
      .map((ids) =>
        specs.map((spec, i): ActivityInput => {
          const candidates = acyclic ? i : specs.length;
          return {
            id: ids[i],
            durationDays: spec.durationDays,
            milestone: spec.milestone,
            start: spec.start,
            dependsOn:
              candidates === 0
                ? []
                : spec.dependencies.map((d) => ({
                    taskId: ids[d.predecessor % candidates],
                    type: d.type,
                    lagDays: d.lagDays,
                  })),
          };
        }),
      ),
  );

function scheduleOf(activities: readonly ActivityInput[]): Schedule {
  return computeSchedule({ planStart: PLAN_START, activities });
}

interface Dates {
  readonly s: number;
  readonly f: number;
}

const early = (a: ScheduledActivity): Dates => ({ s: a.es, f: a.ef });
const late = (a: ScheduledActivity): Dates => ({ s: a.ls, f: a.lf });

/** How far a dependency's inequality is from binding (0 = tight, negative = violated). */
function slack(d: Dependency, p: Dates, s: Dates): number {
  switch (d.type) {
    case 'FS':
      return s.s - (p.f + d.lagDays);
    case 'SS':
      return s.s - (p.s + d.lagDays);
    case 'FF':
      return s.f - (p.f + d.lagDays);
    case 'SF':
      return s.f - (p.s + d.lagDays);
  }
}

function byId(schedule: Schedule): Map<string, ScheduledActivity> {
  return new Map(schedule.activities.map((a) => [a.id, a]));
}

describe('computeSchedule properties', () => {
  it('given a random DAG, when scheduled, then early and late dates satisfy every dependency and start constraint', () => {
    fc.assert(
      fc.property(arbPlan(true), (plan) => {
        const schedule = scheduleOf(plan);
        const scheduled = byId(schedule);
        expect(schedule.activities).toHaveLength(plan.length);
        for (const input of plan) {
          const a = scheduled.get(input.id) as ScheduledActivity;
          expect(a.es).toBeGreaterThanOrEqual(0);
          if (input.start) expect(a.es).toBeGreaterThanOrEqual(START_DAYS[input.start]);
          expect(a.ef).toBe(a.es + (input.milestone ? 0 : input.durationDays));
          expect(a.lf).toBeLessThanOrEqual(schedule.projectFinishDay);
          for (const d of input.dependsOn ?? []) {
            const p = scheduled.get(d.taskId) as ScheduledActivity;
            expect(slack(d, early(p), early(a))).toBeGreaterThanOrEqual(0);
            expect(slack(d, late(p), late(a))).toBeGreaterThanOrEqual(0);
          }
        }
      }),
    );
  });

  it('given a random DAG, when scheduled, then every date is as early (or late) as its constraints allow', () => {
    fc.assert(
      fc.property(arbPlan(true), (plan) => {
        const schedule = scheduleOf(plan);
        const scheduled = byId(schedule);
        const heldLateBy = new Set<string>();
        for (const input of plan) {
          const a = scheduled.get(input.id) as ScheduledActivity;
          const heldByStart =
            a.es === 0 || (typeof input.start === 'string' && a.es === START_DAYS[input.start]);
          let heldByDependency = false;
          for (const d of input.dependsOn ?? []) {
            const p = scheduled.get(d.taskId) as ScheduledActivity;
            if (slack(d, early(p), early(a)) === 0) heldByDependency = true;
            if (slack(d, late(p), late(a)) === 0) heldLateBy.add(p.id);
          }
          expect(heldByStart || heldByDependency).toBe(true);
        }
        for (const a of schedule.activities) {
          expect(a.lf === schedule.projectFinishDay || heldLateBy.has(a.id)).toBe(true);
        }
      }),
    );
  });

  it('given a random DAG, when scheduled, then float is never negative, something is critical and the critical path lists exactly the zero-float activities', () => {
    fc.assert(
      fc.property(arbPlan(true), (plan) => {
        const schedule = scheduleOf(plan);
        for (const a of schedule.activities) {
          expect(a.totalFloat).toBeGreaterThanOrEqual(0);
          expect(a.totalFloat).toBe(a.lf - a.ef);
          if (a.ef === schedule.projectFinishDay) expect(a.critical).toBe(true);
        }
        expect(schedule.projectFinishDay).toBe(Math.max(...schedule.activities.map((a) => a.ef)));
        expect(schedule.criticalPath.length).toBeGreaterThan(0);
        expect(schedule.criticalPath).toEqual(
          schedule.activities.filter((a) => a.totalFloat === 0).map((a) => a.id),
        );
      }),
    );
  });

  it('given a random DAG, when scheduled twice or in another order, then the result is identical', () => {
    fc.assert(
      fc.property(
        arbPlan(true).chain((plan) =>
          fc.tuple(fc.constant(plan), fc.shuffledSubarray(plan, { minLength: plan.length })),
        ),
        ([plan, shuffled]) => {
          const first = scheduleOf(plan);
          expect(scheduleOf(plan)).toEqual(first);
          expect(scheduleOf(shuffled)).toEqual(first);
        },
      ),
    );
  });

  it('given a random DAG, when one lag grows, then no activity and not the finish moves earlier', () => {
    fc.assert(
      fc.property(
        arbPlan(true),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 10 }),
        (plan, which, dep, extra) => {
          const withDeps = plan.filter((a) => (a.dependsOn ?? []).length > 0);
          fc.pre(withDeps.length > 0);
          const target = withDeps[which % withDeps.length];
          const deps = target.dependsOn ?? [];
          const k = dep % deps.length;
          const longer = plan.map((a) =>
            a !== target
              ? a
              : {
                  ...a,
                  dependsOn: deps.map((d, i) =>
                    i === k ? { ...d, lagDays: d.lagDays + extra } : d,
                  ),
                },
          );
          const before = scheduleOf(plan);
          const after = scheduleOf(longer);
          expect(after.projectFinishDay).toBeGreaterThanOrEqual(before.projectFinishDay);
          const beforeById = byId(before);
          for (const a of after.activities) {
            expect(a.es).toBeGreaterThanOrEqual((beforeById.get(a.id) as ScheduledActivity).es);
          }
        },
      ),
    );
  });

  it('given a random graph that may have cycles, when scheduled, then it does not throw and every activity is either scheduled after its predecessors or in a reported cycle', () => {
    fc.assert(
      fc.property(arbPlan(false), (plan) => {
        const schedule = scheduleOf(plan);
        const scheduledIds = schedule.activities.map((a) => a.id);
        const cycleIds = schedule.issues.cycles.flat();
        expect([...scheduledIds, ...cycleIds].sort()).toEqual(plan.map((a) => a.id).sort());

        const position = new Map(scheduledIds.map((id, i) => [id, i]));
        const inputs = new Map(plan.map((a) => [a.id, a]));
        for (const id of scheduledIds) {
          for (const d of inputs.get(id)?.dependsOn ?? []) {
            const p = position.get(d.taskId);
            if (p !== undefined) expect(p).toBeLessThan(position.get(id) as number);
          }
        }

        // A reported cycle must really be one: each member reaches every member, itself included.
        for (const members of schedule.issues.cycles) {
          const inside = new Set(members);
          for (const from of members) {
            const reached = new Set<string>();
            const queue = [from];
            while (queue.length > 0) {
              const id = queue.pop() as string;
              for (const d of inputs.get(id)?.dependsOn ?? []) {
                if (inside.has(d.taskId) && !reached.has(d.taskId)) {
                  reached.add(d.taskId);
                  queue.push(d.taskId);
                }
              }
            }
            expect([...reached].sort()).toEqual([...members]);
          }
        }
      }),
    );
  });
});
