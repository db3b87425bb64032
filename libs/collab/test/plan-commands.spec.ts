import { PlanDoc } from '@lib/plan-domain';
import * as Y from 'yjs';
import { DocumentTooLargeError, PlanCommands, planStreamId } from '@lib/collab';
import { eventually, startCollabHarness, type CollabHarness } from './collab-harness';

/** the plan as its stored events alone rebuild it */
async function replayed(harness: CollabHarness, planId: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  for (const event of await harness.store.readStream(planStreamId(planId)))
    if (event.type === 'PlanUpdated') Y.applyUpdate(doc, event.data as Uint8Array);
  return doc;
}

const taskTitles = (doc: Y.Doc): string[] =>
  new PlanDoc(doc)
    .toJSON()
    .tasks.map((t) => t.title)
    .sort();

describe('REST commands on a plan edited over the websocket at the same time', () => {
  let harness: CollabHarness;

  /**
   * Runs 'kept', then the failing command (which must reject with `refusedWith`), then 'after':
   * the plan and its log hold 'kept' and 'after', nothing of the failed command.
   */
  async function expectFailedCommandLeavesNothing(
    failing: (plan: PlanDoc) => unknown,
    refusedWith: string | (new (...args: never[]) => Error),
  ): Promise<void> {
    const planId = await harness.createPlan();
    const commands = new PlanCommands(harness.documents, harness.store);
    await commands.execute(planId, 'alice', (plan) =>
      plan.addTask({ title: 'kept', durationDays: 1 }),
    );
    await expect(commands.execute(planId, 'alice', failing)).rejects.toThrow(refusedWith);
    await commands.execute(planId, 'alice', (plan) =>
      plan.addTask({ title: 'after', durationDays: 1 }),
    );
    expect((await commands.read(planId)).plan.tasks.map((t) => t.title).sort()).toEqual([
      'after',
      'kept',
    ]);
    const stored = await replayed(harness, planId);
    expect(taskTitles(stored)).toEqual(['after', 'kept']);
    stored.destroy();
  }
  beforeEach(async () => {
    harness = await startCollabHarness({ settings: { maxDocBytes: 16 * 1024 } });
  });
  afterEach(async () => {
    await harness.close();
  });

  it('given websocket edits between commands, when each command reads the plan, then it sees every edit applied before it, and the log replays to what everyone holds', async () => {
    const planId = await harness.createPlan();
    const commands = new PlanCommands(harness.documents, harness.store);
    const { doc: client } = harness.provider(planId);
    const created = await commands.execute(planId, 'alice', (plan) =>
      plan.addTask({ title: 'rest 0', durationDays: 1 }),
    );
    for (let i = 1; i <= 5; i++) {
      await eventually(() => expect(taskTitles(client)).toContain(`rest ${i - 1}`));
      // over the websocket: the next command must start from this
      new PlanDoc(client).updateTask(created.result.id, { durationDays: i + 1 });
      await eventually(async () => {
        const { plan } = await commands.read(planId);
        expect(plan.tasks.find((t) => t.id === created.result.id)?.durationDays).toBe(i + 1);
      });
      const seen = await commands.execute(planId, 'alice', (plan) => {
        plan.addTask({ title: `rest ${i}`, durationDays: 1 });
        return plan.toJSON().tasks.find((t) => t.id === created.result.id)?.durationDays;
      });
      expect(seen.result).toBe(i + 1);
    }
    const expected = ['rest 0', 'rest 1', 'rest 2', 'rest 3', 'rest 4', 'rest 5'];
    await eventually(() => expect(taskTitles(client)).toEqual(expected));
    const stored = await replayed(harness, planId);
    expect(taskTitles(stored)).toEqual(expected);
    expect(new PlanDoc(stored).toJSON()).toEqual(new PlanDoc(client).toJSON());
    stored.destroy();
  });

  it('given the plan parked between commands, when the commands run, then every one of them edits under the same Yjs client id', async () => {
    const parking = await startCollabHarness({ settings: { parkIdleMs: 40 } });
    try {
      const planId = await parking.createPlan();
      const commands = new PlanCommands(parking.documents, parking.store);
      for (let i = 0; i < 4; i++) {
        await commands.execute(planId, 'alice', (plan) =>
          plan.addTask({ title: `task ${i}`, durationDays: 1 }),
        );
        await eventually(() => expect(parking.documents.get(planId)?.isParked).toBe(true));
      }
      const clientIds = new Set<number>();
      let commandEvents = 0;
      for (const event of await parking.store.readStream(planStreamId(planId))) {
        if (event.type !== 'PlanUpdated' || event.metadata.actor !== 'alice') continue;
        commandEvents += 1;
        const update = event.data as Uint8Array;
        for (const id of Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update)).keys())
          clientIds.add(id);
      }
      expect(commandEvents).toBe(4);
      // one id: the plan's state vector does not grow by an entry for every command
      expect(clientIds.size).toBe(1);
    } finally {
      await parking.close();
    }
  });

  it('given a command that throws after changing the plan, when the next command succeeds, then neither the document nor the log holds the failed change', async () => {
    await expectFailedCommandLeavesNothing((plan) => {
      plan.addTask({ title: 'half done', durationDays: 1 });
      throw new Error('refused after the first change');
    }, 'refused after the first change');
  });

  it('given a command whose update the store refuses, when the next command succeeds, then neither the document nor the log holds the refused change', async () => {
    await expectFailedCommandLeavesNothing(
      (plan) => plan.addTask({ title: `too large ${'x'.repeat(32 * 1024)}`, durationDays: 1 }),
      DocumentTooLargeError,
    );
  });
});
