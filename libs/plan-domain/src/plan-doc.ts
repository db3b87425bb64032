/**
 * PlanDoc: the typed command API over one plan's Y.Doc, used by REST commands, the CLI and
 * tests. A command checks its input, refuses to add problems to the plan (it may leave the ones
 * clients already wrote), and writes in one transaction tagged with the caller's origin.
 *
 * ```ts
 * const plan = new PlanDoc(doc, { newId: () => ids.next() });
 * const design = plan.addPhase({ title: 'Design' }, 'rest');
 * const task = plan.addTask({ title: 'Data model', durationDays: 5, phaseId: design.id }, 'rest');
 * plan.addDependency(task.id, { taskId: 'kick-off', type: 'FS', lagDays: 0 }, 'rest');
 * ```
 */
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { importPlan, type PlanImport } from './plan-import';
import type {
  CollectionName,
  Dependency,
  EntityByCollection,
  Milestone,
  Objective,
  Phase,
  PlanJson,
  PlanMeta,
  Resource,
  Risk,
  Stakeholder,
  Task,
} from './plan-json';
import { ENTITY_TYPE_OF } from './plan-json';
import { schemaOf } from './plan-schema';
import {
  collectionMap,
  entityMap,
  metaMap,
  readEntity,
  readFields,
  readPlan,
  writeFields,
  type FieldValues,
} from './plan-ydoc';
import { cycleThrough, dependencyGraph } from './validation/dependency-cycles';
import {
  PlanEntityNotFoundError,
  PlanValidationError,
  type PlanProblem,
} from './validation/plan-problem';
import { validateInput } from './validation/validate-input';
import { problemsOfEntity, validatePlan } from './validation/validate-plan';

export interface PlanDocOptions {
  /** Ids for entities created without one; inject a sequence for deterministic tests. */
  readonly newId?: () => string;
}

/** A new entity: the listed fields are required, the rest optional; `id` is generated if absent. */
type NewEntity<T, Required extends keyof T> = { readonly id?: string } & Pick<T, Required> &
  Partial<Omit<T, Required | 'id'>>;

export type NewPhase = NewEntity<Phase, 'title'>;
export type NewTask = NewEntity<Task, 'title' | 'durationDays'>;
export type NewMilestone = NewEntity<Milestone, 'title'>;
export type NewRisk = NewEntity<Risk, 'title' | 'probability' | 'impact'>;
export type NewResource = NewEntity<Resource, 'name' | 'kind'>;
export type NewStakeholder = NewEntity<Stakeholder, 'name' | 'influence' | 'interest'>;
export type NewObjective = NewEntity<Objective, 'title' | 'target'>;

/** Any subset of an entity's fields; `null` clears an optional field. */
export type Patch<T> = {
  readonly [K in Exclude<keyof T, 'id'>]?: undefined extends T[K] ? T[K] | null : T[K];
};

export interface NewEntityByCollection {
  readonly phases: NewPhase;
  readonly tasks: NewTask;
  readonly milestones: NewMilestone;
  readonly risks: NewRisk;
  readonly resources: NewResource;
  readonly stakeholders: NewStakeholder;
  readonly objectives: NewObjective;
}

type WorkItemCollection = 'tasks' | 'milestones';

/** Field edits to other entities that a removal carries along (links to what is removed). */
interface LinkEdit {
  readonly collection: CollectionName;
  readonly id: string;
  readonly fields: FieldValues;
}

export class PlanDoc {
  readonly doc: Y.Doc;
  private readonly newId: () => string;

  constructor(doc: Y.Doc = new Y.Doc(), options: PlanDocOptions = {}) {
    this.doc = doc;
    this.newId = options.newId ?? randomUUID;
  }

  /** Loads a plain plan (or the fixture file format, see plan-import.ts) into `doc`. */
  static fromJSON(
    json: PlanImport,
    doc: Y.Doc = new Y.Doc(),
    options: PlanDocOptions & { readonly origin?: unknown } = {},
  ): PlanDoc {
    importPlan(doc, json, options.origin);
    return new PlanDoc(doc, options);
  }

