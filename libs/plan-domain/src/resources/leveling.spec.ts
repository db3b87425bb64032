import fc from 'fast-check';
import type { Resource } from '../plan-json';
import { DEPENDENCY_TYPES } from '../scheduling/activity-graph';
import { epochDayOf } from '../scheduling/calendar-days';
import { computeSchedule } from '../scheduling/critical-path';
import { WorkCalendar, WorkingDayAxis } from '../scheduling/work-calendar';
import { levelResources, type LevelingActivity, type LevelingInput } from './leveling';
import { allocateResources } from './resource-allocation';

const PLAN_START = '2027-03-01'; // a Monday
const MON_FRI = WorkCalendar.of({});

describe('levelResources', () => {
  // Ana has `critical` (4d, feeding `after`, 5d) and `side` (3d, nothing after it), both from
  // Monday 1 March: 7 task-days = 56 h in a 40 h week. Float: `critical` 0; the project ends at
  // day 9, so `side` has 9 − 3 = 6 days.
  const input: LevelingInput = {
    planStart: PLAN_START,
    calendar: MON_FRI,
    activities: [
      { id: 'critical', durationDays: 4, resourceIds: ['ana'] },
      {
        id: 'after',
        durationDays: 5,
        resourceIds: ['bo'],
        dependsOn: [{ taskId: 'critical', type: 'FS', lagDays: 0 }],
      },
      { id: 'side', durationDays: 3, resourceIds: ['ana'] },
    ],
    resources: [{ id: 'ana' }, { id: 'bo' }],
  };
  const people: Resource[] = [
    { id: 'ana', name: 'Ana', kind: 'person', capacityHoursPerDay: 8 },
    { id: 'bo', name: 'Bo', kind: 'person', capacityHoursPerDay: 8 },
  ];
  const weeks = (result: ReturnType<typeof levelResources>) =>
    allocateResources(
      people,
      result.schedule.activities.map((a) => ({
        id: a.id,
        title: a.id,
        start: a.start,
        finish: a.finish,
        assignees: [],
        resourceIds: input.activities.find((x) => x.id === a.id)!.resourceIds,
      })),
      { calendar: MON_FRI },
    );

  it('given two tasks sharing Ana in one week, when leveled, then the one with more float waits and no week is over-allocated', () => {
    const before = computeSchedule(input);
    expect(before.activities.map((a) => [a.id, a.totalFloat])).toEqual([
      ['critical', 0],
      ['after', 0],
      ['side', 6],
    ]);
    const result = levelResources(input);

    // side: Mon 1 → Fri 5 (day 4, once `critical` has freed Ana on days 0–3): 4 days ≤ 6 float
    expect(result.moves).toEqual([
      {
        activityId: 'side',
        fromStart: '2027-03-01',
        toStart: '2027-03-05',
        delayDays: 4,
        withinFloat: true,
        cause: 'leveled',
      },
    ]);
    expect(result.starts).toEqual([{ activityId: 'side', start: '2027-03-05' }]);
    expect(result.projectFinishAfter).toBe(result.projectFinishBefore);
    expect(result.overAllocationsBefore.map((o) => o.date)).toEqual([
      '2027-03-01',
      '2027-03-02',
      '2027-03-03',
    ]);
    expect(result.overAllocationsLeft).toEqual([]);

    // W09 before: 7 days × 8 h = 56 h > 5 × 8 = 40 h. After: critical 4 d + side's Friday = 40 h,
    // side's Monday and Tuesday fall in W10.
    expect(weeks({ ...result, schedule: before }).overAllocations.map((o) => o.week)).toEqual([
      '2027-W09',
    ]);
    const after = weeks(result);
    expect(after.overAllocations).toEqual([]);
    expect(after.resources.find((r) => r.resourceId === 'ana')?.weeks).toEqual([
      expect.objectContaining({ week: '2027-W09', assignedHours: 40, capacityHours: 40 }),
      expect.objectContaining({ week: '2027-W10', assignedHours: 16 }),
    ]);
  });

  it('given equal float, when leveled, then the lower priority waits, and with equal priority the larger id', () => {
    const twins = (priorityOfB?: number): LevelingInput => ({
      planStart: PLAN_START,
      activities: [
        { id: 'a', durationDays: 2, resourceIds: ['ana'] },
        { id: 'b', durationDays: 2, resourceIds: ['ana'], priority: priorityOfB },
      ],
      resources: [],
    });
    expect(levelResources(twins()).moves.map((m) => m.activityId)).toEqual(['b']);
    expect(levelResources(twins(900)).moves.map((m) => m.activityId)).toEqual(['a']);
  });

  it('given Ana away for the first week, when leveled, then her task starts after the vacation', () => {
    const result = levelResources({
      planStart: PLAN_START,
      calendar: MON_FRI,
      activities: [{ id: 'a', durationDays: 2, resourceIds: ['ana'] }],
      resources: [
        { id: 'ana', calendar: { vacations: [{ from: '2027-03-01', to: '2027-03-05' }] } },
      ],
    });
    expect(result.moves).toEqual([
      expect.objectContaining({ activityId: 'a', toStart: '2027-03-08' }),
    ]);
    expect(result.overAllocationsLeft).toEqual([]);
  });

  it('given two started tasks on one person, when leveled, then nothing moves and the clash is left', () => {
    const result = levelResources({
      planStart: PLAN_START,
      activities: [
        { id: 'a', durationDays: 2, resourceIds: ['ana'], actualStart: PLAN_START },
        { id: 'b', durationDays: 2, resourceIds: ['ana'], actualStart: PLAN_START },
      ],
      resources: [],
    });
    expect(result.moves).toEqual([]);
    expect(result.overAllocationsLeft).toHaveLength(2);
  });
});

