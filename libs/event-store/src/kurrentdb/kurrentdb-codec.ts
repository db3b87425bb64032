/**
 * How our events look inside KurrentDB, as write/read pairs: a sealed event becomes the client's
 * `EventData` (`encodeEvent`) and a record read back becomes a `RecordedEvent` (`decodeRecord`);
 * versions, positions and expected versions are mapped in both directions.
 *
 *   const data = encodeEvent(sealEvent('plan-1', 0, GENESIS_HASH, newEvent));
 *   await client.appendToStream('plan-1', [data], { streamState: NO_STREAM });
 *   for await (const { event } of client.readStream('plan-1')) decodeRecord(event!); // RecordedEvent
 *
 * The hash chain lives in the event's metadata JSON, next to (not mixed into) the caller's
 * metadata, so no caller key can collide with ours:
 *   { "schemaVersion": 1, "prevHash": "…", "hash": "…", "metadata": { "actor": "…", "at": "…", … } }
 */
import {
  binaryEvent,
  eventTypeFilter,
  excludeSystemEvents,
  isSystemStream,
  jsonEvent,
  NO_STREAM,
  streamNameFilter,
  type AppendStreamState,
  type CurrentStreamState,
  type EventData,
  type Filter,
  type Position,
} from '@kurrent/kurrentdb-client';
import { EventStoreError, WrongExpectedVersionError } from '../errors';
import type {
  AllFilter,
  EventMetadata,
  ExpectedVersion,
  JsonObject,
  RecordedEvent,
} from '../event-store.port';
import { isBinaryPayload } from '../hash-chain';

/** A stored record that is not one of ours (written around the adapter) or is malformed. */
export class UnreadableEventError extends EventStoreError {
  readonly code = 'UNREADABLE_EVENT';
  constructor(
    readonly streamId: string,
    readonly version: number,
    readonly eventId: string,
    readonly reason: string,
  ) {
    super(`stream ${streamId}: event ${eventId} at version ${version} is unreadable: ${reason}`);
  }
}

/** The fields of the client's recorded event this adapter reads (the client's type satisfies it). */
export interface KurrentRecord {
  readonly streamId: string;
  readonly id: string;
  readonly type: string;
  readonly revision: bigint;
  readonly isJson: boolean;
  readonly data: unknown;
  /** the client has already parsed JSON metadata; non-JSON metadata arrives as bytes */
  readonly metadata: unknown;
  /** present on KurrentDB ≥ 22.6 */
  readonly position?: { readonly commit: bigint };
}

// a type alias, not an interface: the client wants metadata assignable to a JSON record
type ChainEnvelope = {
  readonly schemaVersion: number;
  readonly prevHash: string;
  readonly hash: string;
  readonly metadata: EventMetadata;
  /** copies for KurrentDB's own `$by_correlation_id` projection and UI; not part of the chain */
  readonly $correlationId?: string;
  readonly $causationId?: string;
};

type SealedEvent = Omit<RecordedEvent, 'position'>;

export function encodeEvent(event: SealedEvent): EventData {
  const metadata: ChainEnvelope = {
    schemaVersion: event.schemaVersion,
    prevHash: event.prevHash,
    hash: event.hash,
    metadata: event.metadata,
    $correlationId: event.metadata.correlationId,
    $causationId: event.metadata.causationId,
  };
  if (isBinaryPayload(event.data)) {
    return binaryEvent({ id: event.id, type: event.type, data: event.data, metadata });
  }
  return jsonEvent({ id: event.id, type: event.type, data: event.data, metadata });
}

/** `commitPosition` is the resolved event's, used when the record itself carries no position. */
export function decodeRecord(record: KurrentRecord, commitPosition?: bigint): RecordedEvent {
  const version = revisionToVersion(record.revision);
  const unreadable = (reason: string): UnreadableEventError =>
    new UnreadableEventError(record.streamId, version, record.id, reason);

  const envelope = record.metadata;
  if (!isPlainObject(envelope)) throw unreadable('its metadata is not a hash-chain envelope');
  const { schemaVersion, prevHash, hash, metadata } = envelope;
  if (typeof schemaVersion !== 'number' || !Number.isInteger(schemaVersion) || schemaVersion < 1) {
    throw unreadable('metadata.schemaVersion is not a positive integer');
  }
  if (typeof prevHash !== 'string' || typeof hash !== 'string') {
    throw unreadable('metadata.prevHash/hash are missing');
  }
  if (
    !isPlainObject(metadata) ||
    typeof metadata.actor !== 'string' ||
    typeof metadata.at !== 'string'
  ) {
    throw unreadable('metadata.metadata does not carry actor and at');
  }

  let data: RecordedEvent['data'];
  if (record.isJson) {
    // the client falls back to the raw string when the stored JSON does not parse
    if (!isPlainObject(record.data)) throw unreadable('its JSON data is not an object');
    data = record.data as JsonObject;
  } else {
    if (!isBytes(record.data)) throw unreadable('its binary data is not bytes');
    data = new Uint8Array(record.data.buffer, record.data.byteOffset, record.data.byteLength);
  }

  return {
    id: record.id,
    streamId: record.streamId,
    type: record.type,
    data,
    metadata: metadata as EventMetadata,
    schemaVersion,
    version,
    position: recordPosition(record, commitPosition),
    hash,
    prevHash,
  };
}

