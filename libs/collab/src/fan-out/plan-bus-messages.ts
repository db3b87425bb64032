/**
 * Messages between nodes, as write/read pairs (lib0 encoding):
 *
 *   const frame = writeBusMessage({ kind: 'update', nodeId, version: 7, position: 120, payload });
 *   readBusMessage(frame) // → the same object
 *
 * `update` carries a durable PlanUpdated (its stream version and global position);
 * `awareness` carries an ephemeral awareness update.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export type BusMessage =
  | {
      readonly kind: 'update';
      readonly nodeId: string;
      readonly version: number;
      readonly position: number;
      readonly payload: Uint8Array;
    }
  | { readonly kind: 'awareness'; readonly nodeId: string; readonly payload: Uint8Array };

const KIND_UPDATE = 0;
const KIND_AWARENESS = 1;

export function writeBusMessage(message: BusMessage): Uint8Array {
  const encoder = encoding.createEncoder();
  switch (message.kind) {
    case 'update':
      encoding.writeVarUint(encoder, KIND_UPDATE);
      encoding.writeVarString(encoder, message.nodeId);
      encoding.writeVarUint(encoder, message.version);
      encoding.writeVarUint(encoder, message.position);
      break;
    case 'awareness':
      encoding.writeVarUint(encoder, KIND_AWARENESS);
      encoding.writeVarString(encoder, message.nodeId);
      break;
    default: {
      const unknownKind: never = message;
      throw new Error(`unknown bus message ${String(unknownKind)}`);
    }
  }
  encoding.writeVarUint8Array(encoder, message.payload);
  return encoding.toUint8Array(encoder);
}

export function readBusMessage(frame: Uint8Array): BusMessage {
  const decoder = decoding.createDecoder(frame);
  const kind = decoding.readVarUint(decoder);
  const nodeId = decoding.readVarString(decoder);
  if (kind === KIND_UPDATE) {
    const version = decoding.readVarUint(decoder);
    const position = decoding.readVarUint(decoder);
    return {
      kind: 'update',
      nodeId,
      version,
      position,
      payload: decoding.readVarUint8Array(decoder),
    };
  }
  if (kind === KIND_AWARENESS)
    return { kind: 'awareness', nodeId, payload: decoding.readVarUint8Array(decoder) };
  throw new Error(`unknown bus message kind ${kind}`);
}
