/**
 * Lists inside entities merge: replicas that add and remove dependencies, assignees and links
 * concurrently, exchanging updates in any order, converge, and no link anyone added is lost
 * unless someone removed it. Also the one-time migration of plans stored as plain lists.
 */
import fc from 'fast-check';
import * as Y from 'yjs';
import { readListField, writeListField } from './list-fields';
import { PlanDoc } from './plan-doc';
import { DEPENDENCY_TYPES, type Dependency } from './plan-json';
import { migratePlan, PLAN_SCHEMA_VERSION, planSchemaVersion } from './plan-schema-version';
import { isPlanValidationError } from './validation/plan-problem';

const BASE = {
  meta: { title: 'Rollout' },
  tasks: [
    { id: 'a', title: 'Design', durationDays: 3 },
    { id: 'b', title: 'Build', durationDays: 5, assignees: ['ana'] },
    { id: 'c', title: 'Test', durationDays: 2 },
    { id: 'd', title: 'Ship', durationDays: 1 },
  ],
  resources: [
    { id: 'r1', name: 'Dev', kind: 'person' },
    { id: 'r2', name: 'QA', kind: 'person' },
  ],
  risks: [{ id: 'k1', title: 'Late vendor', probability: 3, impact: 4 }],
};
const TASK_IDS = ['a', 'b', 'c', 'd'];
const PEOPLE = ['ana', 'ben', 'cai', 'dee'];

/** Replicas of one plan that start from the same state and exchange updates only when told. */
function replicas(count: number): PlanDoc[] {
  const origin = PlanDoc.fromJSON(BASE);
  migratePlan(origin.doc);
  const state = Y.encodeStateAsUpdate(origin.doc);
  return Array.from({ length: count }, () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    return new PlanDoc(doc);
  });
}

function syncAll(plans: readonly PlanDoc[]): void {
  for (const from of plans)
    for (const to of plans)
      if (from !== to)
        Y.applyUpdate(to.doc, Y.encodeStateAsUpdate(from.doc, Y.encodeStateVector(to.doc)));
}

const taskOf = (plan: PlanDoc, id: string) => plan.get('tasks', id)!;

describe('list fields', () => {
  it('given two disconnected replicas, when each adds a different dependency and assignee to one task, then after syncing both replicas have both', () => {
    const [left, right] = replicas(2);
    left.addDependency('c', { taskId: 'a', type: 'FS', lagDays: 0 });
    left.updateTask('c', { assignees: [...taskOf(left, 'c').assignees, 'ana'] });
    right.addDependency('c', { taskId: 'b', type: 'SS', lagDays: 2 });
    right.updateTask('c', { assignees: [...taskOf(right, 'c').assignees, 'ben'] });

    syncAll([left, right]);

    for (const plan of [left, right]) {
      expect(taskOf(plan, 'c').dependsOn).toEqual([
        { taskId: 'a', type: 'FS', lagDays: 0 },
        { taskId: 'b', type: 'SS', lagDays: 2 },
      ]);
      expect([...taskOf(plan, 'c').assignees].sort()).toEqual(['ana', 'ben']);
    }
    expect(left.toJSON()).toEqual(right.toJSON());
  });

  it('given a dependency, when one replica changes its lag while another removes a different link, then both edits survive', () => {
    const [left, right] = replicas(2);
    left.updateTask('d', {
      dependsOn: [
        { taskId: 'a', type: 'FS', lagDays: 0 },
        { taskId: 'b', type: 'FS', lagDays: 0 },
      ],
    });
    syncAll([left, right]);

    left.addDependency('d', { taskId: 'a', type: 'FS', lagDays: 4 });
    right.removeDependency('d', 'b');
    syncAll([left, right]);

    expect(taskOf(left, 'd').dependsOn).toEqual([{ taskId: 'a', type: 'FS', lagDays: 4 }]);
    expect(taskOf(right, 'd').dependsOn).toEqual([{ taskId: 'a', type: 'FS', lagDays: 4 }]);
  });

  it('given assignees in a chosen order, when written and read back, then the order is kept and a reorder is a write', () => {
    const [plan] = replicas(1);
    plan.updateTask('a', { assignees: ['dee', 'ana', 'cai'] });
    expect(taskOf(plan, 'a').assignees).toEqual(['dee', 'ana', 'cai']);
    plan.updateTask('a', { assignees: ['cai', 'dee'] });
    expect(taskOf(plan, 'a').assignees).toEqual(['cai', 'dee']);
  });

  it('given a link with an extra field, when read, then the field comes out after type and lag, and rewriting without it removes it', () => {
    const doc = new Y.Doc();
    const entity = doc.getMap<unknown>('tasks').set('t', new Y.Map<unknown>());
    const links = [{ taskId: 'p', type: 'FS', lagDays: 1, lagKind: 'working' }];
    doc.transact(() => writeListField(entity, 'dependsOn', 'dependencies', links));
    expect(entity.get('dependsOn')).toBeInstanceOf(Y.Map);
    // key order too: exported JSON and hashes of it must not depend on how a link was written
    expect(JSON.stringify(readListField(entity.get('dependsOn'), 'dependencies'))).toBe(
      JSON.stringify(links),
    );
    doc.transact(() =>
      writeListField(entity, 'dependsOn', 'dependencies', [
        { taskId: 'p', type: 'FS', lagDays: 1 },
      ]),
    );
    expect(readListField(entity.get('dependsOn'), 'dependencies')).toEqual([
      { taskId: 'p', type: 'FS', lagDays: 1 },
    ]);
  });

  it('given ids a client stored without ranks, when one is appended, then the list reads in the order written', () => {
    const doc = new Y.Doc();
    const entity = doc.getMap<unknown>('tasks').set('t', new Y.Map<unknown>());
    const ids = entity.set('assignees', new Y.Map<unknown>());
    ids.set('zoe', true);
    expect(readListField(ids, 'id-list')).toEqual(['zoe']);
    doc.transact(() => writeListField(entity, 'assignees', 'id-list', ['zoe', 'ana']));
    expect(readListField(entity.get('assignees'), 'id-list')).toEqual(['zoe', 'ana']);
  });

  it('given an unchanged list, when written again, then no update is produced', () => {
    const [plan] = replicas(1);
    const updates: Uint8Array[] = [];
    plan.doc.on('update', (u: Uint8Array) => updates.push(u));
    plan.updateTask('b', { assignees: ['ana'] });
    expect(updates).toHaveLength(0);
  });
});

