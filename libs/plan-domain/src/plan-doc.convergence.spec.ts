/**
 * CRDT convergence of the plan document: replicas editing concurrently through PlanDoc (and
 * through raw Yjs writes, as a plain y-websocket client would) and exchanging their updates in
 * any order, with duplicates, end with identical plans, problems and an empty diff.
 */
import fc from 'fast-check';
import * as Y from 'yjs';
import { describeChange } from './diff/describe-change';
import { diffPlans } from './diff/diff-plans';
import { PlanDoc } from './plan-doc';
import { DEPENDENCY_TYPES, WORK_STATUSES, type CollectionName } from './plan-json';
import { isPlanEntityNotFoundError, isPlanValidationError } from './validation/plan-problem';
import { validatePlan } from './validation/validate-plan';

// Every replica starts from this plan, so most random edits hit entities that exist and
// replicas often edit the same entity at once; `e` and `p3` exist only once someone adds them.
const BASE_PLAN = {
  meta: { title: 'Rollout', budget: 100 },
  phases: [
    { id: 'p1', title: 'Design', order: 0 },
    { id: 'p2', title: 'Build', order: 1 },
  ],
  tasks: [
    { id: 'a', title: 'Design', phaseId: 'p1', durationDays: 3 },
    {
      id: 'b',
      title: 'Build',
      phaseId: 'p2',
      durationDays: 5,
      dependsOn: [{ taskId: 'a', type: 'FS', lagDays: 0 }],
    },
    {
      id: 'c',
      title: 'Test',
      durationDays: 2,
      dependsOn: [{ taskId: 'b', type: 'SS', lagDays: 1 }],
    },
    { id: 'd', title: 'Ship', durationDays: 1 },
  ],
  risks: [
    { id: 'r1', title: 'Late vendor', probability: 3, impact: 4, linkedTaskIds: ['b'] },
    { id: 'r2', title: 'Scope creep', probability: 2, impact: 2 },
  ],
};
const TASK_IDS = ['a', 'b', 'c', 'd', 'e'];
const RISK_IDS = ['r1', 'r2', 'r3'];
const PHASE_IDS = ['p1', 'p2', 'p3'];

type Op =
  | { kind: 'addTask'; id: string; title: string; durationDays: number }
  | { kind: 'updateTask'; id: string; patch: Record<string, unknown> }
  | { kind: 'removeTask'; id: string }
  | {
      kind: 'addDependency';
      id: string;
      on: string;
      type: (typeof DEPENDENCY_TYPES)[number];
      lagDays: number;
    }
  | { kind: 'removeDependency'; id: string; on: string }
  | { kind: 'moveTask'; id: string; phaseId: string | null }
  | { kind: 'addPhase'; id: string; title: string }
  | { kind: 'removePhase'; id: string }
  | { kind: 'addRisk'; id: string; probability: number; impact: number }
  | { kind: 'setRiskScore'; id: string; probability: number; impact: number }
  | { kind: 'setMeta'; title: string; budget: number }
  | { kind: 'rawWrite'; collection: CollectionName; id: string; field: string; value: unknown }
  | { kind: 'rawDelete'; collection: CollectionName; id: string };

type Step =
  | { kind: 'edit'; replica: number; op: Op }
  | { kind: 'deliver'; pick: number }
  | { kind: 'duplicate'; pick: number };