describe('levelResources (properties)', () => {
  const arbInput: fc.Arbitrary<LevelingInput> = fc
    .record({
      calendarDays: fc.boolean(),
      units: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 3, maxLength: 3 }),
      specs: fc.array(
        fc.record({
          durationDays: fc.integer({ min: 0, max: 5 }),
          resources: fc.subarray(['r0', 'r1', 'r2'], { maxLength: 2 }),
          started: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
          priority: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }),
          deps: fc.array(
            fc.record({
              predecessor: fc.nat(),
              type: fc.constantFrom(...DEPENDENCY_TYPES),
              lagDays: fc.integer({ min: -2, max: 3 }),
              elapsed: fc.boolean(),
            }),
            { maxLength: 2 },
          ),
        }),
        { minLength: 1, maxLength: 9 },
      ),
    })
    .map(({ calendarDays, units, specs }) => ({
      planStart: PLAN_START,
      calendar: calendarDays ? undefined : MON_FRI,
      resources: units.map((maxUnits, i) => ({ id: `r${i}`, maxUnits })),
      activities: specs.map((spec, i): LevelingActivity => ({
        id: `t${i}`,
        durationDays: spec.durationDays,
        resourceIds: spec.resources,
        priority: spec.priority,
        actualStart: spec.started ? PLAN_START : undefined,
        dependsOn:
          i === 0
            ? []
            : spec.deps.map((d) => ({
                taskId: `t${d.predecessor % i}`,
                type: d.type,
                lagDays: d.lagDays,
                lagKind: d.elapsed ? ('elapsed' as const) : ('working' as const),
              })),
      })),
    }));

  it('given any plan, when leveled, then what is left over-allocated involves only started work or tasks its links keep overlapping', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const result = levelResources(input);
        const fixed = new Set([
          ...input.activities.filter((a) => a.actualStart).map((a) => a.id),
          ...result.unlevelable,
        ]);
        for (const left of result.overAllocationsLeft) {
          expect(left.activityIds.filter((id) => !fixed.has(id))).toEqual([]);
        }
      }),
      { numRuns: 120 },
    );
  });

  it('given unlinked tasks nobody has started, when leveled, then no resource is over-allocated on any day', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const result = levelResources({
          ...input,
          activities: input.activities.map((a) => ({
            ...a,
            dependsOn: [],
            actualStart: undefined,
          })),
        });
        expect(result.overAllocationsLeft).toEqual([]);
        expect(result.unlevelable).toEqual([]);
      }),
      { numRuns: 120 },
    );
  });

  it('given any plan, when leveled, then tasks only move later, keep their durations and never start before their predecessors allow', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const before = computeSchedule(input);
        const result = levelResources(input);
        const axis = new WorkingDayAxis(
          input.calendar ?? WorkCalendar.allDays(),
          epochDayOf(PLAN_START)!,
        );
        const was = new Map(before.activities.map((a) => [a.id, a]));
        const now = new Map(result.schedule.activities.map((a) => [a.id, a]));
        for (const activity of input.activities) {
          const s = now.get(activity.id)!;
          expect(s.es).toBeGreaterThanOrEqual(was.get(activity.id)!.es);
          expect(s.ef - s.es).toBe(was.get(activity.id)!.ef - was.get(activity.id)!.es);
          // started work keeps its actual dates whatever the links say: they are history
          if (activity.actualStart !== undefined) continue;
          for (const link of activity.dependsOn ?? []) {
            const p = now.get(link.taskId)!;
            const elapsed = link.lagKind === 'elapsed';
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
      { numRuns: 120 },
    );
  });

  it('given any plan, when its leveling starts are applied and it is scheduled again, then the leveled schedule comes back', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const result = levelResources(input);
        const starts = new Map(result.starts.map((s) => [s.activityId, s.start]));
        const again = computeSchedule({
          ...input,
          activities: input.activities.map((a) =>
            starts.has(a.id) ? { ...a, start: starts.get(a.id) } : a,
          ),
        });
        expect(again.activities.map((a) => [a.id, a.start])).toEqual(
          result.schedule.activities.map((a) => [a.id, a.start]),
        );
      }),
      { numRuns: 80 },
    );
  });
});
