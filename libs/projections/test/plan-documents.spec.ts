/**
 * Plan documents shared by the projectors of one process (PlanDocumentPool), each projector
 * following at its own version (PlanDocuments). Sharing and parking must be invisible to the
 * projections: the same JSON, deltas and versions as a document of one's own, no replay where an
 * idle plan can be decoded, and a projector that falls behind served by a copy of its own until
 * it is back.
 */
import type { EventStore, RecordedEvent } from '@lib/event-store';
import { planStreamId } from '@lib/projections';
import { PlanDocumentPool } from '@lib/projections/projector/plan-document-pool';
import { PlanDocuments } from '@lib/projections/projector/plan-documents';
import { startProjectionHarness, type ProjectionHarness } from './plan-log.harness';

const AT = '2027-03-01T09:00:00.000Z';

describe('plan documents shared by projectors', () => {
  let harness: ProjectionHarness;
  let clock: number;
  const now = () => clock;

  beforeEach(async () => {
    harness = await startProjectionHarness();
    clock = 1_000_000;
  });
  afterEach(() => harness.close());

  /** a plan of `tasks` tasks in the store, each added by its own event */
  async function storedPlan(planId: string, tasks: number): Promise<RecordedEvent[]> {
    const writer = harness.writer(planId);
    await writer.create('alice', AT, `Plan ${planId}`);
    for (let i = 0; i < tasks; i++)
      await writer.edit('alice', AT, (p) =>
        p.addTask({ id: `t${i}`, title: `Task ${i}`, durationDays: i + 1 }),
      );
    return harness.store.readStream(planStreamId(planId));
  }

  const neverReplayed = async (planId: string): Promise<number> => {
    throw new Error(`plan ${planId} was replayed from the stream`);
  };
  const fromStart = async (): Promise<number> => -1;

  it('given two projectors on one pool, when both project a plan, then they share one document and each sees the same plans and deltas', async () => {
    const events = await storedPlan('p1', 5);
    const pool = new PlanDocumentPool(harness.store, { now });
    const first = new PlanDocuments(pool);
    const second = new PlanDocuments(pool);
    const alone = PlanDocuments.standalone(harness.store);
    for (const documents of [first, second, alone]) await documents.load(['p1'], fromStart);

    for (const event of events) {
      const expected = alone.applyWithDelta({ planId: 'p1', event });
      expect(first.applyWithDelta({ planId: 'p1', event })).toEqual(expected);
      expect(first.plan('p1')).toEqual(alone.plan('p1'));
    }
    // the second projector follows: every step comes from the one the first made
    for (const event of events) {
      const delta = second.applyWithDelta({ planId: 'p1', event });
      expect(second.version('p1')).toBe(event.version);
      // versions 0 and 1 are the plan's creation; 2 adds the first task
      if (event.version === 2) expect(delta?.after.tasks).toHaveLength(1);
    }
    expect(second.plan('p1')).toEqual(alone.plan('p1'));
    expect(pool.stats.hot).toBe(1);
    expect(first.ownDocuments + second.ownDocuments).toBe(0);
  });

  it('given a projector further behind than the kept steps, when it loads, then it replays a copy of its own and returns to the shared document once among them', async () => {
    const events = await storedPlan('p1', 10);
    const pool = new PlanDocumentPool(harness.store, { keptSteps: 2, now });
    const ahead = new PlanDocuments(pool);
    const behind = new PlanDocuments(pool);
    // both follow the plan; behind is between batches (not pinned) while ahead projects it all
    for (const documents of [ahead, behind]) await documents.load(['p1'], fromStart);
    behind.trim();
    for (const event of events) ahead.apply({ planId: 'p1', event });
    const final = ahead.plan('p1');
    ahead.trim();

    await behind.load(['p1'], fromStart);
    expect(behind.ownDocuments).toBe(1);
    // the pool keeps the steps to versions 9 to 11 (the last two and the one they start from)
    const upTo = (version: number) => events.filter((e) => e.version <= version);
    for (const event of upTo(8)) behind.apply({ planId: 'p1', event });
    expect(behind.ownDocuments).toBe(1);
    behind.apply({ planId: 'p1', event: events[9] });
    expect(behind.ownDocuments).toBe(0);
    for (const event of events.slice(10)) behind.apply({ planId: 'p1', event });
    // the shared document's own JSON, not a copy
    expect(behind.plan('p1')).toBe(final);
  });

  it('given a projector alone with a plan, when it projects, then no steps are kept and a latecomer follows on a copy of its own until level', async () => {
    const events = await storedPlan('p1', 4);
    const pool = new PlanDocumentPool(harness.store, { now });
    const alone = new PlanDocuments(pool);
    await alone.load(['p1'], fromStart);
    for (const event of events) alone.apply({ planId: 'p1', event });
    const final = alone.plan('p1');
    alone.trim();

    const latecomer = new PlanDocuments(pool);
    await latecomer.load(['p1'], fromStart);
    expect(latecomer.ownDocuments).toBe(1);
    for (const event of events.slice(0, -1)) latecomer.apply({ planId: 'p1', event });
    expect(latecomer.ownDocuments).toBe(1);
    latecomer.apply({ planId: 'p1', event: events[events.length - 1] });
    expect(latecomer.ownDocuments).toBe(0);
    expect(latecomer.plan('p1')).toBe(final);
  });

  it('given a projector rejoining while another brings the document forward from a slow store, when it projects on, then it gets every plan and delta', async () => {
    const events = await storedPlan('p1', 4);
    // the real store, its stream reads taking 20 ms, as a busy database's would
    let slowReads = false;
    const store: EventStore = Object.create(harness.store, {
      readStream: {
        value: async (...args: Parameters<EventStore['readStream']>) => {
          if (slowReads) await new Promise((r) => setTimeout(r, 20));
          return harness.store.readStream(...args);
        },
      },
    });
    const pool = new PlanDocumentPool(store, { now });
    const creator = new PlanDocuments(pool);
    const rejoining = new PlanDocuments(pool);
    const ahead = new PlanDocuments(pool);
    const alone = PlanDocuments.standalone(harness.store);
    // the shared document is built at version 2, by a projector that then stops following it
    await creator.load(['p1'], async () => 2);
    creator.clear();
    await rejoining.load(['p1'], async () => 1);
    await alone.load(['p1'], async () => 1);
    expect(rejoining.ownDocuments).toBe(1);

    slowReads = true;
    const joining = ahead.load(['p1'], async () => 5);
    await new Promise((r) => setTimeout(r, 5));
    // while the stream is read, the one behind reaches version 2 and rejoins the shared copy
    rejoining.apply({ planId: 'p1', event: events[2] });
    alone.apply({ planId: 'p1', event: events[2] });
    expect(rejoining.ownDocuments).toBe(0);
    await joining;

    expect(rejoining.plan('p1')).toEqual(alone.plan('p1'));
    for (const event of events.slice(3))
      expect(rejoining.applyWithDelta({ planId: 'p1', event })).toEqual(
        alone.applyWithDelta({ planId: 'p1', event }),
      );
    expect(rejoining.plan('p1')).toEqual(alone.plan('p1'));
  });

  it('given a projector pinned at an old version, when another moves far ahead, then the steps it needs are kept', async () => {
    const events = await storedPlan('p1', 10);
    const pool = new PlanDocumentPool(harness.store, { keptSteps: 1, now });
    const fast = new PlanDocuments(pool);
    const slow = new PlanDocuments(pool);
    const alone = PlanDocuments.standalone(harness.store);
    for (const documents of [fast, slow, alone]) await documents.load(['p1'], fromStart);
    for (const event of events) fast.apply({ planId: 'p1', event });
    fast.trim();
    for (const event of events)
      expect(slow.applyWithDelta({ planId: 'p1', event })).toEqual(
        alone.applyWithDelta({ planId: 'p1', event }),
      );
    expect(slow.ownDocuments).toBe(0);
  });

  it('given a plan idle past idleMs, when trimmed and used again, then it was parked and comes back with the same JSON and version without a replay', async () => {
    const events = await storedPlan('p1', 30);
    const pool = new PlanDocumentPool(harness.store, { idleMs: 5_000, now });
    const documents = new PlanDocuments(pool);
    await documents.load(['p1'], fromStart);
    for (const event of events) documents.apply({ planId: 'p1', event });
    const before = documents.plan('p1');

    clock += 4_999;
    documents.trim();
    expect(pool.stats).toMatchObject({ hot: 1, parked: 0 });
    clock += 2;
    documents.trim();
    expect(pool.stats).toMatchObject({ hot: 0, parked: 1 });
    expect(pool.stats.parkedBytes).toBeGreaterThan(1000);

    await documents.load(['p1'], neverReplayed);
    expect(pool.stats).toEqual({ hot: 1, parked: 0, parkedBytes: 0 });
    expect(documents.version('p1')).toBe(events.length - 1);
    expect(documents.plan('p1')).toEqual(before);
  });

  it('given a parked plan two projectors follow, when the first is back with the next event, then the second follows on the shared document', async () => {
    const events = await storedPlan('p1', 3);
    const last = events[events.length - 1];
    const pool = new PlanDocumentPool(harness.store, { idleMs: 1000, now });
    const first = new PlanDocuments(pool);
    const second = new PlanDocuments(pool);
    for (const documents of [first, second]) {
      await documents.load(['p1'], async () => last.version - 1);
      documents.trim();
    }
    clock += 1000;
    first.trim();
    expect(pool.stats).toMatchObject({ hot: 0, parked: 1 });

    await first.load(['p1'], neverReplayed);
    const delta = first.applyWithDelta({ planId: 'p1', event: last });
    await second.load(['p1'], neverReplayed);
    expect(second.ownDocuments).toBe(0);
    expect(second.applyWithDelta({ planId: 'p1', event: last })).toEqual(delta);
    expect(second.plan('p1')).toBe(first.plan('p1'));
  });

  it('given a pinned plan, when the pool is trimmed past its idle time, then it stays hot until the batch is done', async () => {
    const events = await storedPlan('p1', 2);
    const pool = new PlanDocumentPool(harness.store, { idleMs: 0, now });
    const projecting = new PlanDocuments(pool);
    const other = new PlanDocuments(pool);
    await projecting.load(['p1'], fromStart);
    clock += 1000;
    other.trim();
    expect(pool.stats.hot).toBe(1);
    for (const event of events) projecting.apply({ planId: 'p1', event });
    projecting.trim();
    expect(pool.stats).toMatchObject({ hot: 0, parked: 1 });
  });

  it('given a parked plan, when its next update arrives, then the delta is what it would have been with the plan kept hot', async () => {
    const events = await storedPlan('p1', 3);
    const last = events[events.length - 1];
    const hot = PlanDocuments.standalone(harness.store, { idleMs: 60_000, now });
    const cold = PlanDocuments.standalone(harness.store, { idleMs: 0, now });
    for (const documents of [hot, cold]) {
      await documents.load(['p1'], async () => last.version - 1);
      documents.trim();
    }
    for (const documents of [hot, cold]) await documents.load(['p1'], neverReplayed);
    const coldDelta = cold.applyWithDelta({ planId: 'p1', event: last });
    expect(coldDelta).toEqual(hot.applyWithDelta({ planId: 'p1', event: last }));
    expect(coldDelta?.after.tasks.map((t) => t.title)).toEqual(['Task 2']);
  });

  it('given more hot plans than the capacity, when trimmed, then the least recently used are parked', async () => {
    for (const id of ['a', 'b', 'c']) await storedPlan(id, 2);
    const pool = new PlanDocumentPool(harness.store, { capacity: 2, idleMs: 60_000, now });
    const documents = new PlanDocuments(pool);
    await documents.load(['a', 'b', 'c'], fromStart);
    documents.trim();
    await documents.load(['a'], neverReplayed);
    documents.trim();
    expect(pool.stats).toMatchObject({ hot: 2, parked: 1 });
    // b was used least recently: it is the one parked, a and c are still hot
    await documents.load(['a', 'c'], neverReplayed);
    expect(pool.stats).toMatchObject({ hot: 2, parked: 1 });
    await documents.load(['b'], neverReplayed);
    expect(pool.stats).toMatchObject({ hot: 3, parked: 0 });
  });

  it('given parked states over the byte budget, when parking more, then the oldest are dropped and rebuilt from the stream', async () => {
    const events = await storedPlan('a', 10);
    const pool = new PlanDocumentPool(harness.store, { idleMs: 0, parkedBytes: 1, now });
    const documents = new PlanDocuments(pool);
    await documents.load(['a'], fromStart);
    for (const event of events) documents.apply({ planId: 'a', event });
    const expected = documents.plan('a');
    documents.trim();
    // the state is larger than the budget: nothing stays parked
    expect(pool.stats).toEqual({ hot: 0, parked: 0, parkedBytes: 0 });

    const replayed = new PlanDocuments(pool);
    const asked: string[] = [];
    await replayed.load(['a'], async (planId) => {
      asked.push(planId);
      return events.length - 1;
    });
    expect(asked).toEqual(['a']);
    expect(replayed.plan('a')).toEqual(expected);
  });
});