const taskId = fc.constantFrom(...TASK_IDS);
const title = fc.constantFrom('Design', 'Build', 'Test', '');

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('addTask' as const),
    id: taskId,
    title,
    durationDays: fc.integer({ min: 0, max: 20 }),
  }),
  fc.record({
    kind: fc.constant('updateTask' as const),
    id: taskId,
    patch: fc.record(
      {
        title,
        durationDays: fc.integer({ min: 0, max: 20 }),
        percentComplete: fc.integer({ min: 0, max: 100 }),
        status: fc.constantFrom(...WORK_STATUSES),
        start: fc.constantFrom('2027-03-01', '2027-04-15', null),
        assignees: fc.subarray(['ana', 'ken', 'li']),
      },
      { requiredKeys: [] },
    ),
  }),
  fc.record({ kind: fc.constant('removeTask' as const), id: taskId }),
  fc.record({
    kind: fc.constant('addDependency' as const),
    id: taskId,
    on: taskId,
    type: fc.constantFrom(...DEPENDENCY_TYPES),
    lagDays: fc.integer({ min: -2, max: 3 }),
  }),
  fc.record({ kind: fc.constant('removeDependency' as const), id: taskId, on: taskId }),
  fc.record({
    kind: fc.constant('moveTask' as const),
    id: taskId,
    phaseId: fc.constantFrom(...PHASE_IDS, null),
  }),
  fc.record({ kind: fc.constant('addPhase' as const), id: fc.constantFrom(...PHASE_IDS), title }),
  fc.record({ kind: fc.constant('removePhase' as const), id: fc.constantFrom(...PHASE_IDS) }),
  fc.record({
    kind: fc.constant('addRisk' as const),
    id: fc.constantFrom(...RISK_IDS),
    probability: fc.integer({ min: 1, max: 5 }),
    impact: fc.integer({ min: 1, max: 5 }),
  }),
  fc.record({
    kind: fc.constant('setRiskScore' as const),
    id: fc.constantFrom(...RISK_IDS),
    probability: fc.integer({ min: 1, max: 5 }),
    impact: fc.integer({ min: 1, max: 5 }),
  }),
  fc.record({
    kind: fc.constant('setMeta' as const),
    title,
    budget: fc.integer({ min: 0, max: 1000 }),
  }),
  // What an unvalidated client can do: any value in any field, including invalid ones.
  fc.record({
    kind: fc.constant('rawWrite' as const),
    collection: fc.constantFrom<CollectionName>('tasks', 'risks'),
    id: fc.constantFrom(...TASK_IDS, ...RISK_IDS),
    field: fc.constantFrom('title', 'probability', 'durationDays', 'dependsOn', 'percentComplete'),
    value: fc.oneof(
      fc.integer({ min: -5, max: 150 }),
      fc.constant('x'),
      fc.constant([{ taskId: 'a', type: 'FS', lagDays: 0 }]),
    ),
  }),
  fc.record({
    kind: fc.constant('rawDelete' as const),
    collection: fc.constantFrom<CollectionName>('tasks', 'risks'),
    id: fc.constantFrom(...TASK_IDS, ...RISK_IDS),
  }),
);

function scenario(replicas: number): fc.Arbitrary<{ steps: Step[]; finalOrder: number[] }> {
  const step: fc.Arbitrary<Step> = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('edit' as const),
        replica: fc.nat(replicas - 1),
        op,
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat() }) },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('duplicate' as const), pick: fc.nat() }),
    },
  );
  return fc.record({
    steps: fc.array(step, { minLength: 1, maxLength: 40, size: 'medium' }),
    finalOrder: fc.array(fc.nat(), { maxLength: 200 }),
  });
}

const REMOTE = Symbol('remote');

interface Message {
  readonly to: number;
  readonly update: Uint8Array;
}

function run(
  replicaCount: number,
  steps: readonly Step[],
  finalOrder: readonly number[],
): PlanDoc[] {
  const base = PlanDoc.fromJSON(BASE_PLAN).doc;
  const plans = Array.from({ length: replicaCount }, (_, i) => {
    const doc = new Y.Doc();
    doc.clientID = i + 1;
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
    return new PlanDoc(doc, { newId: () => `generated-${i}` });
  });
  const network: Message[] = [];
  plans.forEach((plan, from) =>
    plan.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE) return;
      plans.forEach((_, to) => {
        if (to !== from) network.push({ to, update });
      });
    }),
  );
  const deliver = (pick: number, keep: boolean): void => {
    if (network.length === 0) return;
    const index = pick % network.length;
    const message = network[index];
    if (!keep) network.splice(index, 1);
    Y.applyUpdate(plans[message.to].doc, message.update, REMOTE);
  };

  for (const step of steps) {
    if (step.kind === 'edit') apply(plans[step.replica], step.op);
    else deliver(step.pick, step.kind === 'duplicate');
  }
  for (const pick of finalOrder) deliver(pick, false);
  while (network.length > 0) deliver(0, false);
  return plans;
}

