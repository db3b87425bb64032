/**
 * Archiving: an archived plan is read-only for every role until it is restored. The facts are
 * `PlanArchived` / `PlanRestored` events in the plan stream; every decider that writes to a
 * plan folds them with `archivedAfter` and refuses with PlanArchivedError.
 */

export const PLAN_ARCHIVED = 'PlanArchived';
export const PLAN_RESTORED = 'PlanRestored';

/** Whether the plan is archived after an event of `type`, given whether it was before. */
export function archivedAfter(archived: boolean, type: string): boolean {
  return type === PLAN_ARCHIVED ? true : type === PLAN_RESTORED ? false : archived;
}

/** A write to an archived plan; its owner can restore it (HTTP 409). */
export class PlanArchivedError extends Error {
  readonly code = 'PLAN_ARCHIVED';
  constructor(readonly planId: string) {
    super(`plan ${planId} is archived and read-only; its owner can restore it`);
    this.name = 'PlanArchivedError';
  }
}

export const isPlanArchivedError = (e: unknown): e is PlanArchivedError =>
  e instanceof Error && (e as { code?: unknown }).code === 'PLAN_ARCHIVED';
