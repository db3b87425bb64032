/**
 * Value-level checks of one entity's fields against its schema table: types, ranges, enums,
 * dates and the shape of `dependsOn`. Whether a referenced id exists is the plan's business
 * (validate-plan.ts); this module sees one entity at a time.
 */
import { isIsoDate } from '../iso-date';
import { DEPENDENCY_TYPES } from '../plan-json';
import type { AnyFieldSpec, AnySchema, FieldRule, StructRule } from '../plan-schema';
import { LAG_KINDS } from '../scheduling/activity-graph';
import { CONSTRAINT_TYPES } from '../scheduling/schedule.model';
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
    case 'struct':
      return checkStruct(path, field, value, rule.shape);
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
    const { lagKind } = dependency as Record<string, unknown>;
    if (lagKind !== undefined)
      problems.push(
        ...checkValue(`${at}.lagKind`, 'lagKind', lagKind, { kind: 'enum', values: LAG_KINDS }),
      );
  });
  return problems;
}

/** The object-valued fields: calendars and constraints. */
function checkStruct(
  path: string,
  field: string,
  value: unknown,
  shape: StructRule['shape'],
): PlanProblem[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [wrongType(path, field, 'an object', value)];
  const fields = value as Record<string, unknown>;
  switch (shape) {
    case 'calendar':
      return checkCalendar(path, fields);
    case 'resource-calendar':
      return checkList(path, 'vacations', fields.vacations, (at, entry) => {
        const problems = [
          ...checkPresent(`${at}.from`, 'from', entry.from, { kind: 'date' }),
          ...checkPresent(`${at}.to`, 'to', entry.to, { kind: 'date' }),
        ];
        if (problems.length === 0 && String(entry.to) < String(entry.from))
          problems.push({
            path: `${at}.to`,
            code: 'OUT_OF_RANGE',
            message: `to must not be before from (${String(entry.from)})`,
          });
        return problems;
      });
    case 'constraint': {
      const problems = checkPresent(`${path}.type`, 'type', fields.type, {
        kind: 'enum',
        values: CONSTRAINT_TYPES,
      });
      const dated = fields.type !== 'ASAP' && fields.type !== 'ALAP';
      if (dated || fields.date !== undefined)
        problems.push(...checkPresent(`${path}.date`, 'date', fields.date, { kind: 'date' }));
      return problems;
    }
    default:
      return assertNever(shape);
  }
}

function checkCalendar(path: string, fields: Record<string, unknown>): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const weekdays = fields.workingWeekdays;
  if (weekdays !== undefined) {
    const at = `${path}.workingWeekdays`;
    if (!Array.isArray(weekdays) || weekdays.length === 0)
      problems.push(wrongType(at, 'workingWeekdays', 'a non-empty list of ISO weekdays', weekdays));
    else
      weekdays.forEach((day: unknown, i) =>
        problems.push(
          ...checkValue(`${at}.${i}`, `workingWeekdays[${i}]`, day, {
            kind: 'number',
            min: 1,
            max: 7,
            integer: true,
          }),
        ),
      );
  }
  problems.push(
    ...checkList(path, 'holidays', fields.holidays, (at, entry) =>
      checkPresent(`${at}.date`, 'date', entry.date, { kind: 'date' }),
    ),
    ...checkList(path, 'exceptions', fields.exceptions, (at, entry) => [
      ...checkPresent(`${at}.date`, 'date', entry.date, { kind: 'date' }),
      ...(typeof entry.working === 'boolean'
        ? []
        : [wrongType(`${at}.working`, 'working', 'true or false', entry.working)]),
    ]),
  );
  return problems;
}

/** An optional list of objects inside a struct, each checked by `check`. */
function checkList(
  path: string,
  field: string,
  value: unknown,
  check: (at: string, entry: Record<string, unknown>) => PlanProblem[],
): PlanProblem[] {
  if (value === undefined) return [];
  const at = `${path}.${field}`;
  if (!Array.isArray(value)) return [wrongType(at, field, 'a list', value)];
  return value.flatMap((entry: unknown, i) =>
    typeof entry === 'object' && entry !== null && !Array.isArray(entry)
      ? check(`${at}.${i}`, entry as Record<string, unknown>)
      : [wrongType(`${at}.${i}`, `${field}[${i}]`, 'an object', entry)],
  );
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
