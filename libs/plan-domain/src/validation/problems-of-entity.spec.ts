/**
 * `problemsOfEntity` stands in for `validatePlan` when no other entity can gain a problem (an
 * update that keeps every id, an add under an unused id): whatever the plan and the edit,
 * comparing one entity's problems before and after must find exactly the problems that
 * comparing the whole plan's would.
 */
import fc from 'fast-check';
import type { PlanJson } from '../plan-json';
import type { PlanProblem } from './plan-problem';
import { problemsOfEntity, validatePlan } from './validate-plan';

const IDS = ['a', 'b', 'c', 'm', 'p', 'r'] as const;
const id = fc.constantFrom(...IDS);
/** ids the plan may refer to, some of which are never in it */
const target = fc.constantFrom(...IDS, 'zz', '');

const dependency = fc.record({
  taskId: target,
  type: fc.constantFrom('FS', 'SS', 'XX'),
  lagDays: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant('x' as unknown as number)),
});

/** fields of a task or milestone, valid or not, as clients can write them into the CRDT */
const workFields = fc.record(
  {
    title: fc.oneof(fc.constantFrom('T', ''), fc.constant(5 as unknown as string)),
    durationDays: fc.oneof(fc.integer({ min: -2, max: 9 }), fc.constant('3' as unknown as number)),
    dependsOn: fc.array(dependency, { maxLength: 3 }),
    phaseId: target,
    status: fc.constantFrom('not-started', 'done', 'bogus'),
    percentComplete: fc.integer({ min: -10, max: 120 }),
    resourceIds: fc.array(target, { maxLength: 2 }),
    startDate: fc.constantFrom('2027-03-01', '2027-02-30', 'soon'),
  },
  { requiredKeys: [] },
);

const workItem = fc.tuple(id, workFields).map(([itemId, fields]) => ({
  id: itemId,
  title: itemId,
  assignees: [],
  durationDays: 1,
  dependsOn: [],
  status: 'not-started',
  percentComplete: 0,
  cost: 0,
  resourceIds: [],
  ...fields,
}));

const planArb = fc
  .record({
    tasks: fc.array(workItem, { maxLength: 5 }),
    milestones: fc.array(workItem, { maxLength: 2 }),
    phases: fc.array(
      id.map((phaseId) => ({ id: phaseId, title: phaseId, order: 0 })),
      { maxLength: 2 },
    ),
    resources: fc.array(
      id.map((resourceId) => ({ id: resourceId, name: resourceId, kind: 'person' })),
      { maxLength: 2 },
    ),
  })
  .map(
    (parts) =>
      ({
        meta: {
          title: 'Plan',
          description: '',
          status: 'draft',
          owner: '',
          currency: 'EUR',
          budget: 0,
        },
        risks: [],
        stakeholders: [],
        objectives: [],
        ...parts,
      }) as unknown as PlanJson,
  );

type Entries = Record<string, unknown>[];

/** the plan after an update of one entity, as PlanDoc builds it to check the update */
function updated(
  plan: PlanJson,
  collection: 'tasks' | 'milestones',
  entityId: string,
  patch: Record<string, unknown>,
): PlanJson {
  const entries = plan[collection] as unknown as Entries;
  const current = entries.find((e) => e.id === entityId)!;
  const others = entries.filter((e) => e.id !== entityId);
  return { ...plan, [collection]: [...others, { ...current, ...patch }] };
}

const key = (p: PlanProblem): string =>
  `${p.code}|${p.path.replace(/\.\d+(?=\.|$)/g, '.#')}|${(p.ids ?? []).join(',')}`;

/** what `after` has that `before` does not, counted, cycles left out */
function added(before: PlanProblem[], after: PlanProblem[]): string[] {
  const left = new Map<string, number>();
  for (const p of before) left.set(key(p), (left.get(key(p)) ?? 0) + 1);
  const extra: string[] = [];
  for (const p of after) {
    if (p.code === 'DEPENDENCY_CYCLE') continue;
    const n = left.get(key(p)) ?? 0;
    if (n > 0) left.set(key(p), n - 1);
    else extra.push(key(p));
  }
  return extra.sort();
}

/** ids an add may take: unused in its collection, and for work items in tasks and milestones */
function unusedIds(plan: PlanJson, collection: 'tasks' | 'milestones' | 'phases'): string[] {
  const spaces = collection === 'phases' ? ['phases'] : ['tasks', 'milestones'];
  const used = new Set(
    spaces.flatMap((space) =>
      (plan[space as keyof PlanJson] as unknown as Entries).map((e) => e.id),
    ),
  );
  return [...IDS, 'n'].filter((candidate) => !used.has(candidate));
}

describe('problemsOfEntity', () => {
  it('given any plan, then an entity’s problems are validatePlan’s problems on it, in its order, less cycles', () => {
    fc.assert(
      fc.property(planArb, fc.constantFrom('tasks', 'milestones' as const), id, (plan, c, e) => {
        const own = (p: PlanProblem) =>
          p.code !== 'DEPENDENCY_CYCLE' &&
          (p.path === `${c}.${e}` || p.path.startsWith(`${c}.${e}.`));
        expect(problemsOfEntity(plan, { collection: c, id: e })).toEqual(
          validatePlan(plan).filter(own),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('given any plan and any update of one of its tasks or milestones, then comparing that entity’s problems finds what comparing the whole plan’s finds', () => {
    let withProblems = 0;
    fc.assert(
      fc.property(
        planArb,
        fc.constantFrom('tasks', 'milestones' as const),
        fc.nat(),
        workFields,
        (plan, collection, pick, patch) => {
          const entries = plan[collection] as unknown as Entries;
          fc.pre(entries.length > 0);
          const entityId = entries[pick % entries.length].id as string;
          const after = updated(plan, collection, entityId, patch);
          const whole = added(validatePlan(plan), validatePlan(after));
          const entity = { collection, id: entityId };
          expect(added(problemsOfEntity(plan, entity), problemsOfEntity(after, entity))).toEqual(
            whole,
          );
          if (whole.length > 0) withProblems += 1;
        },
      ),
      { numRuns: 500 },
    );
    // the property held over updates that do add problems, not only over harmless ones
    expect(withProblems).toBeGreaterThan(50);
  });

  it('given any plan and any new task, milestone or phase under an unused id, then comparing the new entity’s problems finds what comparing the whole plan’s finds', () => {
    let withProblems = 0;
    fc.assert(
      fc.property(
        planArb,
        fc.constantFrom('tasks', 'milestones', 'phases' as const),
        fc.nat(),
        workItem,
        (plan, collection, pick, item) => {
          const free = unusedIds(plan, collection);
          const newId = free[pick % free.length];
          const entity =
            collection === 'phases'
              ? { id: newId, title: newId, order: 0 }
              : { ...item, id: newId };
          const entries = plan[collection] as unknown as Entries;
          const after = { ...plan, [collection]: [...entries, entity] };
          const whole = added(validatePlan(plan), validatePlan(after));
          const ref = { collection, id: newId };
          expect(added(problemsOfEntity(plan, ref), problemsOfEntity(after, ref))).toEqual(whole);
          if (whole.length > 0) withProblems += 1;
        },
      ),
      { numRuns: 500 },
    );
    expect(withProblems).toBeGreaterThan(50);
  });
});
