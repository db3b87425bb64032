import fc from 'fast-check';
import * as Y from 'yjs';
import { diffPlans, PlanDoc, readPlan, type CollectionName, type PlanJson } from '@lib/plan-domain';
import type { EventStore, RecordedEvent } from '@lib/event-store';
import { collectionTypes, refreshPlan, restrictPlan, touchedBy } from './plan-delta';
import { PlanDocuments } from './plan-documents';

const ids = ['a', 'b', 'c', 'd'];

/** One edit a user (or a misbehaving client) could make; it may be refused, then nothing happens. */
const edit = fc.oneof(
  fc.record({
    kind: fc.constant('addTask' as const),
    id: fc.constantFrom(...ids),
    days: fc.integer({ min: 0, max: 9 }),
    after: fc.option(fc.constantFrom(...ids)),
  }),
  fc.record({
    kind: fc.constant('updateTask' as const),
    id: fc.constantFrom(...ids),
    days: fc.integer({ min: 0, max: 9 }),
    progress: fc.integer({ min: 0, max: 100 }),
  }),
  fc.record({ kind: fc.constant('removeTask' as const), id: fc.constantFrom(...ids) }),
  fc.record({
    kind: fc.constant('risk' as const),
    id: fc.constantFrom(...ids),
    p: fc.integer({ min: 1, max: 5 }),
    i: fc.integer({ min: 1, max: 5 }),
  }),
  fc.record({ kind: fc.constant('removeRisk' as const), id: fc.constantFrom(...ids) }),
  fc.record({
    kind: fc.constant('phase' as const),
    id: fc.constantFrom(...ids),
    order: fc.integer({ min: 0, max: 3 }),
  }),
  fc.record({
    kind: fc.constant('meta' as const),
    title: fc.constantFrom('One', 'Two'),
    budget: fc.integer({ min: 0, max: 1000 }),
  }),
  fc.record({
    kind: fc.constant('raw' as const),
    collection: fc.constantFrom<CollectionName>('tasks', 'risks', 'milestones'),
    id: fc.constantFrom(...ids),
    field: fc.constantFrom('title', 'probability', 'odd'),
    value: fc.oneof(fc.integer(), fc.string({ maxLength: 3 }), fc.constant(null)),
  }),
  fc.record({
    kind: fc.constant('text' as const),
    id: fc.constantFrom(...ids),
    text: fc.string({ maxLength: 4 }),
  }),
);
type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

function perform(plan: PlanDoc, e: Edit): void {
  try {
    switch (e.kind) {
      case 'addTask':
        plan.addTask({
          id: e.id,
          title: `Task ${e.id}`,
          durationDays: e.days,
          dependsOn:
            e.after && e.after !== e.id ? [{ taskId: e.after, type: 'FS', lagDays: 0 }] : [],
        });
        break;
      case 'updateTask':
        plan.updateTask(e.id, { durationDays: e.days, percentComplete: e.progress });
        break;
      case 'removeTask':
        plan.removeTask(e.id);
        break;
      case 'risk':
        if (plan.get('risks', e.id)) plan.setRiskScore(e.id, e.p, e.i);
        else plan.addRisk({ id: e.id, title: `Risk ${e.id}`, probability: e.p, impact: e.i });
        break;
      case 'removeRisk':
        plan.removeRisk(e.id);
        break;
      case 'phase':
        if (plan.get('phases', e.id)) plan.updatePhase(e.id, { order: e.order });
        else plan.addPhase({ id: e.id, title: `Phase ${e.id}`, order: e.order });
        break;
      case 'meta':
        plan.setMeta({ title: e.title, budget: e.budget });
        break;
      case 'raw': {
        // a client writing straight into the CRDT, past every command check
        const entities = plan.doc.getMap<unknown>(e.collection);
        let entity = entities.get(e.id);
        if (!(entity instanceof Y.Map)) entities.set(e.id, (entity = new Y.Map<unknown>()));
        (entity as Y.Map<unknown>).set(e.field, e.value);
        break;
      }
      case 'text': {
        // a collaborative Y.Text title: the change happens two levels below the collection
        const entity = plan.doc.getMap<unknown>('tasks').get(e.id);
        if (!(entity instanceof Y.Map)) return;
        let title = entity.get('title');
        if (!(title instanceof Y.Text)) entity.set('title', (title = new Y.Text()));
        (title as Y.Text).insert(0, e.text);
        break;
      }
    }
  } catch {
    // refused commands leave the document as it was
  }
}

describe('incremental plan JSON', () => {
  it('given any edit sequence applied update by update, when tracked, then the JSON equals readPlan and the restricted diff equals the full diff', () => {
    let changesSeen = 0;
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 40 }), (edits) => {
        const source = new PlanDoc(new Y.Doc());
        const replica = new Y.Doc();
        const collections = collectionTypes(replica);
        const touched = new Map<CollectionName, Set<string>>();
        replica.on('afterTransaction', (transaction: Y.Transaction) =>
          touchedBy(transaction, collections, touched),
        );
        let json: PlanJson = readPlan(replica);
        for (const e of edits) {
          const before = Y.encodeStateVector(source.doc);
          perform(source, e);
          touched.clear();
          Y.applyUpdate(replica, Y.encodeStateAsUpdate(source.doc, before));
          const previous = json;
          json = refreshPlan(previous, replica, touched);
          const full = readPlan(replica);
          expect(json).toEqual(full);
          const changes = diffPlans(previous, full);
          expect(diffPlans(restrictPlan(previous, touched), restrictPlan(json, touched))).toEqual(
            changes,
          );
          changesSeen += changes.length;
        }
      }),
      { numRuns: 200 },
    );
    // the generator must produce real edits, or the property says nothing
    expect(changesSeen).toBeGreaterThan(200);
  });
});

describe('plan documents', () => {
  it('given edits applied with and without deltas and the plan read at random moments, when read, then it always equals readPlan and every delta diffs like the whole plan', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(edit, fc.constantFrom('apply', 'delta', 'read' as const)), {
          maxLength: 30,
        }),
        async (steps) => {
          const source = new PlanDoc(new Y.Doc());
          const mirror = new Y.Doc();
          // a plan that starts at version -1 is never read from the store
          const documents = PlanDocuments.standalone({} as EventStore, { capacity: 1 });
          await documents.load(['p'], async () => -1);
          let version = -1;
          for (const [e, how] of steps) {
            const sv = Y.encodeStateVector(source.doc);
            perform(source, e);
            const update = Y.encodeStateAsUpdate(source.doc, sv);
            version++;
            const event = {
              type: 'PlanUpdated',
              data: update,
              version,
              position: version + 1,
            } as unknown as RecordedEvent;
            const before = readPlan(mirror);
            Y.applyUpdate(mirror, update);
            if (how === 'delta') {
              const delta = documents.applyWithDelta({ planId: 'p', event });
              expect(diffPlans(delta!.before, delta!.after)).toEqual(
                diffPlans(before, readPlan(mirror)),
              );
            } else documents.apply({ planId: 'p', event });
            if (how === 'read') expect(documents.plan('p')).toEqual(readPlan(mirror));
          }
          expect(documents.plan('p')).toEqual(readPlan(mirror));
        },
      ),
      { numRuns: 150 },
    );
  });
});
