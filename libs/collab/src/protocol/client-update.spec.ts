import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { CloseCode, ConnectionClosingError } from './close-codes';
import { readClientUpdate } from './client-update';

/** a plan-shaped document: nested maps and arrays, text with a deletion, a removed entry */
function planDoc(): Y.Doc {
  const doc = new Y.Doc();
  const tasks = doc.getMap('tasks');
  for (let i = 0; i < 4; i++) {
    const task = new Y.Map<unknown>();
    tasks.set(`t${i}`, task);
    task.set('title', `Task ${i}`);
    const dependsOn = new Y.Array<string>();
    task.set('dependsOn', dependsOn);
    dependsOn.push([`t${i - 1}`]);
    doc.getArray('order').push([`t${i}`]);
  }
  doc.getText('notes').insert(0, 'kick-off notes');
  doc.getText('notes').delete(4, 3);
  tasks.delete('t1');
  return doc;
}

/** what one more edit of a copy of `base` sends */
function editOf(base: Y.Doc, edit: number): Uint8Array {
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(base));
  let update: Uint8Array = new Uint8Array();
  client.once('update', (u: Uint8Array) => (update = u));
  const tasks = client.getMap<Y.Map<unknown>>('tasks');
  if (edit === 0) {
    const task = new Y.Map<unknown>();
    tasks.set('new', task);
    task.set('title', 'New');
  } else if (edit === 1) tasks.get('t2')!.set('title', 'Renamed');
  else if (edit === 2) {
    client.getArray('order').insert(1, ['moved']);
    client.getArray('order').delete(0, 1);
  } else client.getText('notes').insert(3, 'abc');
  client.destroy();
  return update;
}

function refusal(bytes: Uint8Array): string | undefined {
  try {
    readClientUpdate(bytes);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectionClosingError);
    expect((error as ConnectionClosingError).closeCode).toBe(CloseCode.protocolError);
    return (error as ConnectionClosingError).reason;
  }
}

/** an update of one client holding a single map entry whose parent is an ID (v1 encoding) */
function oneItemUpdate(client: number, clock: number, parent: { client: number; clock: number }) {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1); // clients
  encoding.writeVarUint(encoder, 1); // structs of this client
  encoding.writeVarUint(encoder, client);
  encoding.writeVarUint(encoder, clock);
  encoding.writeUint8(encoder, 8 | 32); // ContentAny, parentSub, no origins
  encoding.writeVarUint(encoder, 0); // parent is an ID, not a root type name
  encoding.writeVarUint(encoder, parent.client);
  encoding.writeVarUint(encoder, parent.clock);
  encoding.writeVarString(encoder, 'title');
  encoding.writeVarUint(encoder, 1); // one value
  encoding.writeAny(encoder, 'x');
  encoding.writeVarUint(encoder, 0); // empty delete set
  return encoding.toUint8Array(encoder);
}

describe('readClientUpdate', () => {
  it('given honest edits and a full state, when read, then they pass with the clock each client ends at', () => {
    const base = planDoc();
    const full = readClientUpdate(Y.encodeStateAsUpdate(base));
    expect(full.ends).toEqual(Y.decodeStateVector(Y.encodeStateVector(base)));
    expect(full.deletes.size).toBe(1);
    for (let edit = 0; edit < 4; edit++) expect(refusal(editOf(base, edit))).toBeUndefined();
  });

  it('given a struct whose parent is a later struct of its own client, then it is refused, and such an update would have thrown inside Y.applyUpdate', () => {
    const forward = oneItemUpdate(7, 0, { client: 7, clock: 52 });
    expect(refusal(forward)).toMatch(
      /names 7:52 as its parent, a struct its client wrote after it/,
    );
    expect(() => Y.applyUpdate(new Y.Doc(), forward)).toThrow();
    // the same shape pointing at another client's struct waits as pending: accepted
    const elsewhere = oneItemUpdate(7, 0, { client: 8, clock: 52 });
    expect(refusal(elsewhere)).toBeUndefined();
    expect(() => Y.applyUpdate(new Y.Doc(), elsewhere)).not.toThrow();
  });

  it('given an empty deleted range, then it is refused (Yjs throws when it writes one back)', () => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0); // no structs
    encoding.writeVarUint(encoder, 1); // one client in the delete set
    encoding.writeVarUint(encoder, 9);
    encoding.writeVarUint(encoder, 1); // one range
    encoding.writeVarUint(encoder, 3);
    encoding.writeVarUint(encoder, 0); // of length 0
    expect(refusal(encoding.toUint8Array(encoder))).toMatch(/empty deleted range at 9:3/);
  });

  it('given randomly corrupted edits, when one passes, then applying it (and the edits after it) never throws', () => {
    const base = planDoc();
    const baseState = Y.encodeStateAsUpdate(base);
    const corruption = fc.record({
      edit: fc.integer({ min: 0, max: 3 }),
      full: fc.boolean(),
      flips: fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { minLength: 1, maxLength: 3 }),
    });
    let passed = 0;
    fc.assert(
      fc.property(corruption, ({ edit, full, flips }) => {
        const honest = editOf(base, edit);
        const bytes = Uint8Array.from(full ? Y.mergeUpdates([baseState, honest]) : honest);
        for (const [at, value] of flips) bytes[at % bytes.length] = value;
        try {
          Y.decodeUpdate(bytes);
        } catch {
          return; // refused as undecodable
        }
        if (refusal(bytes) !== undefined) return;
        passed += 1;
        const server = new Y.Doc();
        Y.applyUpdate(server, baseState);
        Y.applyUpdate(server, bytes);
        Y.applyUpdate(server, honest);
        Y.encodeStateAsUpdate(server);
        server.getMap('tasks').toJSON();
        server.destroy();
      }),
      { numRuns: 3000 },
    );
    expect(passed).toBeGreaterThan(300);
  });
});
