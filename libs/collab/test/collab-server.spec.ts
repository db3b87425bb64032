import { applyUpdate } from 'yjs';
import * as Y from 'yjs';
import { randomUUID } from 'node:crypto';
import { PlanCommands, planStreamId } from '@lib/collab';
import { eventually, startCollabHarness, type CollabHarness } from './collab-harness';

describe('collab endpoint with y-websocket clients', () => {
  let harness: CollabHarness;
  beforeEach(async () => {
    harness = await startCollabHarness();
  });
  afterEach(async () => {
    await harness.close();
  });

  it('given three clients on one plan, when each edits concurrently, then all converge and every edit is stored', async () => {
    const planId = await harness.createPlan();
    const clients = [0, 1, 2].map((i) => harness.provider(planId, { user: `u${i}` }));
    await eventually(() => expect(clients.every((c) => c.provider.synced)).toBe(true));

    clients.forEach(({ doc }, i) => {
      for (let k = 0; k < 5; k++) doc.getMap('tasks').set(`t${i}-${k}`, `task ${k} by ${i}`);
    });

    await eventually(() => {
      for (const { doc } of clients) expect(doc.getMap('tasks').size).toBe(15);
    });
    const json = clients.map(({ doc }) => doc.getMap('tasks').toJSON());
    expect(json[1]).toEqual(json[0]);
    expect(json[2]).toEqual(json[0]);

    const stored = new Y.Doc();
    for (const event of await harness.store.readStream(planStreamId(planId))) {
      if (event.type === 'PlanUpdated') applyUpdate(stored, event.data as Uint8Array);
    }
    expect(stored.getMap('tasks').toJSON()).toEqual(json[0]);
  });

  it('given two clients, when one sets awareness, then the other sees it, and it disappears when the first leaves', async () => {
    const planId = await harness.createPlan();
    const a = harness.provider(planId);
    const b = harness.provider(planId);
    await eventually(() => expect(a.provider.synced && b.provider.synced).toBe(true));
    a.provider.awareness.setLocalStateField('user', { name: 'Alice' });
    await eventually(() =>
      expect(b.provider.awareness.getStates().get(a.doc.clientID)).toEqual({
        user: { name: 'Alice' },
      }),
    );
    a.provider.disconnect();
    await eventually(() =>
      expect(b.provider.awareness.getStates().has(a.doc.clientID)).toBe(false),
    );
  });
});

describe('collab endpoint, plans parked while their connections stay open', () => {
  let harness: CollabHarness;
  beforeEach(async () => {
    harness = await startCollabHarness({ settings: { parkIdleMs: 100 } });
  });
  afterEach(async () => {
    await harness.close();
  });

  it('given a plan parked with two clients connected, when a third joins and then edits, then it syncs from the encoded state, the plan is decoded again and everyone converges', async () => {
    const planId = await harness.createPlan();
    const a = harness.provider(planId, { user: 'a' });
    const b = harness.provider(planId, { user: 'b' });
    await eventually(() => expect(a.provider.synced && b.provider.synced).toBe(true));
    for (let k = 0; k < 20; k++) a.doc.getMap('tasks').set(`t${k}`, { title: `task ${k}` });
    a.doc.getMap('tasks').delete('t3');
    await eventually(() => expect(b.doc.getMap('tasks').size).toBe(19));
    const document = harness.documents.get(planId)!;
    await eventually(() => expect(document.isParked).toBe(true));
    const storedBefore = (await harness.store.readStream(planStreamId(planId))).length;

    const c = harness.provider(planId, { user: 'c' });
    await eventually(() => expect(c.provider.synced).toBe(true));
    expect(c.doc.getMap('tasks').toJSON()).toEqual(a.doc.getMap('tasks').toJSON());
    // answering sync from the encoded state did not decode the document
    expect(document.isParked).toBe(true);

    c.doc.getMap('tasks').set('t3', { title: 'task 3 again' });
    await eventually(() => {
      for (const { doc } of [a, b])
        expect(doc.getMap('tasks').get('t3')).toEqual({ title: 'task 3 again' });
    });
    expect((await harness.store.readStream(planStreamId(planId))).length).toBe(storedBefore + 1);
    await eventually(() => expect(document.isParked).toBe(true));
    expect(harness.documents.parkedCount).toBe(1);
  });
});

describe('REST reads after an acknowledged update', () => {
  let harness: CollabHarness;
  beforeEach(async () => {
    // the gap is never filled by the timer here: only the read can bring the update in
    harness = await startCollabHarness({ settings: { gapFillDelayMs: 600_000 } });
  });
  afterEach(async () => {
    await harness.close();
  });

  it('given an event appended to the plan outside its document, when an update is acknowledged behind it, then a read of the plan includes that update', async () => {
    const planId = await harness.createPlan();
    const document = await harness.documents.acquire(planId);
    const commands = new PlanCommands(harness.documents, harness.store);
    // a comment, a membership change…: appended to the stream, not through the document
    await harness.store.appendToStream(planStreamId(planId), [
      {
        id: randomUUID(),
        type: 'CommentPosted',
        data: { text: 'hello' },
        metadata: { actor: 'alice', at: new Date().toISOString() },
      },
    ]);
    const author = new Y.Doc();
    let update: Uint8Array | undefined;
    author.once('update', (u: Uint8Array) => (update = u));
    author.getMap('tasks').set('t1', 'written over the websocket');
    const { version } = await harness.documents.appendUpdate(
      document,
      update!,
      { actor: 'bob', at: new Date().toISOString() },
      { kind: 'connection', connectionId: 'c1' },
    );
    expect(document.hasGap).toBe(true);

    const read = await commands.read(planId);
    expect(read.version).toBe(version);
    expect(document.doc.getMap('tasks').get('t1')).toBe('written over the websocket');
    harness.documents.release(document);
  });
});
