/**
 * Resource leveling: delays tasks until no person or piece of equipment works on more tasks at
 * once than it has units (`maxUnits`, 1 by default), none on its days away. Pure: takes the
 * schedule input and the resources, returns the leveled schedule, what moved and by how much,
 * and the over-allocations it could not remove.
 *
 * The method is the one planners know from MS Project: find the first over-allocated day of a
 * resource, delay the task there with the most total float (then the lower priority, then the
 * larger id) by a day, reschedule, repeat. So work with float moves first and the critical path
 * last; a delayed task carries its successors along through the normal forward pass, so links
 * always hold. Leveling only ever delays, never shortens or splits: durations stay as planned.
 * Work that has started and "must start/finish on" dates are not moved; what they overbook
 * among themselves is reported as left over.
 *
 * A delay is written as the task's `start` (its "not before" date), so applying the result is
 * an ordinary edit and recomputing the plan gives the leveled schedule again.
 */
import type { IsoDate } from '../plan-json';
import { epochDayOf, isoDateOfEpochDay } from '../scheduling/calendar-days';
import { computeSchedule } from '../scheduling/critical-path';
import type {
  ActivityInput,
  Schedule,
  ScheduledActivity,
  ScheduleInput,
} from '../scheduling/schedule.model';
import {
  isOnVacation,
  WorkCalendar,
  workingDayAxis,
  type WorkingDayAxis,
  type ResourceCalendar,
} from '../scheduling/work-calendar';
import { compareCodeUnits } from '../id-order';

export const DEFAULT_PRIORITY = 500;
export const DEFAULT_MAX_UNITS = 1;

export interface LevelingActivity extends ActivityInput {
  /** People and equipment doing it; each is busy one unit on each of its working days. */
  readonly resourceIds: readonly string[];
  /** 0–1000; lower is delayed first. 500 when absent. */
  readonly priority?: number | null;
}

export interface LevelingResource {
  readonly id: string;
  readonly maxUnits?: number | null;
  readonly calendar?: ResourceCalendar | null;
}

export interface LevelingInput extends Omit<ScheduleInput, 'activities'> {
  readonly activities: readonly LevelingActivity[];
  /** Resource ids that tasks name but that are missing here work with the defaults. */
  readonly resources: readonly LevelingResource[];
}

export interface LevelingMove {
  readonly activityId: string;
  readonly fromStart: IsoDate;
  readonly toStart: IsoDate;
  /** working days */
  readonly delayDays: number;
  /** whether the delay fits in the activity's total float, so the project finish holds */
  readonly withinFloat: boolean;
  /** `leveled`: delayed to free a resource; `predecessor`: carried along by one */
  readonly cause: 'leveled' | 'predecessor';
}

/** The edit that reproduces a leveling delay: the task's new "not before" date. */
export interface LevelingStart {
  readonly activityId: string;
  readonly start: IsoDate;
}

/** One resource on one day booked beyond its units. */
export interface DayOverAllocation {
  readonly resourceId: string;
  readonly date: IsoDate;
  readonly units: number;
  readonly maxUnits: number;
  readonly activityIds: readonly string[];
}

export interface LevelingResult {
  readonly schedule: Schedule;
  readonly moves: readonly LevelingMove[];
  readonly starts: readonly LevelingStart[];
  readonly overAllocationsBefore: readonly DayOverAllocation[];
  /** what leveling could not remove: it involves only work that must not move */
  readonly overAllocationsLeft: readonly DayOverAllocation[];
  /**
   * Tasks leveling gave up on: their links keep them overlapping a task on the same resource
   * however far they are delayed (e.g. SS +0 on one person). They stay where the logic puts them.
   */
  readonly unlevelable: readonly string[];
  readonly projectFinishBefore: IsoDate;
  readonly projectFinishAfter: IsoDate;
}

interface Booking {
  readonly resourceId: string;
  /** working-day number, and its date */
  readonly day: number;
  readonly date: IsoDate;
  readonly activityIds: string[];
  readonly maxUnits: number;
}

