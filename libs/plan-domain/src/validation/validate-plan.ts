/**
 * Whole-plan validation: every field against its schema, every reference against the plan,
 * dependency cycles. Pure and total: content clients wrote straight into the CRDT can be any
 * shape, so this reports what it finds and never throws, repairs or drops anything.
 */
import { compareCodeUnits } from '../id-order';
import { COLLECTIONS, type CollectionName, type PlanJson } from '../plan-json';
import { schemaOf, type ReferenceTarget } from '../plan-schema';
import { checkEntityFields } from './check-fields';
import { dependencyGraph, findDependencyCycles } from './dependency-cycles';
import type { PlanProblem } from './plan-problem';

interface Located {
  readonly rank: number;
  readonly id: string;
  readonly problem: PlanProblem;
}

type Entry = Readonly<Record<string, unknown>>;

export function validatePlan(plan: PlanJson): PlanProblem[] {
  // Stable sort: grouped by collection and entity, each entity's problems in check order.
  return locateProblems(plan)
    .sort((a, b) => a.rank - b.rank || compareCodeUnits(a.id, b.id))
    .map((located) => located.problem);
}

/** An entity of a plan collection: whose problems `problemsOfEntity` reports. */
export interface EntityRef {
  readonly collection: CollectionName;
  readonly id: string;
}

/**
 * The problems `validatePlan` reports on one entity, in its order, except dependency cycles
 * (the cycle check is over the whole graph). An update that keeps every id changes no other
 * entity's problems, so comparing these before and after it tells what the update adds, at the
 * cost of checking one entity's fields instead of the plan's.
 */
export function problemsOfEntity(plan: PlanJson, entity: EntityRef): PlanProblem[] {
  return locateProblems(plan, entity).map((located) => located.problem);
}

/** every problem of the plan, or of one entity (then without cycles), as found */
function locateProblems(plan: PlanJson, only?: EntityRef): Located[] {
  const found: Located[] = [];
  const wanted = (collection: CollectionName | 'meta', id: string): boolean =>
    only === undefined || (only.collection === collection && only.id === id);
  const at = (collection: CollectionName | 'meta', id: string, problem: PlanProblem): void => {
    if (!wanted(collection, id)) return;
    found.push({ rank: collection === 'meta' ? -1 : COLLECTIONS.indexOf(collection), id, problem });
  };

  const meta: unknown = plan.meta;
  if (wanted('meta', '')) {
    if (isRecord(meta)) {
      for (const problem of checkEntityFields('meta', meta, schemaOf('meta'), 'stored'))
        at('meta', '', problem);
    } else {
      at('meta', '', { path: 'meta', code: 'WRONG_TYPE', message: 'meta must be an object' });
    }
  }

  const entries = new Map<CollectionName, Map<string, Entry>>();
  for (const collection of COLLECTIONS) {
    const byId = new Map<string, Entry>();
    entries.set(collection, byId);
    const list: unknown = plan[collection];
    if (!Array.isArray(list)) {
      at(collection, '', {
        path: collection,
        code: 'WRONG_TYPE',
        message: `${collection} must be a list`,
      });
      continue;
    }
    list.forEach((entry: unknown, i) => {
      if (!isRecord(entry) || typeof entry.id !== 'string') {
        const path = `${collection}.${i}`;
        at(collection, '', {
          path,
          code: 'WRONG_TYPE',
          message: `${path} must be an object with a string id`,
        });
        return;
      }
      const path = `${collection}.${entry.id}`;
      if (byId.has(entry.id)) {
        at(collection, entry.id, {
          path,
          code: 'DUPLICATE_ID',
          message: `${collection} has ${entry.id} twice`,
          ids: [entry.id],
        });
        return;
      }
      byId.set(entry.id, entry);
      if (!wanted(collection, entry.id)) return;
      for (const problem of checkEntityFields(path, entry, schemaOf(collection), 'stored')) {
        at(collection, entry.id, problem);
      }
    });
  }

  const tasks = entries.get('tasks')!;
  const milestones = entries.get('milestones')!;
  for (const id of milestones.keys()) {
    if (tasks.has(id)) {
      // Dependencies name tasks and milestones alike, so a shared id would be ambiguous.
      at('milestones', id, {
        path: `milestones.${id}`,
        code: 'DUPLICATE_ID',
        message: `${id} is both a task and a milestone; dependencies could not tell them apart`,
        ids: [id],
      });
    }
  }
  const known: KnownIds = {
    phases: new Set(entries.get('phases')!.keys()),
    resources: new Set(entries.get('resources')!.keys()),
    'work-items': new Set([...tasks.keys(), ...milestones.keys()]),
  };

  for (const collection of COLLECTIONS) {
    const schema = schemaOf(collection);
    for (const [id, entry] of entries.get(collection)!) {
      if (!wanted(collection, id)) continue;
      for (const [field, spec] of Object.entries(schema)) {
        const path = `${collection}.${id}.${field}`;
        const value = entry[field];
        const problems =
          spec.kind === 'reference'
            ? checkReference(path, value, spec.to, known)
            : spec.kind === 'id-list' && spec.to !== undefined
              ? checkReferences(path, value, spec.to, known)
              : spec.kind === 'dependencies'
                ? checkDependencyTargets(path, value, known)
                : [];
        for (const problem of problems) at(collection, id, problem);
      }
    }
  }

  if (only !== undefined) return found;
  const dependsOn = dependencyGraph(
    [...tasks.values(), ...milestones.values()].map((entry) => ({
      id: entry.id,
      dependsOn: entry.dependsOn,
    })),
  );
  for (const cycle of findDependencyCycles(dependsOn)) {
    const collection: CollectionName = tasks.has(cycle[0]) ? 'tasks' : 'milestones';
    at(collection, cycle[0], {
      path: `${collection}.${cycle[0]}.dependsOn`,
      code: 'DEPENDENCY_CYCLE',
      message: `dependency cycle: ${[...cycle, cycle[0]].join(' → ')}`,
      ids: cycle,
    });
  }

  return found;
}