function apply(plan: PlanDoc, op: Op): void {
  try {
    switch (op.kind) {
      case 'addTask':
        plan.addTask({ id: op.id, title: op.title, durationDays: op.durationDays }, 'test');
        return;
      case 'updateTask':
        plan.updateTask(op.id, op.patch, 'test');
        return;
      case 'removeTask':
        plan.removeTask(op.id, 'test');
        return;
      case 'addDependency':
        plan.addDependency(op.id, { taskId: op.on, type: op.type, lagDays: op.lagDays }, 'test');
        return;
      case 'removeDependency':
        plan.removeDependency(op.id, op.on, 'test');
        return;
      case 'moveTask':
        plan.moveTask(op.id, op.phaseId, 'test');
        return;
      case 'addPhase':
        plan.addPhase({ id: op.id, title: op.title }, 'test');
        return;
      case 'removePhase':
        plan.removePhase(op.id, 'test');
        return;
      case 'addRisk':
        plan.addRisk(
          { id: op.id, title: 'risk', probability: op.probability, impact: op.impact },
          'test',
        );
        return;
      case 'setRiskScore':
        plan.setRiskScore(op.id, op.probability, op.impact, 'test');
        return;
      case 'setMeta':
        plan.setMeta({ title: op.title, budget: op.budget }, 'test');
        return;
      case 'rawWrite':
        plan.doc.transact(() => {
          const entries = plan.doc.getMap<unknown>(op.collection);
          let entity = entries.get(op.id);
          if (!(entity instanceof Y.Map)) {
            entity = new Y.Map<unknown>();
            entries.set(op.id, entity);
          }
          (entity as Y.Map<unknown>).set(op.field, op.value);
        }, 'client');
        return;
      case 'rawDelete':
        plan.doc.getMap<unknown>(op.collection).delete(op.id);
        return;
      default:
        throw new Error(`unknown op ${JSON.stringify(op satisfies never)}`);
    }
  } catch (error) {
    // A refused command is a legitimate outcome of a random edit; anything else is a bug.
    if (!isPlanValidationError(error) && !isPlanEntityNotFoundError(error)) throw error;
  }
}

describe('plan document convergence', () => {
  it.each([2, 3, 4])(
    'given %i replicas editing concurrently, when updates arrive in any order with duplicates, then every replica has the same plan',
    (replicaCount) => {
      fc.assert(
        fc.property(scenario(replicaCount), ({ steps, finalOrder }) => {
          const plans = run(replicaCount, steps, finalOrder);
          const [first, ...others] = plans.map((plan) => plan.toJSON());
          for (const other of others) {
            expect(JSON.stringify(other)).toBe(JSON.stringify(first));
            expect(diffPlans(first, other)).toEqual([]);
            expect(validatePlan(other)).toEqual(validatePlan(first));
          }
        }),
        { numRuns: 120 },
      );
    },
  );

  it('given replicas that converged, when one more edit is made, then the diff is empty exactly when the plan did not change', () => {
    fc.assert(
      fc.property(scenario(2), op, ({ steps, finalOrder }, extra) => {
        const [plan] = run(2, steps, finalOrder);
        const before = plan.toJSON();
        apply(plan, extra);
        const after = plan.toJSON();
        const changes = diffPlans(before, after);
        // Completeness: the diff is empty exactly when nothing changed.
        expect(changes.length === 0).toBe(JSON.stringify(before) === JSON.stringify(after));
        // Changes are plain data that survive the change log's JSON round trip, and each reads as a line.
        expect(JSON.parse(JSON.stringify(changes))).toEqual(changes);
        for (const change of changes) expect(describeChange(change)).not.toBe('');
      }),
      { numRuns: 150 },
    );
  });
});
