/**
 * Value-level checks of one entity's fields against its schema table: types, ranges, enums,
 * dates and the shape of `dependsOn`. Whether a referenced id exists is the plan's business
 * (validate-plan.ts); this module sees one entity at a time.
 */
import { isIsoDate } from '../iso-date';
import { DEPENDENCY_TYPES } from '../plan-json';
import type { AnyFieldSpec, AnySchema, FieldRule } from '../plan-schema';
import type { PlanProblem } from './plan-problem';

/**
 * `stored`: a value read from the document (defaults already applied, extra fields ignored);
 * `create`: a command's new entity; `update`: a patch, where `null` clears an optional field.
 */
export type FieldCheckMode = 'stored' | 'create' | 'update';

export function checkEntityFields(
  pathPrefix: string,
  fields: Readonly<Record<string, unknown>>,
  schema: AnySchema,
  mode: FieldCheckMode,
): PlanProblem[] {
  const problems: PlanProblem[] = [];
  for (const [field, spec] of Object.entries(schema)) {
    const path = `${pathPrefix}.${field}`;
    const value = fields[field];
    if (value === undefined) {
      if (spec.presence === 'required' && mode !== 'update') {
        problems.push({ path, code: 'MISSING_FIELD', message: `${field} is required` });
      }
    } else if (value === null && mode === 'update') {
      if (spec.presence !== 'optional') {
        problems.push({
          path,
          code: 'MISSING_FIELD',
          message: `${field} cannot be cleared, only optional fields can be set to null`,
        });
      }
    } else {
      problems.push(...checkValue(path, field, value, spec));
    }
  }
  if (mode !== 'stored') {
    for (const field of Object.keys(fields)) {
      if (field === 'id' && mode === 'create') continue;
      if (!(field in schema) && fields[field] !== undefined) {
        problems.push({
          path: `${pathPrefix}.${field}`,
          code: 'UNKNOWN_FIELD',
          message: field === 'id' ? 'an id cannot be changed' : `${field} is not a known field`,
        });
      }
    }
  }
  return problems;
}

export function checkValue(
  path: string,
  field: string,
  value: unknown,
  rule: FieldRule | AnyFieldSpec,
): PlanProblem[] {
  switch (rule.kind) {
    case 'text':
      return typeof value === 'string' ? [] : [wrongType(path, field, 'a string', value)];
    case 'reference':
      return typeof value === 'string' && value !== ''
        ? []
        : [wrongType(path, field, 'a non-empty id', value)];
    case 'date':
      return isIsoDate(value)
        ? []
        : [
            {
              path,
              code: 'INVALID_DATE',
              message: `${field} must be a calendar date YYYY-MM-DD, got ${show(value)}`,
            },
          ];
    case 'enum':
      return typeof value === 'string' && rule.values.includes(value)
        ? []
        : [
            {
              path,
              code: 'INVALID_ENUM',
              message: `${field} must be one of ${rule.values.join(', ')}, got ${show(value)}`,
            },
          ];
    case 'number':
      return checkNumber(path, field, value, rule);
    case 'id-list':
      return checkIdList(path, field, value);
    case 'dependencies':
      return checkDependencies(path, field, value);
    default:
      return assertNever(rule);
  }
}

function checkNumber(
  path: string,
  field: string,
  value: unknown,
  rule: { readonly min?: number; readonly max?: number; readonly integer?: boolean },
): PlanProblem[] {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return [wrongType(path, field, 'a finite number', value)];
  }
  const problems: PlanProblem[] = [];
  if (rule.integer === true && !Number.isInteger(value)) {
    problems.push({
      path,
      code: 'NOT_INTEGER',
      message: `${field} must be a whole number, got ${value}`,
    });
  }
  const { min, max } = rule;
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    const range =
      min !== undefined && max !== undefined
        ? `between ${min} and ${max}`
        : min !== undefined
          ? `at least ${min}`
          : `at most ${String(max)}`;
    problems.push({
      path,
      code: 'OUT_OF_RANGE',
      message: `${field} must be ${range}, got ${value}`,
    });
  }
  return problems;
}

function checkIdList(path: string, field: string, value: unknown): PlanProblem[] {
  if (!Array.isArray(value)) return [wrongType(path, field, 'a list of ids', value)];
  return value.flatMap((id: unknown, i) =>
    typeof id === 'string' && id !== ''
      ? []
      : [wrongType(`${path}.${i}`, `${field}[${i}]`, 'a non-empty id', id)],
  );
}

function checkDependencies(path: string, field: string, value: unknown): PlanProblem[] {
  if (!Array.isArray(value)) return [wrongType(path, field, 'a list of dependencies', value)];
  const problems: PlanProblem[] = [];
  value.forEach((dependency: unknown, i) => {
    const at = `${path}.${i}`;
    if (typeof dependency !== 'object' || dependency === null || Array.isArray(dependency)) {
      problems.push(
        wrongType(at, `${field}[${i}]`, 'a {taskId, type, lagDays} object', dependency),
      );
      return;
    }
    const { taskId, type, lagDays } = dependency as Record<string, unknown>;
    problems.push(
      ...checkPresent(`${at}.taskId`, 'taskId', taskId, { kind: 'reference', to: 'work-items' }),
    );
    problems.push(
      ...checkPresent(`${at}.type`, 'type', type, { kind: 'enum', values: DEPENDENCY_TYPES }),
    );
    problems.push(
      ...checkPresent(`${at}.lagDays`, 'lagDays', lagDays, { kind: 'number', integer: true }),
    );
  });
  return problems;
}

function checkPresent(path: string, field: string, value: unknown, rule: FieldRule): PlanProblem[] {
  return value === undefined
    ? [{ path, code: 'MISSING_FIELD', message: `${field} is required` }]
    : checkValue(path, field, value, rule);
}

function wrongType(path: string, field: string, expected: string, value: unknown): PlanProblem {
  return { path, code: 'WRONG_TYPE', message: `${field} must be ${expected}, got ${show(value)}` };
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  // JSON.stringify throws on bigint, which a Yjs client can store; reporting must not throw.
  const json = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  return json === undefined ? typeof value : json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

function assertNever(value: never): never {
  throw new Error(`unhandled field rule ${JSON.stringify(value)}`);
}
