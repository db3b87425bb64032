import { applyUpdate } from 'yjs';
import * as Y from 'yjs';
import { planStreamId } from '@lib/collab';
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
