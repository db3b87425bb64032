/**
 * Actual cost recorded against a task: a fact in the plan stream (`ActualCostRecorded`), not a
 * field in the document, so every amount stays on record with who booked it and when, and the
 * sum is never lost to a concurrent overwrite. A decider in the Emmett style:
 *
 *   const events = decideRecordActualCost(
 *     { type: 'RecordActualCost', data: { taskId: 't1', amount: 1200, date: '2027-03-04' } },
 *     plan,
 *   ); // → [{ type: 'ActualCostRecorded', data: { taskId: 't1', amount: 1200, date: '2027-03-04' } }]
 *
 * The caller appends the events with the stream version it read the plan at, so a cost is never
 * booked against a task removed in between.
 */
import { isIsoDate } from '../iso-date';
import type { IsoDate, PlanJson } from '../plan-json';
import {
  PlanEntityNotFoundError,
  PlanValidationError,
  type PlanProblem,
} from '../validation/plan-problem';

export const ACTUAL_COST_RECORDED = 'ActualCostRecorded';

/** Largest amount one booking may carry; anything bigger is a typo, not a cost. */
export const MAX_ACTUAL_COST = 1e12;

export interface ActualCostRecordedData {
  readonly taskId: string;
  /** in the plan currency; negative amounts correct earlier bookings */
  readonly amount: number;
  /** the day the cost was incurred */
  readonly date: IsoDate;
  readonly note?: string;
}

export interface RecordActualCost {
  readonly type: 'RecordActualCost';
  readonly data: ActualCostRecordedData;
}

export interface ActualCostRecorded {
  readonly type: typeof ACTUAL_COST_RECORDED;
  readonly data: ActualCostRecordedData;
}

export function decideRecordActualCost(
  command: RecordActualCost,
  plan: Pick<PlanJson, 'tasks'>,
): ActualCostRecorded[] {
  const { taskId, amount, date, note } = command.data;
  const problems: PlanProblem[] = [];
  if (typeof amount !== 'number' || !Number.isFinite(amount) || Math.abs(amount) > MAX_ACTUAL_COST)
    problems.push({
      path: 'amount',
      code: 'OUT_OF_RANGE',
      message: `amount must be a finite number of at most ${MAX_ACTUAL_COST} in size`,
    });
  if (!isIsoDate(date))
    problems.push({ path: 'date', code: 'INVALID_DATE', message: 'date must be YYYY-MM-DD' });
  if (problems.length > 0) throw new PlanValidationError(problems);
  if (!plan.tasks.some((task) => task.id === taskId))
    throw new PlanEntityNotFoundError({ type: 'task', id: taskId });
  const trimmed = typeof note === 'string' ? note.trim() : '';
  return [
    {
      type: ACTUAL_COST_RECORDED,
      data: { taskId, amount, date, ...(trimmed === '' ? {} : { note: trimmed }) },
    },
  ];
}

/** Reads stored event data; null for data no writer of this event type produces. */
export function parseActualCostRecorded(data: unknown): ActualCostRecordedData | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const { taskId, amount, date, note } = data as Record<string, unknown>;
  if (typeof taskId !== 'string' || typeof amount !== 'number' || !Number.isFinite(amount))
    return null;
  if (!isIsoDate(date)) return null;
  return { taskId, amount, date, ...(typeof note === 'string' ? { note } : {}) };
}
