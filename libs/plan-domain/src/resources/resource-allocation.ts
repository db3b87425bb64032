/**
 * Who (and which equipment) is booked when: every task's people — its `assignees` and its
 * person/equipment `resourceIds` — are allocated for each day the schedule puts the task on,
 * bucketed into ISO weeks and held against capacity. Pure: the schedule's dates are an input.
 *
 * Without effort estimates in the plan, an assigned task-day is HOURS_PER_ASSIGNED_DAY hours
 * of each of its people. A task books the working days of the plan calendar between its start
 * and finish (every day in calendar-days mode), and a week's capacity is `capacityHoursPerDay ×
 * maxUnits` for each of its working days the resource is not away; a week is over-allocated
 * when the hours booked exceed it. The
 * busiest day is reported too: two tasks on the same two days are a clash a weekly sum hides.
 * Assignees that are not resources of the plan still get booked ('unregistered'), with the
 * default capacity, so nobody's overload disappears because a resource entry is missing.
 */
import type { IsoDate, Resource, ResourceKind } from '../plan-json';
import { epochDayOf, isoDateOfEpochDay } from '../scheduling/calendar-days';
import { isOnVacation, WorkCalendar } from '../scheduling/work-calendar';
import { isoWeekOf } from './iso-week';

export const HOURS_PER_ASSIGNED_DAY = 8;
export const DEFAULT_CAPACITY_HOURS_PER_DAY = 8;
/** in calendar-days mode every day works (see the module comment) */
export const WORKING_DAYS_PER_WEEK = 7;

/** A scheduled task as allocation needs it. */
export interface AllocationTask {
  readonly id: string;
  readonly title: string;
  /** first day of work */
  readonly start: IsoDate;
  /** day after the last day of work (the schedule's finish), equal to start for 0 days */
  readonly finish: IsoDate;
  readonly assignees: readonly string[];
  readonly resourceIds: readonly string[];
}

export type AllocatedKind = Exclude<ResourceKind, 'budget'> | 'unregistered';

export interface WeekAllocation {
  readonly week: string;
  readonly weekStart: IsoDate;
  readonly assignedHours: number;
  readonly capacityHours: number;
  /** assigned ÷ capacity in percent, rounded; null for zero capacity */
  readonly utilizationPercent: number | null;
  readonly overAllocated: boolean;
  /** hours booked on the busiest day of the week */
  readonly peakDayHours: number;
  /** days of the week with more hours booked than a day's capacity */
  readonly overbookedDays: readonly IsoDate[];
  readonly taskIds: readonly string[];
}

export interface ResourceAllocation {
  readonly resourceId: string;
  readonly name: string;
  readonly kind: AllocatedKind;
  readonly capacityHoursPerDay: number;
  readonly costRatePerDay: number | null;
  readonly assignedDays: number;
  readonly assignedHours: number;
  /** costRatePerDay × assigned task-days; null without a rate */
  readonly plannedCost: number | null;
  /** weeks with any booking, in order */
  readonly weeks: readonly WeekAllocation[];
}

export interface OverAllocation {
  readonly resourceId: string;
  readonly name: string;
  readonly week: string;
  readonly weekStart: IsoDate;
  readonly assignedHours: number;
  readonly capacityHours: number;
  readonly taskIds: readonly string[];
}

export interface ResourceAllocationReport {
  readonly hoursPerAssignedDay: number;
  readonly workingDaysPerWeek: number;
  readonly resources: readonly ResourceAllocation[];
  /** every over-allocated resource-week, by week then resource */
  readonly overAllocations: readonly OverAllocation[];
}

export interface AllocationOptions {
  /**
   * The plan's working days: tasks book only those, and a week's capacity counts only those
   * (less each resource's days away). Every day when absent, the calendar-days convention.
   */
  readonly calendar?: WorkCalendar;
}

