/**
 * Input checks for commands (REST bodies, CLI, tests): the same field rules as the document,
 * plus what only makes sense for input: unknown fields, `null` to clear an optional field,
 * required fields on create. Referential checks need the plan, so PlanDoc does those.
 */
import type { CollectionName } from '../plan-json';
import { schemaOf } from '../plan-schema';
import { checkEntityFields } from './check-fields';
import { fieldPath, type PlanProblem } from './plan-problem';

/** `create` needs every required field; `update` takes any subset, `null` clears an optional field. */
export type InputMode = 'create' | 'update';

/**
 * Problems with a command's input for one entity (`collection: 'meta'` for setMeta, always an
 * update). `id` names the entity in paths; on create an `id` field in the input is used instead.
 */
export function validateInput(
  collection: CollectionName | 'meta',
  input: unknown,
  mode: InputMode,
  id?: string,
): PlanProblem[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return [
      {
        path: collection === 'meta' ? 'meta' : `${collection}.${id ?? 'new'}`,
        code: 'WRONG_TYPE',
        message: 'input must be an object of fields',
      },
    ];
  }
  const fields = input as Readonly<Record<string, unknown>>;
  const givenId = mode === 'create' ? fields.id : undefined;
  const problems: PlanProblem[] = [];
  if (givenId !== undefined && (typeof givenId !== 'string' || givenId.trim() === '')) {
    problems.push({
      path: fieldPath(collection, id, 'id'),
      code: 'WRONG_TYPE',
      message: 'id must be a non-empty string',
    });
  }
  const name = typeof givenId === 'string' && givenId !== '' ? givenId : id;
  const prefix = collection === 'meta' ? 'meta' : `${collection}.${name ?? 'new'}`;
  problems.push(
    ...checkEntityFields(
      prefix,
      fields,
      schemaOf(collection),
      collection === 'meta' ? 'update' : mode,
    ),
  );
  return problems;
}
