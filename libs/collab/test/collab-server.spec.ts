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
