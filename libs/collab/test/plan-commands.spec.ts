import { PlanDoc } from '@lib/plan-domain';
import * as Y from 'yjs';
import { StoreUnavailableError, type EventStore, type RecordedEvent } from '@lib/event-store';
import { DocumentTooLargeError, MIGRATION_ACTOR, PlanCommands, planStreamId } from '@lib/collab';
import { eventually, startCollabHarness, type CollabHarness } from './collab-harness';

/** the plan as its stored events alone rebuild it */
async function replayed(harness: CollabHarness, planId: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  for (const event of await harness.store.readStream(planStreamId(planId)))
    if (event.type === 'PlanUpdated') Y.applyUpdate(doc, event.data as Uint8Array);
  return doc;
}

/** the Yjs client ids whose edits a stored update carries */
const clientIdsOf = (event: RecordedEvent): number[] => [
  ...Y.decodeStateVector(Y.encodeStateVectorFromUpdate(event.data as Uint8Array)).keys(),
];

/** the actors of each append a spy on the store saw, leaving out document-layout migrations */
const commandAppends = (
  appends: jest.SpyInstance<unknown, Parameters<EventStore['appendToStream']>>,
) =>
  appends.mock.calls
    .map(([, events]) => events.map((e) => e.metadata?.actor))
    .filter((actors) => !actors.includes(MIGRATION_ACTOR));

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
        for (const id of clientIdsOf(event)) clientIds.add(id);
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