  toJSON(): PlanJson {
    return readPlan(this.doc);
  }

  get meta(): PlanMeta {
    // readFields follows META_SCHEMA, which mirrors PlanMeta.
    return readFields(metaMap(this.doc), schemaOf('meta')) as unknown as PlanMeta;
  }

  get<C extends CollectionName>(collection: C, id: string): EntityByCollection[C] | undefined {
    const entries = collectionMap(this.doc, collection);
    if (!entries.has(id)) return undefined;
    // readEntity follows the schema table that mirrors EntityByCollection[C].
    return readEntity(
      id,
      entries.get(id),
      schemaOf(collection),
    ) as unknown as EntityByCollection[C];
  }

  setMeta(patch: Patch<PlanMeta>, origin?: unknown): PlanMeta {
    throwIfAny(validateInput('meta', patch, 'update'));
    const before = this.toJSON();
    const meta = applyPatch(before.meta as unknown as FieldValues, patch);
    refuseNewProblems(before, { ...before, meta: meta as unknown as PlanMeta });
    this.doc.transact(() => writeFields(metaMap(this.doc), patch, schemaOf('meta')), origin);
    return this.meta;
  }

  /** Without an `order`, the phase goes last (concurrent adds may tie; ties sort by id). */
  addPhase(input: NewPhase, origin?: unknown): Phase {
    const last = Math.max(
      -1,
      ...this.toJSON()
        .phases.map((p) => p.order)
        .filter(Number.isFinite),
    );
    return this.add('phases', { ...input, order: input.order ?? last + 1 }, origin);
  }
  updatePhase(id: string, patch: Patch<Phase>, origin?: unknown): Phase {
    return this.update('phases', id, patch, origin);
  }
  /** Refused while tasks or milestones are still in the phase: move them first. */
  removePhase(id: string, origin?: unknown): void {
    this.remove('phases', id, origin);
  }

  addTask(input: NewTask, origin?: unknown): Task {
    return this.add('tasks', input, origin);
  }
  updateTask(id: string, patch: Patch<Task>, origin?: unknown): Task {
    return this.update('tasks', id, patch, origin);
  }
  /** Also removes dependencies on the task and links to it from risks and objectives. */
  removeTask(id: string, origin?: unknown): void {
    this.remove('tasks', id, origin);
  }
  /** `phaseId: null` takes the task out of any phase. */
  moveTask(id: string, phaseId: string | null, origin?: unknown): Task {
    return this.update('tasks', id, { phaseId }, origin);
  }

  /**
   * Makes a task or milestone depend on another. A second link to the same predecessor replaces
   * the first (one link per pair keeps the schedule unambiguous). Returns the new `dependsOn`.
   */
  addDependency(
    successorId: string,
    dependency: Dependency,
    origin?: unknown,
  ): readonly Dependency[] {
    const { collection, entity } = this.workItem(successorId);
    throwIfAny(validateInput(collection, { dependsOn: [dependency] }, 'update', successorId));
    const current = entity.dependsOn as readonly unknown[];
    const link = {
      taskId: dependency.taskId,
      type: dependency.type,
      lagDays: dependency.lagDays,
      ...(dependency.lagKind === undefined ? {} : { lagKind: dependency.lagKind }),
    };
    const index = current.findIndex((d) => predecessorOf(d) === dependency.taskId);
    const dependsOn =
      index === -1 ? [...current, link] : current.map((d, i) => (i === index ? link : d));
    return this.applyUpdate(collection, successorId, { dependsOn }, origin).dependsOn;
  }

  /** Removing a link that does not exist changes nothing. Returns the new `dependsOn`. */
  removeDependency(
    successorId: string,
    predecessorId: string,
    origin?: unknown,
  ): readonly Dependency[] {
    const { collection, entity } = this.workItem(successorId);
    const current = entity.dependsOn as readonly unknown[];
    const dependsOn = current.filter((d) => predecessorOf(d) !== predecessorId);
    return this.applyUpdate(collection, successorId, { dependsOn }, origin).dependsOn;
  }

