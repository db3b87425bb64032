import fc from 'fast-check';
import * as Y from 'yjs';
import { readClientUpdate } from '../protocol/client-update';
import { updateAddsToDoc } from './update-novelty';

const adds = (update: Uint8Array, doc: () => Y.Doc): boolean =>
  updateAddsToDoc(readClientUpdate(update), doc);

/**
 * The definition, computed the slow way: structs beyond the doc's state vector, or a deleted
 * range the doc's own delete set does not cover.
 */
function addsByDefinition(update: Uint8Array, doc: Y.Doc): boolean {
  const { structs, ds } = Y.decodeUpdate(Y.diffUpdate(update, Y.encodeStateVector(doc)));
  if (structs.length > 0) return true;
  const known = Y.createDeleteSetFromStructStore(doc.store);
  for (const [client, ranges] of ds.clients)
    for (const { clock, len } of ranges)
      for (let c = clock; c < clock + len; c++)
        if (!Y.isDeleted(known, Y.createID(client, c))) return true;
  return false;
}

type Edit = { replica: number; key: number; op: 'set' | 'delete' | 'sync' };

describe('updateAddsToDoc', () => {
  it('given a doc, when a client resends what the doc already has (structs and delete set), then it adds nothing', () => {
    const server = new Y.Doc();
    const client = new Y.Doc();
    client.getMap('tasks').set('a', 1);
    client.getMap('tasks').set('a', 2);
    client.getMap('tasks').delete('a');
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
    expect(adds(Y.encodeStateAsUpdate(client), () => server)).toBe(false);
    expect(adds(Y.encodeStateAsUpdate(client, Y.encodeStateVector(server)), () => server)).toBe(
      false,
    );
  });

  it('given a parked document, when a new client sends its empty sync step 2, then the document is not asked for', () => {
    const empty = Y.encodeStateAsUpdate(new Y.Doc());
    expect(
      adds(empty, () => {
        throw new Error('decoded');
      }),
    ).toBe(false);
  });

  it('given a doc, when an update only deletes an entry the doc still has, then it adds', () => {
    const server = new Y.Doc();
    const client = new Y.Doc();
    client.getMap('tasks').set('a', 1);
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
    let deletion: Uint8Array | undefined;
    client.once('update', (u: Uint8Array) => (deletion = u));
    client.getMap('tasks').delete('a');
    expect(adds(deletion!, () => server)).toBe(true);
    Y.applyUpdate(server, deletion!);
    expect(adds(deletion!, () => server)).toBe(false);
  });

  it('agrees with applying the update to a copy, for random edits on three replicas delivered to the doc in random subsets', () => {
    const edit = fc.record({
      replica: fc.integer({ min: 0, max: 2 }),
      key: fc.integer({ min: 0, max: 4 }),
      op: fc.constantFrom<Edit['op']>('set', 'delete', 'sync'),
    });
    fc.assert(
      fc.property(
        fc.array(edit, { maxLength: 40 }),
        fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
        (edits, deliver) => {
          const replicas = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
          const server = new Y.Doc();
          edits.forEach(({ replica, key, op }, i) => {
            const doc = replicas[replica];
            let update: Uint8Array | undefined;
            const capture = (u: Uint8Array) => (update = u);
            doc.on('update', capture);
            if (op === 'set') doc.getMap('m').set(`k${key}`, i);
            else if (op === 'delete') doc.getMap('m').delete(`k${key}`);
            else Y.applyUpdate(doc, Y.encodeStateAsUpdate(replicas[(replica + 1) % 3]));
            doc.off('update', capture);
            // a reconnect's sync step 2, or the single update
            for (const candidate of [update, Y.encodeStateAsUpdate(doc)]) {
              if (!candidate) continue;
              expect(adds(candidate, () => server)).toBe(addsByDefinition(candidate, server));
            }
            if (update && deliver[i]) Y.applyUpdate(server, update);
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
