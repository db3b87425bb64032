/**
 * The meeting point of every import format: a converter turns its source into a plan file
 * (the shape `importPlan` reads) written with the shared field names — including fields this
 * server's plan model may not hold yet (`meta.calendar` as an object, task `constraint`,
 * `actualStart`…). `fitToPlanModel` then keeps what the model holds and reports the rest.
 */
import {
  isPlanValidationError,
  normalizePlanImport,
  validatePlan,
  type CollectionName,
  type PlanFile,
  type PlanJson,
} from '@lib/plan-domain';
import {
  ImportRefusedError,
  type ExchangeFormat,
  type ImportNotes,
  type ImportProblem,
  type ImportReport,
} from './import-report';

/** A baseline a source carried (MSPDI Baseline0…10): dates per activity id. */
export interface ConvertedBaseline {
  readonly number: number;
  readonly name: string;
  readonly activities: Readonly<
    Record<string, { readonly start: string; readonly finish: string }>
  >;
}

export interface ConvertedPlan {
  readonly format: ExchangeFormat;
  readonly file: PlanFile;
  readonly notes: ImportNotes;
  /** Where each entity came from, by `collection.id` (`tasks.t4` → `Task UID=4 (Design)`). */
  readonly origins: ReadonlyMap<string, string>;
  /** What to write instead when the model cannot hold a value as converted, by path. */
  readonly fallbacks: ReadonlyMap<string, unknown>;
  readonly baselines: readonly ConvertedBaseline[];
}

export interface ImportedPlan {
  /** The plan as the server will hold it. */
  readonly plan: PlanJson;
  /** The plan file that gives exactly `plan` through `importPlan`. */
  readonly file: PlanFile;
  readonly baselines: readonly ConvertedBaseline[];
  readonly report: ImportReport;
}

/**
 * Fields a converter writes under the shared names that a plan model may store differently or
 * not at all. When one of these does not validate, it is set aside and reported, not refused:
 * it is the model, not the file, that cannot hold it.
 */
const AHEAD_OF_MODEL: ReadonlySet<string> = new Set([
  'meta.calendar',
  'meta.calendarMode',
  'meta.statusDate',
  'resources.calendar',
  'resources.maxUnits',
  'tasks.constraint',
  'tasks.actualStart',
  'tasks.actualFinish',
  'tasks.priority',
  'milestones.constraint',
  'milestones.actualStart',
  'milestones.actualFinish',
  'milestones.priority',
]);

type MutableEntry = Record<string, unknown>;
interface MutableFile {
  meta: MutableEntry;
  [collection: string]: MutableEntry | MutableEntry[];
}

const FITTED_COLLECTIONS: readonly CollectionName[] = [
  'phases',
  'tasks',
  'milestones',
  'risks',
  'resources',
  'stakeholders',
  'objectives',
];

