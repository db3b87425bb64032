/**
 * The two wire dialects a lightweight bench client speaks, as free functions in write/read
 * pairs: plain y-websocket (our /collab endpoint and the y-websocket reference server) and
 * Hocuspocus, which prefixes every message with the document name, expects an auth message
 * before anything else, and answers a sync step 1 with its own step 1 as type 4 (SyncReply).
 * Hocuspocus 4 speaks the 3.x dialect unchanged to a client that uses it: the message address
 * may carry `\0<sessionId>` (only providers with `sessionAwareness` send one), the auth message
 * may end with the provider's version (optional). Its one visible change is that it merges the
 * updates of one event-loop turn into one broadcast (`flushDelay: 0`, a setImmediate window),
 * which `readStamps` counts stamp by stamp.
 *
 *   const frame = writeSyncFrame(HOCUSPOCUS, 'doc-1', SYNC_UPDATE, update);
 *   readServerFrame(HOCUSPOCUS, frame) // → { kind: 'sync', syncType: SYNC_UPDATE, payload: update }
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export const Y_WEBSOCKET = 'y-websocket';
export const HOCUSPOCUS = 'hocuspocus';
export type Dialect = typeof Y_WEBSOCKET | typeof HOCUSPOCUS;

/** where a client connects: y-websocket puts the document in the URL, Hocuspocus in every message */
export type CollabTarget =
  | {
      readonly dialect: typeof Y_WEBSOCKET;
      /** ws://host:port/collab for ours, ws://host:port for the reference server */
      readonly baseUrl: string;
    }
  | {
      readonly dialect: typeof HOCUSPOCUS;
      readonly baseUrl: string;
      /** the full writers use the provider of the server's major version */
      readonly providerMajor: 3 | 4;
    };

export function socketUrl(target: CollabTarget, docName: string): string {
  return target.dialect === Y_WEBSOCKET
    ? `${target.baseUrl}/${encodeURIComponent(docName)}`
    : target.baseUrl;
}

const MESSAGE_SYNC = 0;
const MESSAGE_AUTH = 2;
/** Hocuspocus only: a sync message that must not trigger another step 1 */
const MESSAGE_SYNC_REPLY = 4;
const AUTH_TOKEN = 0;

export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;
export type SyncType = typeof SYNC_STEP1 | typeof SYNC_STEP2 | typeof SYNC_UPDATE;

/** a Yjs state vector of an empty document, and an update that adds nothing */
export const EMPTY_STATE_VECTOR = new Uint8Array([0]);
export const EMPTY_UPDATE = new Uint8Array([0, 0]);

export type ServerFrame =
  | { readonly kind: 'sync'; readonly syncType: SyncType; readonly payload: Uint8Array }
  | { readonly kind: 'other'; readonly messageType: number };

function startFrame(dialect: Dialect, docName: string): encoding.Encoder {
  const encoder = encoding.createEncoder();
  if (dialect === HOCUSPOCUS) encoding.writeVarString(encoder, docName);
  return encoder;
}

export function writeSyncFrame(
  dialect: Dialect,
  docName: string,
  syncType: SyncType,
  payload: Uint8Array,
): Uint8Array {
  const encoder = startFrame(dialect, docName);
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, syncType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** Hocuspocus queues every message of a document until it has seen this one (an empty token: no auth hook) */
export function writeAuthFrame(docName: string, token = ''): Uint8Array {
  const encoder = startFrame(HOCUSPOCUS, docName);
  encoding.writeVarUint(encoder, MESSAGE_AUTH);
  encoding.writeVarUint(encoder, AUTH_TOKEN);
  encoding.writeVarString(encoder, token);
  return encoding.toUint8Array(encoder);
}

/** the frames a client sends as soon as the socket is open */
export function writeOpeningFrames(dialect: Dialect, docName: string): Uint8Array[] {
  const step1 = writeSyncFrame(dialect, docName, SYNC_STEP1, EMPTY_STATE_VECTOR);
  return dialect === HOCUSPOCUS ? [writeAuthFrame(docName), step1] : [step1];
}

/** Decodes the part of a server frame a bench client cares about; the payload is a view, not a copy. */
export function readServerFrame(dialect: Dialect, frame: Uint8Array): ServerFrame {
  const decoder = decoding.createDecoder(frame);
  if (dialect === HOCUSPOCUS) decoding.readVarString(decoder);
  const messageType = decoding.readVarUint(decoder);
  const isSync =
    messageType === MESSAGE_SYNC || (dialect === HOCUSPOCUS && messageType === MESSAGE_SYNC_REPLY);
  if (!isSync) return { kind: 'other', messageType };
  const syncType = decoding.readVarUint(decoder);
  if (syncType !== SYNC_STEP1 && syncType !== SYNC_STEP2 && syncType !== SYNC_UPDATE) {
    throw new Error(`unknown sync message type ${syncType} from a ${dialect} server`);
  }
  return { kind: 'sync', syncType, payload: decoding.readVarUint8Array(decoder) };
}