export function allocateResources(
  resources: readonly Resource[],
  tasks: readonly AllocationTask[],
  options: AllocationOptions = {},
): ResourceAllocationReport {
  const calendar = options.calendar ?? WorkCalendar.allDays();
  const known = new Map(resources.filter((r) => r.kind !== 'budget').map((r) => [r.id, r]));
  const budgetIds = new Set(resources.filter((r) => r.kind === 'budget').map((r) => r.id));
  /** resource id → epoch day → task ids booked that day */
  const bookings = new Map<string, Map<number, string[]>>();
  for (const task of tasks) {
    const start = epochDayOf(task.start);
    const finish = epochDayOf(task.finish);
    if (start === null || finish === null) continue;
    const people = new Set(
      [...stringsOf(task.assignees), ...stringsOf(task.resourceIds)].filter(
        (id) => !budgetIds.has(id),
      ),
    );
    for (const id of people) {
      let days = bookings.get(id);
      if (!days) bookings.set(id, (days = new Map()));
      for (let day = start; day < finish; day++) {
        if (calendar.isWorkingDay(day)) days.set(day, [...(days.get(day) ?? []), task.id]);
      }
    }
  }

  const allocations: ResourceAllocation[] = [];
  const ids = [...new Set([...known.keys(), ...bookings.keys()])].sort();
  for (const id of ids) {
    const resource = known.get(id);
    const capacityHoursPerDay = capacityOf(resource) * unitsOf(resource);
    const availableOn = (day: number): boolean =>
      calendar.isWorkingDay(day) && !isOnVacation(resource?.calendar, day);
    const rate =
      resource &&
      typeof resource.costRatePerDay === 'number' &&
      Number.isFinite(resource.costRatePerDay)
        ? resource.costRatePerDay
        : null;
    const days = bookings.get(id) ?? new Map<number, string[]>();
    const byWeek = new Map<string, { monday: IsoDate; days: [number, string[]][] }>();
    for (const [day, taskIds] of [...days].sort((a, b) => a[0] - b[0])) {
      const { week, monday } = isoWeekOf(day);
      const entry = byWeek.get(week) ?? { monday, days: [] };
      entry.days.push([day, taskIds]);
      byWeek.set(week, entry);
    }
    const weeks = [...byWeek].map(([week, { monday, days: booked }]): WeekAllocation => {
      const assignedHours = booked.reduce(
        (sum, [, taskIds]) => sum + taskIds.length * HOURS_PER_ASSIGNED_DAY,
        0,
      );
      let capacityHours = 0;
      for (let day = isoWeekOf(booked[0][0]).mondayEpochDay, i = 0; i < 7; i++, day++) {
        if (availableOn(day)) capacityHours += capacityHoursPerDay;
      }
      return {
        week,
        weekStart: monday,
        assignedHours,
        capacityHours,
        utilizationPercent:
          capacityHours > 0 ? Math.round((assignedHours / capacityHours) * 100) : null,
        overAllocated: assignedHours > capacityHours,
        peakDayHours: Math.max(
          ...booked.map(([, taskIds]) => taskIds.length * HOURS_PER_ASSIGNED_DAY),
        ),
        overbookedDays: booked
          .filter(
            ([day, taskIds]) =>
              taskIds.length * HOURS_PER_ASSIGNED_DAY >
              (availableOn(day) ? capacityHoursPerDay : 0),
          )
          .map(([day]) => isoDateOfEpochDay(day)),
        taskIds: [...new Set(booked.flatMap(([, taskIds]) => taskIds))].sort(),
      };
    });
    const assignedDays = [...days.values()].reduce((sum, taskIds) => sum + taskIds.length, 0);
    allocations.push({
      resourceId: id,
      name: resource && typeof resource.name === 'string' ? resource.name : id,
      kind: resource ? (resource.kind as AllocatedKind) : 'unregistered',
      capacityHoursPerDay,
      costRatePerDay: rate,
      assignedDays,
      assignedHours: assignedDays * HOURS_PER_ASSIGNED_DAY,
      plannedCost: rate === null ? null : rate * assignedDays,
      weeks,
    });
  }
  const overAllocations = allocations
    .flatMap((a) =>
      a.weeks
        .filter((w) => w.overAllocated)
        .map((w): OverAllocation => ({
          resourceId: a.resourceId,
          name: a.name,
          week: w.week,
          weekStart: w.weekStart,
          assignedHours: w.assignedHours,
          capacityHours: w.capacityHours,
          taskIds: w.taskIds,
        })),
    )
    .sort((a, b) =>
      a.week < b.week ? -1 : a.week > b.week ? 1 : a.resourceId < b.resourceId ? -1 : 1,
    );
  return {
    hoursPerAssignedDay: HOURS_PER_ASSIGNED_DAY,
    workingDaysPerWeek: [1, 2, 3, 4, 5, 6, 7].filter((weekday) =>
      // any week will do for the weekly pattern; holidays are not part of it
      calendar.isWorkingDay(FIRST_MONDAY_EPOCH_DAY + weekday - 1),
    ).length,
    resources: allocations,
    overAllocations,
  };
}

/** 1970-01-05, the first Monday of the epoch. */
const FIRST_MONDAY_EPOCH_DAY = 4;

function unitsOf(resource: Resource | undefined): number {
  const value = resource?.maxUnits;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 1;
}

function capacityOf(resource: Resource | undefined): number {
  const value = resource?.capacityHoursPerDay;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
    ? value
    : DEFAULT_CAPACITY_HOURS_PER_DAY;
}

const stringsOf = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];