/** A record's global position, read without decoding the rest of it. */
export function recordPosition(
  record: Pick<KurrentRecord, 'streamId' | 'id' | 'position'>,
  commitPosition?: bigint,
): number {
  const commit = record.position?.commit ?? commitPosition;
  if (commit === undefined) {
    throw new Error(
      `stream ${record.streamId}: event ${record.id} came without a commit position (KurrentDB ≥ 22.6 sends one)`,
    );
  }
  return commitToPosition(commit);
}

/**
 * Our global position is KurrentDB's commit position: a byte offset in its transaction log,
 * ordered in commit order but not contiguous. As a double it stays exact up to 2^53 bytes
 * (8 PiB of log), far beyond any single store, so the conversion is lossless in practice;
 * beyond it we fail rather than hand out a rounded, possibly repeated position.
 */
export function commitToPosition(commit: bigint): number {
  if (commit < 0n || commit > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`KurrentDB commit position ${commit} does not fit a safe integer`);
  }
  return Number(commit);
}

/**
 * The read position for a position we handed out. KurrentDB writes each appended event as a
 * self-committing prepare record, so its commit and prepare positions are equal and the pair
 * rebuilt from the commit position alone points exactly at that event.
 */
export function positionToReadPosition(position: number): Position {
  const commit = BigInt(position);
  return { commit, prepare: commit };
}

export function revisionToVersion(revision: bigint): number {
  if (revision < 0n || revision > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`KurrentDB stream revision ${revision} does not fit a safe integer`);
  }
  return Number(revision);
}

/**
 * The stream state an append is sent with. `headVersion` is the version the events were sealed
 * after, so even `'any'` is sent as that exact revision: a concurrent append then fails instead
 * of landing between our read of the head and our write, which would fork the hash chain.
 */
export function appendStreamState(
  expected: ExpectedVersion,
  headVersion: number,
): AppendStreamState {
  if (expected === 'no_stream') return NO_STREAM;
  if (typeof expected === 'number') return BigInt(expected);
  return headVersion === -1 ? NO_STREAM : BigInt(headVersion);
}

/** -1 when the stream does not exist, like `EventStore.streamVersion`. */
export function currentStreamStateToVersion(state: CurrentStreamState): number {
  return state === NO_STREAM ? -1 : revisionToVersion(state);
}

export function wrongExpectedVersion(
  streamId: string,
  expected: ExpectedVersion,
  actualState: CurrentStreamState,
): WrongExpectedVersionError {
  return new WrongExpectedVersionError(
    streamId,
    expected,
    currentStreamStateToVersion(actualState),
  );
}

/**
 * KurrentDB filters on stream name or on event type, not both. Event types narrow far more
 * (the membership views want a handful of types; the `plan-` prefix matches every Yjs update
 * too), so the server filters by the exact types when there are any, else by the stream
 * prefix, else drops system events; `matchesFilter` checks the rest on the client.
 */
export function serverFilter(filter: AllFilter | undefined): Filter {
  if (filter?.eventTypes && filter.eventTypes.length > 0) {
    return eventTypeFilter({ regex: `^(?:${filter.eventTypes.map(escapeRegex).join('|')})$` });
  }
  if (filter?.streamPrefix) return streamNameFilter({ prefixes: [filter.streamPrefix] });
  return excludeSystemEvents();
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** System streams and event types (`$…`) are KurrentDB's own bookkeeping, never plan events. */
export function matchesFilter(
  record: Pick<KurrentRecord, 'streamId' | 'type'>,
  filter: AllFilter | undefined,
): boolean {
  if (isSystemStream(record.streamId) || record.type.startsWith('$')) return false;
  if (filter?.streamPrefix && !record.streamId.startsWith(filter.streamPrefix)) return false;
  if (
    filter?.eventTypes &&
    filter.eventTypes.length > 0 &&
    !filter.eventTypes.includes(record.type)
  ) {
    return false;
  }
  return true;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isBytes(value);
}

/**
 * By tag, not `instanceof`: the client's native reader creates its byte arrays in Node's main
 * realm, which is not the realm of code running in a vm context (jest).
 */
function isBytes(value: unknown): value is Uint8Array {
  return Object.prototype.toString.call(value) === '[object Uint8Array]';
}
