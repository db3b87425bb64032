/**
 * Loading a plain plan into a Y.Doc: `PlanJson` as `toJSON()` gives it, and the plan file format
 * of `shared/fixtures/crm-rollout.plan.json`, which differs in four ways handled here:
 *
 * - milestones are tasks with `milestone: true`; they are imported into `milestones` keeping their
 *   id, title, phaseId, dependsOn, status and assignees, with `date` from the task's `date` or
 *   `start`. Their task-only fields (durationDays, always 0 for a milestone, cost,
 *   percentComplete, resourceIds) are dropped, as is the `milestone` flag on ordinary tasks;
 * - stakeholder `influence` / `interest` may be levels: low → 1, medium → 3, high → 5;
 * - JSON `null` means "absent" (the field is not written);
 * - a `meta.calendar` naming the day-counting convention (`"calendar-days"`) becomes
 *   `meta.calendarMode`.
 *
 * Import is faithful otherwise: values are written as given, and whatever is wrong with them is
 * `validatePlan`'s to report. Only entries without a usable id are refused, since an entity is
 * stored under its id. Fields outside the schema are not imported.
 */
import * as Y from 'yjs';
import { COLLECTIONS, type CollectionName, type PlanJson } from './plan-json';
import { schemaOf } from './plan-schema';
import {
  entityMap,
  metaMap,
  readEntity,
  readFields,
  readPlan,
  writeFields,
  type FieldValues,
} from './plan-ydoc';
import { PlanValidationError, type PlanProblem } from './validation/plan-problem';

/** An entity as a file carries it: an id plus fields, checked when read. */
export interface ImportEntry {
  readonly id: string;
  readonly [field: string]: unknown;
}

/**
 * A plan file. Loosely typed on purpose: files are untrusted input, and the fixture's JSON types
 * (`type: string`, `influence: 'high'`) must be accepted to be checked.
 */
export interface PlanFile {
  readonly meta?: object;
  readonly phases?: readonly ImportEntry[];
  /** Entries with `milestone: true` are imported as milestones. */
  readonly tasks?: readonly ImportEntry[];
  readonly milestones?: readonly ImportEntry[];
  readonly risks?: readonly ImportEntry[];
  readonly resources?: readonly ImportEntry[];
  readonly stakeholders?: readonly ImportEntry[];
  readonly objectives?: readonly ImportEntry[];
}

/** What can be imported: a plan as `toJSON()` gives it, or a plan file. */
export type PlanImport = PlanJson | PlanFile;

const LEVEL_SCORES: ReadonlyMap<unknown, number> = new Map([
  ['low', 1],
  ['medium', 3],
  ['high', 5],
]);

/**
 * Writes `input` into `doc` in one transaction. Entities are created, or the given fields of an
 * existing entity with the same id are overwritten; nothing is deleted, so import into an empty
 * document to get exactly the file. Throws PlanValidationError for entries without a usable id
 * or with an id used twice, before writing anything.
 */
export function importPlan(doc: Y.Doc, input: PlanImport, origin?: unknown): void {
  const { meta, entities } = planEntries(input);
  doc.transact(() => {
    writeFields(metaMap(doc), meta, schemaOf('meta'));
    for (const collection of COLLECTIONS) {
      for (const entity of entities[collection]) {
        writeFields(entityMap(doc, collection, String(entity.id)), entity, schemaOf(collection));
      }
    }
  }, origin);
}

/** The plan as it reads after `importPlan` into an empty document: validate it before importing. */
export function normalizePlanImport(input: PlanImport): PlanJson {
  const doc = new Y.Doc();
  importPlan(doc, input);
  const plan = readPlan(doc);
  doc.destroy();
  return plan;
}

function planEntries(input: PlanImport): {
  meta: FieldValues;
  entities: Record<CollectionName, FieldValues[]>;
} {
  const problems: PlanProblem[] = [];
  const entries = (collection: CollectionName): Record<string, unknown>[] => {
    const list: unknown = (input as PlanFile)[collection];
    if (list === undefined) return [];
    if (!Array.isArray(list)) {
      problems.push({
        path: collection,
        code: 'WRONG_TYPE',
        message: `${collection} must be a list`,
      });
      return [];
    }
    return list.flatMap((entry: unknown, i) => {
      if (isRecord(entry) && typeof entry.id === 'string' && entry.id.trim() !== '') return [entry];
      problems.push({
        path: `${collection}.${i}.id`,
        code: 'MISSING_FIELD',
        message: `${collection}[${i}] needs a non-empty string id`,
      });
      return [];
    });
  };

  const tasks = entries('tasks');
  const sources: Record<CollectionName, Record<string, unknown>[]> = {
    phases: entries('phases'),
    tasks: tasks.filter((task) => task.milestone !== true),
    milestones: [
      ...entries('milestones'),
      ...tasks.filter((task) => task.milestone === true).map(milestoneFromTask),
    ],
    risks: entries('risks'),
    resources: entries('resources'),
    stakeholders: entries('stakeholders').map(stakeholderWithScores),
    objectives: entries('objectives'),
  };

  const entities = {} as Record<CollectionName, FieldValues[]>;
  for (const collection of COLLECTIONS) {
    const seen = new Set<string>();
    entities[collection] = sources[collection].flatMap((entry) => {
      const id = entry.id as string;
      if (seen.has(id)) {
        // Two entries for one id would silently merge into one entity.
        problems.push({
          path: `${collection}.${id}`,
          code: 'DUPLICATE_ID',
          message: `${collection} has ${id} twice`,
          ids: [id],
        });
        return [];
      }
      seen.add(id);
      return [readEntity(id, entry, schemaOf(collection))];
    });
  }
  if (problems.length > 0) throw new PlanValidationError(problems);

  return { meta: readFields(metaWithCalendarMode(input.meta), schemaOf('meta')), entities };
}

/**
 * Files written before calendars had content named the convention in `calendar`
 * (`"calendar-days"`); that is `calendarMode` now, and `calendar` holds the working days.
 */
function metaWithCalendarMode(meta: unknown): unknown {
  if (!isRecord(meta) || typeof meta.calendar !== 'string') return meta;
  const { calendar, ...rest } = meta;
  return calendar === 'calendar-days' || calendar === 'working-days'
    ? { calendarMode: calendar, ...rest }
    : rest;
}

function milestoneFromTask(task: Record<string, unknown>): Record<string, unknown> {
  const { id, title, phaseId, dependsOn, status, assignees } = task;
  return { id, title, phaseId, dependsOn, status, assignees, date: task.date ?? task.start };
}

function stakeholderWithScores(stakeholder: Record<string, unknown>): Record<string, unknown> {
  const score = (value: unknown): unknown => LEVEL_SCORES.get(value) ?? value;
  return {
    ...stakeholder,
    influence: score(stakeholder.influence),
    interest: score(stakeholder.interest),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