describe('migration to keyed lists', () => {
  /** A document as plans were stored before schema version 2: lists as plain arrays. */
  function oldShapePlan(): Y.Doc {
    const doc = new Y.Doc();
    doc.transact(() => {
      doc.getMap('meta').set('title', 'Old');
      const tasks = doc.getMap<Y.Map<unknown>>('tasks');
      for (const [id, fields] of Object.entries({
        a: { title: 'A', durationDays: 1, assignees: ['zoe', 'ana'] },
        b: {
          title: 'B',
          durationDays: 2,
          dependsOn: [{ taskId: 'a', type: 'FS', lagDays: 1 }],
        },
        // the same predecessor twice cannot be keyed without losing a link: left as it is
        c: {
          title: 'C',
          durationDays: 2,
          dependsOn: [
            { taskId: 'a', type: 'FS', lagDays: 0 },
            { taskId: 'a', type: 'SS', lagDays: 0 },
          ],
        },
      })) {
        const task = new Y.Map<unknown>();
        tasks.set(id, task);
        for (const [field, value] of Object.entries(fields)) task.set(field, value);
      }
    });
    return doc;
  }

  it('given a plan stored with plain lists, when migrated, then it reads the same, is stamped, and a second migration writes nothing', () => {
    const doc = oldShapePlan();
    const before = new PlanDoc(doc).toJSON();
    expect(planSchemaVersion(doc)).toBe(1);

    expect(migratePlan(doc)).toBe(true);

    expect(new PlanDoc(doc).toJSON()).toEqual(before);
    expect(planSchemaVersion(doc)).toBe(PLAN_SCHEMA_VERSION);
    const tasks = doc.getMap<Y.Map<unknown>>('tasks');
    expect(tasks.get('a')!.get('assignees')).toBeInstanceOf(Y.Map);
    expect(tasks.get('b')!.get('dependsOn')).toBeInstanceOf(Y.Map);
    expect(Array.isArray(tasks.get('c')!.get('dependsOn'))).toBe(true);
    expect(migratePlan(doc)).toBe(false);
  });
});

type ListOp =
  | { kind: 'link'; task: string; on: string; type: Dependency['type']; lagDays: number }
  | { kind: 'unlink'; task: string; on: string }
  | { kind: 'assign'; task: string; person: string }
  | { kind: 'unassign'; task: string; person: string }
  | { kind: 'useResource'; task: string; resource: string }
  | { kind: 'linkRisk'; task: string };

const listOp: fc.Arbitrary<ListOp> = fc.oneof(
  fc.record({
    kind: fc.constant('link' as const),
    task: fc.constantFrom(...TASK_IDS),
    on: fc.constantFrom(...TASK_IDS),
    type: fc.constantFrom(...DEPENDENCY_TYPES),
    lagDays: fc.integer({ min: -2, max: 5 }),
  }),
  fc.record({
    kind: fc.constant('unlink' as const),
    task: fc.constantFrom(...TASK_IDS),
    on: fc.constantFrom(...TASK_IDS),
  }),
  fc.record({
    kind: fc.constant('assign' as const),
    task: fc.constantFrom(...TASK_IDS),
    person: fc.constantFrom(...PEOPLE),
  }),
  fc.record({
    kind: fc.constant('unassign' as const),
    task: fc.constantFrom(...TASK_IDS),
    person: fc.constantFrom(...PEOPLE),
  }),
  fc.record({
    kind: fc.constant('useResource' as const),
    task: fc.constantFrom(...TASK_IDS),
    resource: fc.constantFrom('r1', 'r2'),
  }),
  fc.record({ kind: fc.constant('linkRisk' as const), task: fc.constantFrom(...TASK_IDS) }),
);

