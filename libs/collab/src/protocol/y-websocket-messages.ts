/**
 * The y-websocket wire format as free functions in read/write pairs (lib0 encoding style).
 *
 *   const frame = writeUpdateMessage(update);        // [0 sync][2 update][len][bytes]
 *   readClientMessage(frame) // → { type: 'update', update: { bytes, ends, deletes } }
 *
 * Message types 0–3 are the standard protocol (sync, awareness, auth, query-awareness).
 * Type 100 is our opt-in acknowledgement, sent only to clients that connected with ack=1:
 *   [varuint 100][varuint ackedUpdates][varuint streamVersion]
 * `ackedUpdates` counts this connection's document updates that are now durable, in the
 * order the client sent them (cumulative); `streamVersion` is the plan stream version of
 * the newest of them.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { readClientUpdate, type ClientUpdate } from './client-update';
import { CloseCode, ConnectionClosingError } from './close-codes';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
export const MESSAGE_ACK = 100;

const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;
const AUTH_PERMISSION_DENIED = 0;

export type ClientMessage =
  | { readonly type: 'sync-step1'; readonly stateVector: Uint8Array }
  | { readonly type: 'sync-step2'; readonly update: ClientUpdate }
  | { readonly type: 'update'; readonly update: ClientUpdate }
  | { readonly type: 'awareness'; readonly update: Uint8Array }
  | { readonly type: 'query-awareness' }
  | { readonly type: 'auth' };

export interface Ack {
  readonly ackedUpdates: number;
  readonly streamVersion: number;
}

function protocolError(reason: string): ConnectionClosingError {
  return new ConnectionClosingError(CloseCode.protocolError, reason);
}

/** Decodes one frame from a client; throws a protocol-error close for anything malformed. */
export function readClientMessage(frame: Uint8Array): ClientMessage {
  try {
    const decoder = decoding.createDecoder(frame);
    const messageType = decoding.readVarUint(decoder);
    switch (messageType) {
      case MESSAGE_SYNC: {
        const syncType = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (syncType === SYNC_STEP1) {
          assertDecodableStateVector(payload);
          return { type: 'sync-step1', stateVector: payload };
        }
        if (syncType === SYNC_STEP2 || syncType === SYNC_UPDATE) {
          const update = readClientUpdate(payload);
          return { type: syncType === SYNC_STEP2 ? 'sync-step2' : 'update', update };
        }
        throw protocolError(`unknown sync message type ${syncType}`);
      }
      case MESSAGE_AWARENESS:
        return { type: 'awareness', update: decoding.readVarUint8Array(decoder) };
      case MESSAGE_QUERY_AWARENESS:
        return { type: 'query-awareness' };
      case MESSAGE_AUTH:
        return { type: 'auth' };
      default:
        throw protocolError(`unknown message type ${messageType}`);
    }
  } catch (error) {
    if (error instanceof ConnectionClosingError) throw error;
    throw protocolError(
      `malformed message: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** A state vector is answered with the updates it lacks; one that does not decode is refused. */
export function assertDecodableStateVector(stateVector: Uint8Array): void {
  try {
    Y.decodeStateVector(stateVector);
  } catch (error) {
    throw protocolError(
      `malformed state vector: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** `stateVector`: the sender's (`Y.encodeStateVector(doc)`) */
export function writeSyncStep1(stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, SYNC_STEP1);
  encoding.writeVarUint8Array(encoder, stateVector);
  return encoding.toUint8Array(encoder);
}

/** `update`: what the peer's state vector lacks (`Y.encodeStateAsUpdate(doc, stateVector)`) */
export function writeSyncStep2(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, SYNC_STEP2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

export function writeUpdateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, SYNC_UPDATE);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

export function writeAwarenessMessage(awarenessUpdate: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, awarenessUpdate);
  return encoding.toUint8Array(encoder);
}

export function writePermissionDenied(reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AUTH);
  encoding.writeVarUint(encoder, AUTH_PERMISSION_DENIED);
  encoding.writeVarString(encoder, reason);
  return encoding.toUint8Array(encoder);
}

export function writeAck(ack: Ack): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_ACK);
  encoding.writeVarUint(encoder, ack.ackedUpdates);
  encoding.writeVarUint(encoder, ack.streamVersion);
  return encoding.toUint8Array(encoder);
}

/** Client side of writeAck; returns undefined for any other message. */
export function readAck(frame: Uint8Array): Ack | undefined {
  const decoder = decoding.createDecoder(frame);
  if (decoding.readVarUint(decoder) !== MESSAGE_ACK) return undefined;
  return {
    ackedUpdates: decoding.readVarUint(decoder),
    streamVersion: decoding.readVarUint(decoder),
  };
}

/** Server → client messages, decoded (used by tests and the ack client). */
export type ServerMessage =
  | { readonly type: 'sync-step1'; readonly stateVector: Uint8Array }
  | { readonly type: 'sync-step2' | 'update'; readonly update: Uint8Array }
  | { readonly type: 'awareness'; readonly update: Uint8Array }
  | { readonly type: 'permission-denied'; readonly reason: string }
  | { readonly type: 'ack'; readonly ack: Ack };

export function readServerMessage(frame: Uint8Array): ServerMessage {
  const decoder = decoding.createDecoder(frame);
  const messageType = decoding.readVarUint(decoder);
  switch (messageType) {
    case MESSAGE_SYNC: {
      const syncType = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (syncType === SYNC_STEP1) return { type: 'sync-step1', stateVector: payload };
      return { type: syncType === SYNC_STEP2 ? 'sync-step2' : 'update', update: payload };
    }
    case MESSAGE_AWARENESS:
      return { type: 'awareness', update: decoding.readVarUint8Array(decoder) };
    case MESSAGE_AUTH:
      decoding.readVarUint(decoder);
      return { type: 'permission-denied', reason: decoding.readVarString(decoder) };
    case MESSAGE_ACK:
      return {
        type: 'ack',
        ack: {
          ackedUpdates: decoding.readVarUint(decoder),
          streamVersion: decoding.readVarUint(decoder),
        },
      };
    default:
      throw new Error(`unknown server message type ${messageType}`);
  }
}