export function levelResources(input: LevelingInput): LevelingResult {
  const planStartDay = epochDayOf(input.planStart);
  // computeSchedule reports a bad plan start; let it
  const before = computeSchedule(input);
  if (planStartDay === null) throw new Error('unreachable: computeSchedule accepted planStart');
  const axis = workingDayAxis(input.calendar ?? WorkCalendar.allDays(), planStartDay);
  const resources = new Map(input.resources.map((r) => [r.id, r]));
  const activities = new Map(input.activities.map((a) => [a.id, a]));
  const original = new Map(before.activities.map((a) => [a.id, a]));

  const movable = (a: ScheduledActivity): boolean =>
    a.progress === 'not-started' &&
    a.constraint?.type !== 'MSO' &&
    a.constraint?.type !== 'MFO' &&
    a.durationDays > 0;
  // the task delayed first at a clash: most float, then lowest priority, then largest id
  const delayOrder = (x: string, y: string): number => {
    const [a, b] = [original.get(x) as ScheduledActivity, original.get(y) as ScheduledActivity];
    return (
      b.totalFloat - a.totalFloat ||
      priorityOf(activities.get(x)) - priorityOf(activities.get(y)) ||
      compareCodeUnits(y, x)
    );
  };

  // Delayed past this, a task would still clash were everything else done one after another:
  // its links drag the other task along, so no delay can separate them.
  const horizon =
    before.projectFinishDay +
    before.activities.reduce((sum, a) => sum + a.durationDays, 0) +
    input.activities.reduce(
      (sum, a) => sum + (a.dependsOn ?? []).reduce((s, d) => s + Math.max(0, d.lagDays), 0),
      0,
    ) +
    1;
  const stuck = new Set<string>();
  const canMove = (id: string): boolean => !stuck.has(id) && movable(scheduled(schedule, id));

  const floors = new Map<string, number>();
  let schedule = before;
  for (;;) {
    const clash = firstClash(bookings(schedule, activities, resources, axis), canMove);
    if (clash === undefined) break;
    const victim = clash.activityIds.filter(canMove).sort(delayOrder)[0];
    if (clash.day + 1 > horizon) {
      // Each task gets stuck at most once and floors only grow in between, so this ends.
      stuck.add(victim);
      floors.delete(victim);
    } else floors.set(victim, clash.day + 1);
    schedule = computeSchedule(withFloors(input, floors, axis));
  }

  const moves: LevelingMove[] = [];
  for (const activity of schedule.activities) {
    const was = original.get(activity.id);
    if (was === undefined || activity.es <= was.es) continue;
    moves.push({
      activityId: activity.id,
      fromStart: was.start,
      toStart: activity.start,
      delayDays: activity.es - was.es,
      withinFloat: activity.es - was.es <= was.totalFloat,
      cause: floors.has(activity.id) ? 'leveled' : 'predecessor',
    });
  }
  moves.sort((a, b) => compareCodeUnits(a.activityId, b.activityId));
  return {
    schedule,
    moves,
    starts: [...floors.keys()].sort(compareCodeUnits).map((activityId) => ({
      activityId,
      start: scheduled(schedule, activityId).start,
    })),
    overAllocationsBefore: overAllocations(bookings(before, activities, resources, axis)),
    overAllocationsLeft: overAllocations(bookings(schedule, activities, resources, axis)),
    projectFinishBefore: before.projectFinish,
    projectFinishAfter: schedule.projectFinish,
    unlevelable: [...stuck].sort(compareCodeUnits),
  };
}

/** Resource use per working day of a schedule, in day then resource order. */
function bookings(
  schedule: Schedule,
  activities: ReadonlyMap<string, LevelingActivity>,
  resources: ReadonlyMap<string, LevelingResource>,
  axis: WorkingDayAxis,
): Booking[] {
  const byKey = new Map<string, Booking>();
  for (const scheduledActivity of schedule.activities) {
    const ids = new Set(activities.get(scheduledActivity.id)?.resourceIds ?? []);
    for (const resourceId of ids) {
      const resource = resources.get(resourceId);
      for (let day = scheduledActivity.es; day < scheduledActivity.ef; day++) {
        const key = `${day}\u0000${resourceId}`;
        let booking = byKey.get(key);
        if (booking === undefined) {
          const date = axis.dayOf(day);
          booking = {
            resourceId,
            day,
            date: isoDateOfEpochDay(date),
            activityIds: [],
            maxUnits: isOnVacation(resource?.calendar ?? undefined, date) ? 0 : unitsOf(resource),
          };
          byKey.set(key, booking);
        }
        booking.activityIds.push(scheduledActivity.id);
      }
    }
  }
  return [...byKey.values()].sort(
    (a, b) => a.day - b.day || compareCodeUnits(a.resourceId, b.resourceId),
  );
}

function firstClash(
  all: readonly Booking[],
  canMove: (activityId: string) => boolean,
): Booking | undefined {
  return all.find((b) => b.activityIds.length > b.maxUnits && b.activityIds.some(canMove));
}

function overAllocations(all: readonly Booking[]): DayOverAllocation[] {
  return all
    .filter((b) => b.activityIds.length > b.maxUnits)
    .map((b) => ({
      resourceId: b.resourceId,
      date: b.date,
      units: b.activityIds.length,
      maxUnits: b.maxUnits,
      activityIds: [...b.activityIds].sort(compareCodeUnits),
    }));
}

function withFloors(
  input: LevelingInput,
  floors: ReadonlyMap<string, number>,
  axis: WorkingDayAxis,
): ScheduleInput {
  return {
    ...input,
    activities: input.activities.map((activity) => {
      const floor = floors.get(activity.id);
      return floor === undefined
        ? activity
        : { ...activity, start: isoDateOfEpochDay(axis.dayOf(floor)) };
    }),
  };
}

function scheduled(schedule: Schedule, id: string): ScheduledActivity {
  const found = schedule.activities.find((a) => a.id === id);
  if (found === undefined) throw new Error(`unreachable: ${id} was scheduled before`);
  return found;
}

function priorityOf(activity: LevelingActivity | undefined): number {
  const value = activity?.priority;
  return typeof value === 'number' && Number.isFinite(value) ? value : DEFAULT_PRIORITY;
}

function unitsOf(resource: LevelingResource | undefined): number {
  const value = resource?.maxUnits;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
    ? value
    : DEFAULT_MAX_UNITS;
}
