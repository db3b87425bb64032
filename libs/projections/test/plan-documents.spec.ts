/**
 * A projector's plan documents in two tiers: hot Y.Docs for plans being edited, parked encoded
 * states for idle ones. Parking must be invisible to projections (same JSON, same version, no
 * stream replay), and the parked budget must hold, falling back to the stream.
 */
import { planStreamId } from '@lib/projections';
import { PlanDocuments } from '@lib/projections/projector/plan-documents';
import { startProjectionHarness, type ProjectionHarness } from './plan-log.harness';

const AT = '2027-03-01T09:00:00.000Z';

describe('PlanDocuments', () => {
  let harness: ProjectionHarness;
  let clock: number;
  const now = () => clock;

  beforeEach(async () => {
    harness = await startProjectionHarness();
    clock = 1_000_000;
  });
  afterEach(() => harness.close());

  /** a plan of `tasks` tasks in the store; returns its last stream version */
  async function storedPlan(planId: string, tasks: number): Promise<number> {
    const writer = harness.writer(planId);
    await writer.create('alice', AT, `Plan ${planId}`);
    let result = await writer.edit('alice', AT, (p) =>
      p.addTask({ title: 'First', durationDays: 1 }),
    );
    for (let i = 1; i < tasks; i++)
      result = await writer.edit('alice', AT, (p) =>
        p.addTask({ title: `Task ${i}`, durationDays: i }),
      );
    return result.nextExpectedVersion;
  }

  /** everything the projector would have applied, as a projector does: load, then apply */
  async function applyAll(documents: PlanDocuments, planId: string): Promise<void> {
    await documents.load([planId], async () => -1);
    for (const event of await harness.store.readStream(planStreamId(planId)))
      documents.apply({ planId, event });
  }

  const refuseReplay = async (planId: string): Promise<number> => {
    throw new Error(`plan ${planId} was replayed from the stream instead of unparked`);
  };

  it('given a plan idle past idleMs, when trimmed and used again, then it was parked and comes back with the same JSON and version without a replay', async () => {
    const version = await storedPlan('p1', 30);
    const documents = new PlanDocuments(harness.store, { idleMs: 5_000, now });
    await applyAll(documents, 'p1');
    const before = documents.plan('p1');

    clock += 4_999;
    documents.trim();
    expect(documents.stats).toMatchObject({ hot: 1, parked: 0 });

    clock += 2;
    documents.trim();
    expect(documents.stats).toMatchObject({ hot: 0, parked: 1 });
    expect(documents.stats.parkedBytes).toBeGreaterThan(1000);

    await documents.load(['p1'], refuseReplay);
    expect(documents.stats).toEqual({ hot: 1, parked: 0, parkedBytes: 0 });
    expect(documents.version('p1')).toBe(version);
    expect(documents.plan('p1')).toEqual(before);
    expect(documents.plan('p1').tasks).toHaveLength(30);
  });

  it('given a parked plan, when its next update arrives, then the delta is what it would have been with the plan kept hot', async () => {
    await storedPlan('p1', 3);
    const writer = harness.writer('p2');
    await writer.create('alice', AT, 'Hot and cold');
    await writer.edit('alice', AT, (p) => p.addTask({ id: 't1', title: 'Draft', durationDays: 2 }));
    const rename = await writer.edit('alice', AT, (p) => p.updateTask('t1', { title: 'Final' }));
    const renameEvent = rename.events[0];
    const [event] = await harness.store.readStream(planStreamId('p2'), {
      fromVersion: rename.nextExpectedVersion,
    });
    expect(event.id).toBe(renameEvent.id);

    const hot = new PlanDocuments(harness.store, { idleMs: 60_000, now });
    const cold = new PlanDocuments(harness.store, { idleMs: 0, now });
    for (const documents of [hot, cold]) {
      await documents.load(['p2'], async () => rename.nextExpectedVersion - 1);
      documents.trim();
    }
    expect(hot.stats.hot).toBe(1);
    expect(cold.stats).toMatchObject({ hot: 0, parked: 1 });

    await cold.load(['p2'], refuseReplay);
    const coldDelta = cold.applyWithDelta({ planId: 'p2', event });
    const hotDelta = hot.applyWithDelta({ planId: 'p2', event });
    expect(coldDelta).toEqual(hotDelta);
    expect(coldDelta?.after.tasks.map((t) => t.title)).toEqual(['Final']);
  });

  it('given more hot plans than the capacity, when trimmed, then the least recently used are parked', async () => {
    for (const id of ['a', 'b', 'c']) await storedPlan(id, 2);
    const documents = new PlanDocuments(harness.store, { capacity: 2, idleMs: 60_000, now });
    for (const id of ['a', 'b', 'c']) await applyAll(documents, id);
    await documents.load(['a'], refuseReplay);
    documents.trim();
    expect(documents.stats).toMatchObject({ hot: 2, parked: 1 });
    // b was used least recently: it is the one parked, a and c are still hot
    await documents.load(['a', 'c'], refuseReplay);
    expect(documents.stats).toMatchObject({ hot: 2, parked: 1 });
    await documents.load(['b'], refuseReplay);
    expect(documents.stats).toMatchObject({ hot: 3, parked: 0 });
  });

  it('given parked states over the byte budget, when parking more, then the oldest are dropped and rebuilt from the stream', async () => {
    for (const id of ['a', 'b']) await storedPlan(id, 10);
    const documents = new PlanDocuments(harness.store, { idleMs: 0, parkedBytes: 1, now });
    for (const id of ['a', 'b']) await applyAll(documents, id);
    const expected = documents.plan('a');
    documents.trim();
    // every state is larger than the budget: nothing stays parked
    expect(documents.stats).toEqual({ hot: 0, parked: 0, parkedBytes: 0 });

    const replayed: string[] = [];
    await documents.load(['a'], async (planId) => {
      replayed.push(planId);
      return (await harness.store.streamVersion(planStreamId(planId))) as number;
    });
    expect(replayed).toEqual(['a']);
    expect(documents.plan('a')).toEqual(expected);
  });
});