type KnownIds = { readonly [T in ReferenceTarget]: ReadonlySet<string> };

const TARGET_NAME: { readonly [T in ReferenceTarget]: string } = {
  phases: 'phase',
  resources: 'resource',
  'work-items': 'task or milestone',
};

function checkReference(
  path: string,
  value: unknown,
  target: ReferenceTarget,
  known: KnownIds,
): PlanProblem[] {
  if (typeof value !== 'string' || value === '' || known[target].has(value)) return [];
  return [
    {
      path,
      code: 'UNKNOWN_REFERENCE',
      message: `refers to ${TARGET_NAME[target]} ${value}, which is not in the plan`,
      ids: [value],
    },
  ];
}

function checkReferences(
  path: string,
  value: unknown,
  target: ReferenceTarget,
  known: KnownIds,
): PlanProblem[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((id: unknown, i) => checkReference(`${path}.${i}`, id, target, known));
}

function checkDependencyTargets(path: string, value: unknown, known: KnownIds): PlanProblem[] {
  if (!Array.isArray(value)) return [];
  const problems: PlanProblem[] = [];
  const seen = new Set<string>();
  value.forEach((dependency: unknown, i) => {
    const taskId = isRecord(dependency) ? dependency.taskId : undefined;
    if (typeof taskId !== 'string' || taskId === '') return;
    problems.push(...checkReference(`${path}.${i}.taskId`, taskId, 'work-items', known));
    if (seen.has(taskId)) {
      // Two links between the same pair leave the schedule ambiguous about which one binds.
      problems.push({
        path: `${path}.${i}`,
        code: 'DUPLICATE_DEPENDENCY',
        message: `depends on ${taskId} more than once`,
        ids: [taskId],
      });
    }
    seen.add(taskId);
  });
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
