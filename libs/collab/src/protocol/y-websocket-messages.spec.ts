import * as Y from 'yjs';
import { CloseCode, ConnectionClosingError, closeReason } from './close-codes';
import {
  readAck,
  readClientMessage,
  readServerMessage,
  writeAck,
  writeAwarenessMessage,
  writePermissionDenied,
  writeSyncStep1,
  writeSyncStep2,
  writeUpdateMessage,
} from './y-websocket-messages';
import { readBusMessage, writeBusMessage, type BusMessage } from '../fan-out/plan-bus-messages';

describe('y-websocket messages', () => {
  const doc = new Y.Doc();
  doc.getMap('tasks').set('t1', 'Kick-off');
  const update = Y.encodeStateAsUpdate(doc);

  it('given an update frame, when read as a client message, then the same update comes back', () => {
    const message = readClientMessage(writeUpdateMessage(update));
    expect(message.type).toBe('update');
    expect((message as { update: { bytes: Uint8Array } }).update.bytes).toEqual(update);
  });

  it('given sync step 1 and 2 written by the server, when read back, then state vector and update round-trip', () => {
    expect(readServerMessage(writeSyncStep1(Y.encodeStateVector(doc)))).toEqual({
      type: 'sync-step1',
      stateVector: Y.encodeStateVector(doc),
    });
    const step2 = readServerMessage(
      writeSyncStep2(Y.encodeStateAsUpdate(doc, new Uint8Array([0]))),
    );
    expect(step2.type).toBe('sync-step2');
    const copy = new Y.Doc();
    Y.applyUpdate(copy, (step2 as { update: Uint8Array }).update);
    expect(copy.getMap('tasks').get('t1')).toBe('Kick-off');
  });

  it('given awareness, permission-denied and ack frames, when read back, then their payloads round-trip', () => {
    expect(readServerMessage(writeAwarenessMessage(new Uint8Array([1, 2])))).toEqual({
      type: 'awareness',
      update: new Uint8Array([1, 2]),
    });
    expect(readServerMessage(writePermissionDenied('read-only'))).toEqual({
      type: 'permission-denied',
      reason: 'read-only',
    });
    const ack = { ackedUpdates: 300, streamVersion: 70_000 };
    expect(readAck(writeAck(ack))).toEqual(ack);
    expect(readServerMessage(writeAck(ack))).toEqual({ type: 'ack', ack });
    expect(readAck(writeUpdateMessage(update))).toBeUndefined();
  });

  it('given an update that does not decode, when read, then it is refused with a protocol-error close', () => {
    const bad = writeUpdateMessage(new Uint8Array([1, 2, 3, 4, 5]));
    expect(() => readClientMessage(bad)).toThrow(ConnectionClosingError);
    try {
      readClientMessage(bad);
    } catch (error) {
      expect((error as ConnectionClosingError).closeCode).toBe(CloseCode.protocolError);
    }
  });

  it('given a long multi-byte reason, when trimmed for a close frame, then it fits 123 bytes', () => {
    const reason = closeReason('é'.repeat(200));
    expect(new TextEncoder().encode(reason).length).toBeLessThanOrEqual(123);
    expect(reason.endsWith('…')).toBe(true);
    expect(closeReason('short')).toBe('short');
  });
});

describe('bus messages between nodes', () => {
  it.each<BusMessage>([
    {
      kind: 'update',
      nodeId: 'node-a',
      version: 41,
      position: 9001,
      payload: new Uint8Array([5, 6, 7]),
    },
    { kind: 'awareness', nodeId: 'node-b', payload: new Uint8Array([1]) },
  ])('given a %o message, when written and read, then it round-trips', (message) => {
    expect(readBusMessage(writeBusMessage(message))).toEqual(message);
  });
});