describe('REST commands that arrive while an earlier command is being stored', () => {
  let harness: CollabHarness;
  beforeEach(async () => {
    harness = await startCollabHarness({ settings: { maxDocBytes: 16 * 1024 } });
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await harness.close();
  });

  /**
   * Starts a command that holds the plan through its append, then queues `commands` behind
   * it; returns the first command's outcome and theirs, settled.
   */
  async function behindAnAppend(
    planId: string,
    commands: PlanCommands,
    queued: Array<{ actor: string; command: (plan: PlanDoc) => unknown }>,
  ) {
    // loaded, so that the first command's group forms within the turn it is queued in
    await commands.read(planId);
    const first = commands.execute(planId, 'first', (plan) =>
      plan.addTask({ title: 'first', durationDays: 1 }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    const rest = queued.map(({ actor, command }) => commands.execute(planId, actor, command));
    return { first: await first, rest: await Promise.allSettled(rest) };
  }

  it('given ten commands queued behind an append, when they run, then one append stores them as ten events in arrival order, each answered with its own version', async () => {
    const planId = await harness.createPlan();
    const commands = new PlanCommands(harness.documents, harness.store);
    const appends = jest.spyOn(harness.store, 'appendToStream');
    const { first, rest } = await behindAnAppend(
      planId,
      commands,
      Array.from({ length: 10 }, (_, i) => ({
        actor: `editor ${i}`,
        command: (plan: PlanDoc) => plan.addTask({ title: `task ${i}`, durationDays: 1 }),
      })),
    );
    // the first append alone, then the ten together (the plan's load may add a migration)
    expect(commandAppends(appends)).toEqual([
      ['first'],
      Array.from({ length: 10 }, (_, i) => `editor ${i}`),
    ]);
    const versions = rest.map((r) => (r.status === 'fulfilled' ? r.value.version : undefined));
    expect(versions).toEqual(Array.from({ length: 10 }, (_, i) => first.version! + 1 + i));
    const stored = await harness.store.readStream(planStreamId(planId), {
      fromVersion: first.version! + 1,
    });
    expect(stored.map((e) => e.metadata.actor)).toEqual(
      Array.from({ length: 10 }, (_, i) => `editor ${i}`),
    );
    // each event carries its own command's change: replaying up to it adds exactly its task
    const replay = await replayed(harness, planId);
    expect(taskTitles(replay)).toEqual(
      ['first', ...Array.from({ length: 10 }, (_, i) => `task ${i}`)].sort(),
    );
    replay.destroy();
    const partial = new Y.Doc();
    for (const event of await harness.store.readStream(planStreamId(planId), {
      maxCount: first.version! + 4,
    }))
      if (event.type === 'PlanUpdated') Y.applyUpdate(partial, event.data as Uint8Array);
    expect(taskTitles(partial)).toEqual(['first', 'task 0', 'task 1', 'task 2']);
    partial.destroy();
    expect((await commands.read(planId)).version).toBe(first.version! + 10);
  });

  it('given a group with failing commands, when it is stored, then the others keep their changes in order and neither the document nor the log holds anything of the failed ones', async () => {
    const planId = await harness.createPlan();
    const commands = new PlanCommands(harness.documents, harness.store);
    const seen = (plan: PlanDoc) =>
      plan
        .toJSON()
        .tasks.map((t) => t.title)
        .sort();
    const appends = jest.spyOn(harness.store, 'appendToStream');
    const { first, rest } = await behindAnAppend(planId, commands, [
      { actor: 'a', command: (plan) => plan.addTask({ title: 'a', durationDays: 1 }) },
      {
        actor: 'half',
        command: (plan) => {
          plan.addTask({ title: 'half done', durationDays: 1 });
          throw new Error('refused after the first change');
        },
      },
      {
        actor: 'c',
        command: (plan) => {
          plan.addTask({ title: 'c', durationDays: 1 });
          return seen(plan);
        },
      },
      {
        actor: 'large',
        command: (plan) =>
          plan.addTask({ title: `too large ${'x'.repeat(32 * 1024)}`, durationDays: 1 }),
      },
      { actor: 'reader', command: seen },
    ]);
    const [a, half, c, large, reader] = rest;
    expect(a.status).toBe('fulfilled');
    expect(half).toEqual({
      status: 'rejected',
      reason: expect.objectContaining({ message: 'refused after the first change' }),
    });
    expect(c).toEqual({
      status: 'fulfilled',
      value: { result: ['a', 'c', 'first'], version: first.version! + 2 },
    });
    expect(large).toEqual({ status: 'rejected', reason: expect.any(DocumentTooLargeError) });
    expect(reader).toEqual({
      status: 'fulfilled',
      value: { result: ['a', 'c', 'first'], version: undefined },
    });
    expect(commandAppends(appends)).toEqual([['first'], ['a', 'c']]);
    const events = await harness.store.readStream(planStreamId(planId));
    const commandEvents = events.filter((e) => e.version > first.version! - 1);
    expect(commandEvents.map((e) => e.metadata.actor)).toEqual(['first', 'a', 'c']);
    // the copy made again after a failure keeps editing under the same client id
    expect(new Set(commandEvents.flatMap(clientIdsOf)).size).toBe(1);
    expect((await commands.read(planId)).plan.tasks.map((t) => t.title).sort()).toEqual([
      'a',
      'c',
      'first',
    ]);
    const replay = await replayed(harness, planId);
    expect(taskTitles(replay)).toEqual(['a', 'c', 'first']);
    replay.destroy();
  });

  it('given a group whose append the store refuses, when it fails, then every command that changed or saw a change of the group fails with it, and the next command starts from the stored plan under a new client id', async () => {
    const planId = await harness.createPlan();
    const commands = new PlanCommands(harness.documents, harness.store);
    const append = harness.store.appendToStream.bind(harness.store);
    // a disk that fails the group's append: a fault a real store cannot be made to produce
    jest
      .spyOn(harness.store, 'appendToStream')
      .mockImplementation((stream, events, options) =>
        events.some((e) => e.metadata?.actor === 'lost')
          ? Promise.reject(new StoreUnavailableError('sqlite', new Error('disk failed')))
          : append(stream, events, options),
      );
    const titles = (plan: PlanDoc) => plan.toJSON().tasks.map((t) => t.title);
    const { first, rest } = await behindAnAppend(planId, commands, [
      { actor: 'early reader', command: titles },
      { actor: 'lost', command: (plan) => plan.addTask({ title: 'lost', durationDays: 1 }) },
      { actor: 'late reader', command: titles },
    ]);
    expect(rest).toEqual([
      { status: 'fulfilled', value: { result: ['first'], version: undefined } },
      { status: 'rejected', reason: expect.any(StoreUnavailableError) },
      { status: 'rejected', reason: expect.any(StoreUnavailableError) },
    ]);
    const after = await commands.execute(planId, 'after', (plan) =>
      plan.addTask({ title: 'after', durationDays: 1 }),
    );
    expect(after.version).toBe(first.version! + 1);
    expect((await commands.read(planId)).plan.tasks.map((t) => t.title).sort()).toEqual([
      'after',
      'first',
    ]);
    const events = await harness.store.readStream(planStreamId(planId), {
      fromVersion: first.version!,
    });
    expect(events.map((e) => e.metadata.actor)).toEqual(['first', 'after']);
    const [before, next] = events.map(clientIdsOf);
    expect(next).not.toEqual(before);
  });
});