const scenario = fc.integer({ min: 2, max: 4 }).chain((count) =>
  fc.record({
    count: fc.constant(count),
    steps: fc.array(
      fc.oneof(
        fc.record({
          kind: fc.constant('edit' as const),
          replica: fc.integer({ min: 0, max: count - 1 }),
          op: listOp,
        }),
        fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat() }),
      ),
      { maxLength: 40 },
    ),
    finalOrder: fc.array(fc.nat(), { maxLength: 200 }),
  }),
);

/** A link some replica added: `field` of `task` holds `key` (predecessor, person, resource, task). */
interface Added {
  readonly collection: 'tasks' | 'risks';
  readonly id: string;
  readonly field: string;
  readonly key: string;
}
const keyOf = (a: Added): string => `${a.collection}/${a.id}/${a.field}/${a.key}`;

/** Runs one op through PlanDoc; returns what it added and what it removed. */
function run(plan: PlanDoc, op: ListOp): { added?: Added; removed?: Added } {
  const task = taskOf(plan, op.task);
  switch (op.kind) {
    case 'link':
      plan.addDependency(op.task, { taskId: op.on, type: op.type, lagDays: op.lagDays });
      return { added: { collection: 'tasks', id: op.task, field: 'dependsOn', key: op.on } };
    case 'unlink':
      plan.removeDependency(op.task, op.on);
      return { removed: { collection: 'tasks', id: op.task, field: 'dependsOn', key: op.on } };
    case 'assign':
      if (!task.assignees.includes(op.person))
        plan.updateTask(op.task, { assignees: [...task.assignees, op.person] });
      return { added: { collection: 'tasks', id: op.task, field: 'assignees', key: op.person } };
    case 'unassign':
      plan.updateTask(op.task, { assignees: task.assignees.filter((p) => p !== op.person) });
      return {
        removed: { collection: 'tasks', id: op.task, field: 'assignees', key: op.person },
      };
    case 'useResource':
      if (!task.resourceIds.includes(op.resource))
        plan.updateTask(op.task, { resourceIds: [...task.resourceIds, op.resource] });
      return {
        added: { collection: 'tasks', id: op.task, field: 'resourceIds', key: op.resource },
      };
    case 'linkRisk': {
      const risk = plan.get('risks', 'k1')!;
      if (!risk.linkedTaskIds.includes(op.task))
        plan.updateRisk('k1', { linkedTaskIds: [...risk.linkedTaskIds, op.task] });
      return { added: { collection: 'risks', id: 'k1', field: 'linkedTaskIds', key: op.task } };
    }
    default: {
      const unhandled: never = op;
      return unhandled;
    }
  }
}

function holds(plan: PlanDoc, link: Added): boolean {
  const entity = plan.get(link.collection, link.id) as unknown as Record<string, unknown>;
  const list = entity[link.field] as readonly unknown[];
  return list.some((item) =>
    typeof item === 'string' ? item === link.key : (item as Dependency).taskId === link.key,
  );
}

describe('list fields under concurrent edits (property)', () => {
  it('given 2–4 replicas making random list edits, when updates arrive in any order, then all converge and no added link is lost unless someone removed it', () => {
    fc.assert(
      fc.property(scenario, ({ count, steps, finalOrder }) => {
        const plans = replicas(count);
        // every update a replica makes goes to every other replica's inbox
        const inboxes: Uint8Array[][] = plans.map(() => []);
        plans.forEach((plan, from) =>
          plan.doc.on('update', (update: Uint8Array, origin: unknown) => {
            if (origin === 'remote') return;
            inboxes.forEach((inbox, to) => to !== from && inbox.push(update));
          }),
        );
        const deliver = (pick: number): void => {
          const pending = inboxes.flatMap((inbox, to) => inbox.map((u, i) => ({ to, i, u })));
          if (pending.length === 0) return;
          const { to, i, u } = pending[pick % pending.length];
          inboxes[to].splice(i, 1);
          Y.applyUpdate(plans[to].doc, u, 'remote');
        };
        const added = new Map<string, Added>();
        const removed = new Set<string>();
        for (const step of steps) {
          if (step.kind === 'deliver') {
            deliver(step.pick);
            continue;
          }
          try {
            const effect = run(plans[step.replica], step.op);
            if (effect.added) added.set(keyOf(effect.added), effect.added);
            if (effect.removed) removed.add(keyOf(effect.removed));
          } catch (error) {
            // a refused command (a cycle, a self-link) changes nothing
            if (!isPlanValidationError(error)) throw error;
          }
        }
        for (const pick of finalOrder) deliver(pick);
        while (inboxes.some((inbox) => inbox.length > 0)) deliver(0);

        const first = plans[0].toJSON();
        for (const plan of plans.slice(1)) expect(plan.toJSON()).toEqual(first);
        for (const [key, link] of added) {
          if (!removed.has(key))
            expect({ key, held: holds(plans[0], link) }).toEqual({ key, held: true });
        }
      }),
      { numRuns: 200 },
    );
  });
});
