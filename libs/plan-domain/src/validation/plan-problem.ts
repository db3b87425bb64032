/**
 * What validation reports and how commands are refused: problems are plain data naming the field
 * (`tasks.t1.probability`), errors are typed with stable codes for the one exception filter.
 */
import type { CollectionName, EntityRef } from '../plan-json';

export type PlanProblemCode =
  | 'MISSING_FIELD'
  | 'UNKNOWN_FIELD'
  | 'WRONG_TYPE'
  | 'NOT_INTEGER'
  | 'OUT_OF_RANGE'
  | 'INVALID_ENUM'
  | 'INVALID_DATE'
  | 'UNKNOWN_REFERENCE'
  | 'DUPLICATE_ID'
  | 'DUPLICATE_DEPENDENCY'
  | 'DEPENDENCY_CYCLE';

export interface PlanProblem {
  /** Dotted path to the offending value: `meta.budget`, `tasks.t1.dependsOn.0.taskId`. */
  readonly path: string;
  readonly code: PlanProblemCode;
  readonly message: string;
  /**
   * Entity ids the problem is about: the cycle in dependency order for DEPENDENCY_CYCLE
   * (`['a', 'b']` means a depends on b depends on a), the missing id for UNKNOWN_REFERENCE,
   * the colliding id for DUPLICATE_ID.
   */
  readonly ids?: readonly string[];
}

/** A command was refused because its input, or the plan it would produce, has new problems. */
export class PlanValidationError extends Error {
  readonly code = 'PLAN_VALIDATION_FAILED';
  constructor(readonly problems: readonly PlanProblem[]) {
    super(`plan validation failed: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    this.name = 'PlanValidationError';
  }
}

/** A command named an entity the plan does not have (HTTP 404 at the edge). */
export class PlanEntityNotFoundError extends Error {
  readonly code = 'PLAN_ENTITY_NOT_FOUND';
  constructor(readonly entity: EntityRef) {
    super(`${entity.type} ${entity.id} not found`);
    this.name = 'PlanEntityNotFoundError';
  }
}

// Checked by code as well as by class so an error that crossed a module copy or a
// structured-clone boundary (worker, CLI child) is still recognised.
export function isPlanValidationError(error: unknown): error is PlanValidationError {
  return hasCode(error, 'PLAN_VALIDATION_FAILED');
}

export function isPlanEntityNotFoundError(error: unknown): error is PlanEntityNotFoundError {
  return hasCode(error, 'PLAN_ENTITY_NOT_FOUND');
}

function hasCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && (error as { code: unknown }).code === code;
}

export function fieldPath(
  collection: CollectionName | 'meta',
  id: string | undefined,
  field: string,
): string {
  return collection === 'meta' ? `meta.${field}` : `${collection}.${id ?? 'new'}.${field}`;
}