export function fitToPlanModel(converted: ConvertedPlan): ImportedPlan {
  const { format, notes, origins, fallbacks } = converted;
  // a JSON copy, not structuredClone: Yjs stores only this realm's plain objects (see json-value.ts)
  const file = JSON.parse(JSON.stringify(converted.file)) as MutableFile;
  file.meta ??= {};
  const originOf = (collection: string, id: string | undefined): string =>
    collection === 'meta' ? 'plan' : (origins.get(`${collection}.${id}`) ?? `${collection} ${id}`);

  let plan = normalize(format, file, originOf);

  // 1. fields the model does not read at all
  const reportUnread = (
    collection: string,
    entry: MutableEntry,
    held: object | undefined,
  ): void => {
    for (const [field, value] of Object.entries(entry)) {
      if (field === 'id' || (held !== undefined && field in held) || isEmpty(value)) continue;
      // the older plan-file form `calendar: "calendar-days"` is read as `calendarMode`
      if (collection === 'meta' && field === 'calendar' && value === plan.meta.calendarMode)
        continue;
      // a plan file's `milestone` flag is how importPlan sorts tasks from milestones
      if (field === 'milestone' && (collection === 'tasks' || collection === 'milestones'))
        continue;
      notes.notHeld(
        originOf(collection, entry.id as string | undefined),
        field,
        `${describeField(collection, field)} ${preview(value)} is not held by this server's plan model`,
      );
      delete entry[field];
    }
  };
  reportUnread('meta', file.meta, plan.meta);
  for (const collection of FITTED_COLLECTIONS) {
    for (const entry of entriesOf(file, collection)) {
      const id = entry.id as string;
      const held =
        findById(plan[collection], id) ??
        (collection === 'tasks' ? findById(plan.milestones, id) : undefined);
      reportUnread(entry.milestone === true ? 'milestones' : collection, entry, held);
    }
  }

  // 2. shared-name fields the model stores in another shape
  let changed = false;
  for (const problem of validatePlan(plan)) {
    const [collection, second, third] = problem.path.split('.');
    const field = collection === 'meta' ? second : third;
    const id = collection === 'meta' ? undefined : second;
    if (!AHEAD_OF_MODEL.has(`${collection}.${field}`)) continue;
    const entry =
      collection === 'meta'
        ? file.meta
        : (entriesOf(file, collection).find((e) => e.id === id) ??
          entriesOf(file, 'tasks').find((e) => e.id === id));
    if (!entry || entry[field] === undefined) continue;
    const value = entry[field];
    const fallback = fallbacks.get(
      collection === 'meta' ? `meta.${field}` : `${collection}.${id}.${field}`,
    );
    if (fallback !== undefined) entry[field] = fallback;
    else delete entry[field];
    notes.notHeld(
      originOf(collection, id),
      field,
      `${describeField(collection, field)} ${preview(value)} is not held by this server's plan model (${problem.message})` +
        (fallback !== undefined ? `; kept as ${preview(fallback)}` : ''),
    );
    changed = true;
  }
  if (changed) plan = normalize(format, file, originOf);

  const problems = validatePlan(plan);
  if (problems.length > 0) {
    throw new ImportRefusedError(
      format,
      problems.map((p): ImportProblem => {
        const [collection, id] = p.path.split('.');
        return { at: `${originOf(collection, id)} (${p.path})`, message: p.message };
      }),
    );
  }
  return {
    plan,
    file: file as unknown as PlanFile,
    baselines: converted.baselines,
    report: {
      format,
      counts: {
        phases: plan.phases.length,
        tasks: plan.tasks.length,
        milestones: plan.milestones.length,
        resources: plan.resources.length,
        risks: plan.risks.length,
        stakeholders: plan.stakeholders.length,
        objectives: plan.objectives.length,
      },
      notes: notes.all,
    },
  };
}

function normalize(
  format: ExchangeFormat,
  file: MutableFile,
  originOf: (collection: string, id: string | undefined) => string,
): PlanJson {
  try {
    return normalizePlanImport(file as unknown as PlanFile);
  } catch (error) {
    if (!isPlanValidationError(error)) throw error;
    throw new ImportRefusedError(
      format,
      error.problems.map((p) => {
        const [collection, id] = p.path.split('.');
        return { at: `${originOf(collection, id)} (${p.path})`, message: p.message };
      }),
    );
  }
}

function entriesOf(file: MutableFile, collection: string): MutableEntry[] {
  const list = file[collection];
  return Array.isArray(list)
    ? list.filter((e): e is MutableEntry => typeof e === 'object' && e !== null)
    : [];
}

function findById(list: readonly object[], id: string): object | undefined {
  return list.find((e) => (e as { id?: unknown }).id === id);
}

function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    value === 0 ||
    value === false ||
    (Array.isArray(value) && value.length === 0)
  );
}

function describeField(collection: string, field: string): string {
  return collection === 'meta' ? `plan ${field}` : field;
}

function preview(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}
