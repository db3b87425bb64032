import * as Y from 'yjs';
import { readServerMessage } from '../protocol/y-websocket-messages';
import type { PreparedMessage } from './prepared-message';
import { UpdateBroadcast } from './update-broadcast';

function edit(doc: Y.Doc, key: string, value: number): Uint8Array {
  let update: Uint8Array | undefined;
  doc.once('update', (u: Uint8Array) => (update = u));
  doc.getMap('m').set(key, value);
  return update!;
}

function received(frames: PreparedMessage[]): Record<string, unknown> {
  const doc = new Y.Doc();
  for (const frame of frames) {
    const message = readServerMessage(frame.message);
    if (message.type !== 'update') throw new Error(`expected an update, got ${message.type}`);
    Y.applyUpdate(doc, message.update);
  }
  return doc.getMap('m').toJSON();
}

describe('UpdateBroadcast', () => {
  it('given updates from two connections and a REST command in one turn, then each connection gets the others merged in one frame and never its own', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const batch = new UpdateBroadcast();
    batch.add(edit(a, 'a1', 1), { kind: 'connection', connectionId: 'A' });
    batch.add(edit(b, 'b1', 2), { kind: 'connection', connectionId: 'B' });
    batch.add(edit(a, 'a2', 3), { kind: 'connection', connectionId: 'A' });
    batch.add(edit(new Y.Doc(), 'r', 4), { kind: 'rest', actor: 'alice' });

    expect(received(batch.framesFor('A'))).toEqual({ b1: 2, r: 4 });
    expect(received(batch.framesFor('B'))).toEqual({ a1: 1, a2: 3, r: 4 });
    expect(received(batch.framesFor('C'))).toEqual({ a1: 1, a2: 3, b1: 2, r: 4 });
    expect(batch.framesFor('C')).toHaveLength(1);
    expect(batch.framesFor('C')).toBe(batch.framesFor('D'));
  });

  it('given a batch made only of one connection’s updates, then that connection gets nothing', () => {
    const batch = new UpdateBroadcast();
    batch.add(edit(new Y.Doc(), 'x', 1), { kind: 'connection', connectionId: 'A' });
    expect(batch.framesFor('A')).toEqual([]);
    expect(received(batch.framesFor('B'))).toEqual({ x: 1 });
  });

  it('given a burst of large updates, then they are merged only up to 64 KiB per frame', () => {
    const doc = new Y.Doc();
    const batch = new UpdateBroadcast();
    for (let i = 0; i < 5; i++) {
      let update: Uint8Array | undefined;
      doc.once('update', (u: Uint8Array) => (update = u));
      doc.getMap('m').set(`k${i}`, 'x'.repeat(30 * 1024));
      batch.add(update!, { kind: 'rest', actor: 'alice' });
    }
    const frames = batch.framesFor('A');
    expect(frames).toHaveLength(3);
    for (const frame of frames) expect(frame.byteLength).toBeLessThan(64 * 1024 + 64);
    expect(Object.keys(received(frames))).toHaveLength(5);
  });
});
