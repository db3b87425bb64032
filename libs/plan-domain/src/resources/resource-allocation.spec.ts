import type { Resource } from '../plan-json';
import { epochDayOf } from '../scheduling/calendar-days';
import { costPlan } from './cost-plan';
import { isoWeekOf } from './iso-week';
import { allocateResources, type AllocationTask } from './resource-allocation';

const resources: Resource[] = [
  { id: 'ana', name: 'Ana', kind: 'person', capacityHoursPerDay: 8, costRatePerDay: 800 },
  { id: 'env', name: 'Staging', kind: 'equipment', costRatePerDay: 100 },
  { id: 'lic', name: 'Licences', kind: 'budget', amount: 1000 },
];
const task = (
  id: string,
  start: string,
  finish: string,
  assignees: string[],
  resourceIds: string[] = [],
): AllocationTask => ({
  id,
  title: id,
  start,
  finish,
  assignees,
  resourceIds,
});

describe('isoWeekOf', () => {
  it.each([
    ['2027-03-01', '2027-W09', '2027-03-01'],
    ['2027-03-07', '2027-W09', '2027-03-01'],
    ['2027-01-01', '2026-W53', '2026-12-28'],
    ['2026-12-31', '2026-W53', '2026-12-28'],
    ['2024-12-30', '2025-W01', '2024-12-30'],
  ])('given %s, then it is in %s starting %s', (date, week, monday) => {
    expect(isoWeekOf(epochDayOf(date)!)).toMatchObject({ week, monday });
  });
});

describe('allocateResources', () => {
  it('given Ana on two tasks over the same week, then that week is over-allocated and the week after is not', () => {
    const report = allocateResources(resources, [
      task('t1', '2027-03-01', '2027-03-08', ['ana']),
      task('t2', '2027-03-03', '2027-03-05', ['ana'], ['env', 'lic']),
      task('t3', '2027-03-08', '2027-03-10', ['ana']),
    ]);
    const ana = report.resources.find((r) => r.resourceId === 'ana')!;
    expect(ana.weeks).toEqual([
      expect.objectContaining({
        week: '2027-W09',
        assignedHours: 72,
        capacityHours: 56,
        overAllocated: true,
        peakDayHours: 16,
        overbookedDays: ['2027-03-03', '2027-03-04'],
        taskIds: ['t1', 't2'],
      }),
      expect.objectContaining({
        week: '2027-W10',
        assignedHours: 16,
        overAllocated: false,
        overbookedDays: [],
      }),
    ]);
    expect(ana).toMatchObject({ assignedDays: 11, plannedCost: 8800 });
    expect(report.overAllocations).toEqual([
      expect.objectContaining({ resourceId: 'ana', week: '2027-W09', weekStart: '2027-03-01' }),
    ]);
    expect(report.resources.find((r) => r.resourceId === 'env')).toMatchObject({
      kind: 'equipment',
      assignedDays: 2,
      plannedCost: 200,
    });
    expect(report.resources.find((r) => r.resourceId === 'lic')).toBeUndefined();
  });

  it('given an assignee who is not a resource, then they are booked as unregistered with the default capacity', () => {
    const report = allocateResources(resources, [task('t1', '2027-03-01', '2027-03-03', ['zoe'])]);
    expect(report.resources.find((r) => r.resourceId === 'zoe')).toMatchObject({
      kind: 'unregistered',
      capacityHoursPerDay: 8,
      assignedHours: 16,
    });
  });
});

describe('costPlan', () => {
  it('given tasks drawing on a budget line and day rates, then each category shows planned against its budget', () => {
    const tasks = [
      { cost: 600, percentComplete: 50, resourceIds: ['lic'] },
      { cost: 900, percentComplete: 0, resourceIds: [] },
    ];
    const allocation = allocateResources(resources, [
      task('t1', '2027-03-01', '2027-03-03', ['ana']),
    ]);
    const plan = costPlan(
      { meta: { budget: 1200, currency: 'EUR' }, tasks, resources },
      allocation.resources,
    );
    expect(plan).toMatchObject({
      currency: 'EUR',
      budget: 1200,
      plannedCost: 1500,
      earnedValue: 300,
    });
    expect(plan.categories).toEqual([
      expect.objectContaining({
        category: 'plan',
        planned: 1500,
        budget: 1200,
        remaining: -300,
        overBudget: true,
      }),
      expect.objectContaining({ category: 'labour', planned: 1600, budget: null }),
      expect.objectContaining({ category: 'equipment', planned: 0 }),
      expect.objectContaining({
        category: 'budget:lic',
        name: 'Licences',
        planned: 600,
        budget: 1000,
        overBudget: false,
      }),
    ]);
  });
});
