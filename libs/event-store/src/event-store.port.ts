/**
 * The EventStore port: the one durable log every plan change is appended to.
 * Adapters (sqlite, postgres, kurrentdb) implement it and all pass test/event-store.contract.ts.
 */

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Event payloads are JSON objects or raw bytes (Yjs updates); bytes are stored as bytes. */
export type EventPayload = JsonObject | Uint8Array;

export interface EventMetadata {
  /** user id of whoever caused the event */
  readonly actor: string;
  /** ISO-8601 time the change was made */
  readonly at: string;
  readonly clientId?: string;
  readonly causationId?: string;
  readonly correlationId?: string;
  readonly [key: string]: JsonValue | undefined;
}

export interface NewEvent {
  /** caller-chosen UUID; the idempotency key */
  readonly id: string;
  readonly type: string;
  readonly data: EventPayload;
  readonly metadata: EventMetadata;
  /** payload schema version, upcast on read; defaults to 1 */
  readonly schemaVersion?: number;
}

export interface RecordedEvent {
  readonly id: string;
  readonly streamId: string;
  readonly type: string;
  readonly data: EventPayload;
  readonly metadata: EventMetadata;
  readonly schemaVersion: number;
  /** 0,1,2… contiguous per stream */
  readonly version: number;
  /** strictly increasing in commit order across all streams */
  readonly position: number;
  /** sha256(prevHash ‖ canonical(event)), hex */
  readonly hash: string;
  readonly prevHash: string;
}

/** `'no_stream'`: the stream must not exist; a number: the version of its last event. */
export type ExpectedVersion = number | 'no_stream' | 'any';

export interface AppendOptions {
  readonly expectedVersion?: ExpectedVersion;
}

export interface AppendedEvent {
  readonly id: string;
  readonly version: number;
  readonly position: number;
}

export interface AppendResult {
  /** version of the stream's last event after the append */
  readonly nextExpectedVersion: number;
  readonly events: readonly AppendedEvent[];
}

export interface ReadStreamOptions {
  /** forwards: first version to read (default 0); backwards: last version to read (default: end) */
  readonly fromVersion?: number;
  readonly direction?: 'forwards' | 'backwards';
  readonly maxCount?: number;
}

export interface AllFilter {
  /** only streams whose id starts with this prefix, e.g. `plan-` */
  readonly streamPrefix?: string;
  readonly eventTypes?: readonly string[];
}

export interface ReadAllOptions {
  /** read events strictly after this position; 0 reads from the start */
  readonly fromPosition?: number;
  readonly maxCount?: number;
  readonly filter?: AllFilter;
}

export interface SubscribeOptions {
  /** deliver events strictly after this position; 0 delivers from the start */
  readonly fromPosition?: number;
  readonly filter?: AllFilter;
}

/** Catch-up then live, in position order, no gap and no duplicate at the switch. */
export interface AllSubscription extends AsyncIterable<RecordedEvent> {
  /** ends the iteration; pending `next()` calls resolve as done */
  close(): Promise<void>;
}

export type VerifyResult =
  | {
      readonly ok: true;
      readonly streamId: string;
      readonly eventCount: number;
      readonly lastHash: string;
    }
  | {
      readonly ok: false;
      readonly streamId: string;
      readonly eventCount: number;
      readonly brokenAtVersion: number;
      readonly eventId: string;
      readonly reason: string;
    };

export type EventStoreKind = 'sqlite' | 'postgres' | 'kurrentdb';

/** Why the store's last write failed, and when. */
export interface WriteFailure {
  /** the StoreUnavailableError's message, e.g. `sqlite event store unavailable: database or disk is full (SQLITE_FULL)` */
  readonly reason: string;
  /** ISO-8601 time of the failure */
  readonly at: string;
}

export interface EventStore {
  readonly kind: EventStoreKind;
  appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeOptions): AllSubscription;
  verifyStream(streamId: string): Promise<VerifyResult>;
  /** position of the last committed event, 0 when the store is empty */
  headPosition(): Promise<number>;
  /** version of the stream's last event, or -1 when it does not exist */
  streamVersion(streamId: string): Promise<number>;
  /** throws when the backing store cannot be reached */
  ping(): Promise<void>;
  /**
   * The last append that failed because of the store itself (StoreUnavailableError: disk full,
   * read-only, I/O error, unreachable) until an append writes events again; undefined while
   * writes succeed. A caller's own error (wrong expected version, invalid event) does not count.
   * Reads, and so `ping`, can keep working while every append fails (a full disk).
   */
  lastWriteFailure(): WriteFailure | undefined;
  /**
   * Retention only (`npm run cli -- retention`): deletes every event of a stream whose last
   * version is `expectedVersion` (WrongExpectedVersionError otherwise) and returns how many.
   * Global positions are never handed out again; the deleted ones stay a gap. Optional:
   * stores that cannot do it (KurrentDB here) leave it undefined.
   */
  deleteStream?(streamId: string, expectedVersion: number): Promise<number>;
  close(): Promise<void>;
}