  addMilestone(input: NewMilestone, origin?: unknown): Milestone {
    return this.add('milestones', input, origin);
  }
  updateMilestone(id: string, patch: Patch<Milestone>, origin?: unknown): Milestone {
    return this.update('milestones', id, patch, origin);
  }
  /** Also removes dependencies on the milestone and links to it from risks and objectives. */
  removeMilestone(id: string, origin?: unknown): void {
    this.remove('milestones', id, origin);
  }

  addRisk(input: NewRisk, origin?: unknown): Risk {
    return this.add('risks', input, origin);
  }
  updateRisk(id: string, patch: Patch<Risk>, origin?: unknown): Risk {
    return this.update('risks', id, patch, origin);
  }
  setRiskScore(id: string, probability: number, impact: number, origin?: unknown): Risk {
    return this.update('risks', id, { probability, impact }, origin);
  }
  removeRisk(id: string, origin?: unknown): void {
    this.remove('risks', id, origin);
  }

  addResource(input: NewResource, origin?: unknown): Resource {
    return this.add('resources', input, origin);
  }
  updateResource(id: string, patch: Patch<Resource>, origin?: unknown): Resource {
    return this.update('resources', id, patch, origin);
  }
  /** Also unassigns the resource from every task. */
  removeResource(id: string, origin?: unknown): void {
    this.remove('resources', id, origin);
  }

  addStakeholder(input: NewStakeholder, origin?: unknown): Stakeholder {
    return this.add('stakeholders', input, origin);
  }
  updateStakeholder(id: string, patch: Patch<Stakeholder>, origin?: unknown): Stakeholder {
    return this.update('stakeholders', id, patch, origin);
  }
  removeStakeholder(id: string, origin?: unknown): void {
    this.remove('stakeholders', id, origin);
  }

  addObjective(input: NewObjective, origin?: unknown): Objective {
    return this.add('objectives', input, origin);
  }
  updateObjective(id: string, patch: Patch<Objective>, origin?: unknown): Objective {
    return this.update('objectives', id, patch, origin);
  }
  removeObjective(id: string, origin?: unknown): void {
    this.remove('objectives', id, origin);
  }

  /** generic create for any collection (the typed `addTask`… delegate here) */
  add<C extends CollectionName>(
    collection: C,
    input: NewEntityByCollection[C],
    origin?: unknown,
  ): EntityByCollection[C] {
    throwIfAny(validateInput(collection, input, 'create'));
    const { id: givenId, ...fields } = input as FieldValues & { readonly id?: string };
    const id = givenId ?? this.newId();
    const before = this.toJSON();
    if (idInUse(before, collection, id)) {
      throw new PlanValidationError([
        {
          path: `${collection}.${id}`,
          code: 'DUPLICATE_ID',
          message: `${id} is already used by another ${isWorkItem(collection) ? 'task or milestone' : ENTITY_TYPE_OF[collection]}`,
          ids: [id],
        },
      ]);
    }
    // Defaults are written out too, so clients reading the raw document see every field.
    const entity = readEntity(id, fields, schemaOf(collection));
    refuseNewProblems(before, withEntity(before, collection, entity), {
      collection,
      id,
      othersUnaffected: true,
    });
    this.doc.transact(
      () => writeFields(entityMap(this.doc, collection, id), entity, schemaOf(collection)),
      origin,
    );
    return this.get(collection, id)!;
  }

  update<C extends CollectionName>(
    collection: C,
    id: string,
    patch: Patch<EntityByCollection[C]>,
    origin?: unknown,
  ): EntityByCollection[C] {
    throwIfAny(validateInput(collection, patch, 'update', id));
    return this.applyUpdate(collection, id, patch, origin);
  }

  /** Writes only the patched fields, so concurrent edits of other fields survive. */
  private applyUpdate<C extends CollectionName>(
    collection: C,
    id: string,
    patch: FieldValues,
    origin: unknown,
  ): EntityByCollection[C] {
    const before = this.toJSON();
    const current = findEntity(before, collection, id);
    if (current === undefined)
      throw new PlanEntityNotFoundError({ type: ENTITY_TYPE_OF[collection], id });
    refuseNewProblems(before, withEntity(before, collection, applyPatch(current, patch)), {
      collection,
      id,
      othersUnaffected: true,
    });
    this.doc.transact(
      () => writeFields(entityMap(this.doc, collection, id), patch, schemaOf(collection)),
      origin,
    );
    return this.get(collection, id)!;
  }

  remove(collection: CollectionName, id: string, origin?: unknown): void {
    const before = this.toJSON();
    if (findEntity(before, collection, id) === undefined) {
      throw new PlanEntityNotFoundError({ type: ENTITY_TYPE_OF[collection], id });
    }
    const edits = linkEditsForRemoval(before, collection, id);
    let after = withoutEntity(before, collection, id);
    for (const edit of edits) {
      after = withEntity(
        after,
        edit.collection,
        applyPatch(findEntity(after, edit.collection, edit.id)!, edit.fields),
      );
    }
    refuseNewProblems(before, after);
    this.doc.transact(() => {
      collectionMap(this.doc, collection).delete(id);
      for (const edit of edits)
        writeFields(
          entityMap(this.doc, edit.collection, edit.id),
          edit.fields,
          schemaOf(edit.collection),
        );
    }, origin);
  }

  private workItem(id: string): { collection: WorkItemCollection; entity: FieldValues } {
    const plan = this.toJSON();
    for (const collection of ['tasks', 'milestones'] as const) {
      const entity = findEntity(plan, collection, id);
      if (entity !== undefined) {
        // A client may have stored a non-list; commands then start from an empty list.
        const dependsOn: unknown = entity.dependsOn;
        return {
          collection,
          entity: { ...entity, dependsOn: Array.isArray(dependsOn) ? dependsOn : [] },
        };
      }
    }
    throw new PlanEntityNotFoundError({ type: 'task', id });
  }
}

function throwIfAny(problems: readonly PlanProblem[]): void {
  if (problems.length > 0) throw new PlanValidationError(problems);
}

/**
 * Refuses a change that would add problems to the plan. Problems the plan already had (written
 * by clients straight into the CRDT) do not block unrelated commands. Cycles are checked through
 * the edited item itself: a new cycle must pass through the only item whose links changed.
 */
function refuseNewProblems(
  before: PlanJson,
  after: PlanJson,
  edited?: {
    readonly collection: CollectionName;
    readonly id: string;
    /**
     * no other entity can gain a problem: an update keeps every id of the plan, and an add
     * takes an id no task, milestone or entity of its collection has (others can only lose
     * unknown references to it). Then only this entity's problems are compared.
     */
    readonly othersUnaffected?: boolean;
  },
): void {
  const problemsOf = (plan: PlanJson): PlanProblem[] =>
    edited?.othersUnaffected ? problemsOfEntity(plan, edited) : validatePlan(plan);
  const existing = new Map<string, number>();
  for (const problem of problemsOf(before)) {
    const key = problemKey(problem);
    existing.set(key, (existing.get(key) ?? 0) + 1);
  }
  const added: PlanProblem[] = [];
  for (const problem of problemsOf(after)) {
    if (problem.code === 'DEPENDENCY_CYCLE') continue;
    const key = problemKey(problem);
    const left = existing.get(key) ?? 0;
    if (left > 0) existing.set(key, left - 1);
    else added.push(problem);
  }
  if (edited !== undefined && isWorkItem(edited.collection)) {
    const cycle = cycleThrough(edited.id, dependencyGraph([...after.tasks, ...after.milestones]));
    const hadCycle = cycleThrough(
      edited.id,
      dependencyGraph([...before.tasks, ...before.milestones]),
    );
    if (cycle !== undefined && hadCycle === undefined) {
      added.push({
        path: `${edited.collection}.${edited.id}.dependsOn`,
        code: 'DEPENDENCY_CYCLE',
        message: `would create the dependency cycle ${[...cycle, cycle[0]].join(' → ')}`,
        ids: cycle,
      });
    }
  }
  throwIfAny(added);
}

// List positions are left out: removing one dependency renumbers the others, which must not
// make their old problems look new.
function problemKey(problem: PlanProblem): string {
  const path = problem.path.replace(/\.\d+(?=\.|$)/g, '.#');
  return `${problem.code}|${path}|${(problem.ids ?? []).join(',')}`;
}

function isWorkItem(collection: CollectionName): collection is WorkItemCollection {
  return collection === 'tasks' || collection === 'milestones';
}

function idInUse(plan: PlanJson, collection: CollectionName, id: string): boolean {
  // Tasks and milestones share one id space: dependencies name either.
  const spaces: readonly CollectionName[] = isWorkItem(collection)
    ? ['tasks', 'milestones']
    : [collection];
  return spaces.some((space) => findEntity(plan, space, id) !== undefined);
}

function findEntity(
  plan: PlanJson,
  collection: CollectionName,
  id: string,
): FieldValues | undefined {
  const entries: readonly FieldValues[] = plan[
    collection
  ] as readonly unknown[] as readonly FieldValues[];
  return entries.find((entry) => entry.id === id);
}

function withEntity(plan: PlanJson, collection: CollectionName, entity: FieldValues): PlanJson {
  const others = (plan[collection] as readonly unknown[] as readonly FieldValues[]).filter(
    (e) => e.id !== entity.id,
  );
  return { ...plan, [collection]: [...others, entity] };
}

function withoutEntity(plan: PlanJson, collection: CollectionName, id: string): PlanJson {
  const entries = plan[collection] as readonly unknown[] as readonly FieldValues[];
  return { ...plan, [collection]: entries.filter((entry) => entry.id !== id) };
}

function applyPatch(entity: FieldValues, patch: FieldValues): FieldValues {
  const next: Record<string, unknown> = { ...entity };
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) delete next[field];
    else if (value !== undefined) next[field] = value;
  }
  return next;
}

function predecessorOf(dependency: unknown): unknown {
  return typeof dependency === 'object' && dependency !== null
    ? (dependency as { taskId?: unknown }).taskId
    : undefined;
}

/** Links to a removed entity go with it, so no entity is left pointing at nothing. */
function linkEditsForRemoval(plan: PlanJson, collection: CollectionName, id: string): LinkEdit[] {
  const edits: LinkEdit[] = [];
  const dropFrom = (
    target: CollectionName,
    field: string,
    keep: (item: unknown) => boolean,
  ): void => {
    for (const entity of plan[target] as readonly unknown[] as readonly FieldValues[]) {
      if (target === collection && entity.id === id) continue;
      const list = entity[field];
      if (!Array.isArray(list)) continue;
      const kept = list.filter(keep);
      if (kept.length !== list.length)
        edits.push({ collection: target, id: String(entity.id), fields: { [field]: kept } });
    }
  };
  switch (collection) {
    case 'tasks':
    case 'milestones':
      dropFrom('tasks', 'dependsOn', (d) => predecessorOf(d) !== id);
      dropFrom('milestones', 'dependsOn', (d) => predecessorOf(d) !== id);
      dropFrom('risks', 'linkedTaskIds', (linked) => linked !== id);
      dropFrom('objectives', 'linkedTaskIds', (linked) => linked !== id);
      break;
    case 'resources':
      dropFrom('tasks', 'resourceIds', (resourceId) => resourceId !== id);
      break;
    case 'phases':
    case 'risks':
    case 'stakeholders':
    case 'objectives':
      break;
    default:
      return assertNever(collection);
  }
  return edits;
}

function assertNever(value: never): never {
  throw new Error(`unhandled collection ${String(value)}`);
}
