/** Typed event-store errors with stable codes, mapped to HTTP/websocket codes at the edges. */
import type { ExpectedVersion } from './event-store.port';

export abstract class EventStoreError extends Error {
  abstract readonly code: string;
}

/** a deletion that would let the store hand out a global position again */
export class UnsafeStreamDeletionError extends EventStoreError {
  readonly code = 'UNSAFE_STREAM_DELETION';
  constructor(
    readonly streamId: string,
    readonly reason: string,
  ) {
    super(`stream ${streamId} cannot be deleted: ${reason}`);
  }
}

export class WrongExpectedVersionError extends EventStoreError {
  readonly code = 'WRONG_EXPECTED_VERSION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`stream ${streamId}: expected version ${String(expected)}, actual ${actual}`);
  }
}

/** An event id already stored with different content or in another stream. */
export class DuplicateEventIdError extends EventStoreError {
  readonly code = 'DUPLICATE_EVENT_ID';
  constructor(
    readonly streamId: string,
    readonly eventId: string,
    readonly reason: string,
  ) {
    super(`stream ${streamId}: event id ${eventId} ${reason}`);
  }
}

export class InvalidEventError extends EventStoreError {
  readonly code = 'INVALID_EVENT';
  constructor(
    readonly streamId: string,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`stream ${streamId}: ${field} ${reason}`);
  }
}

export class StoreUnavailableError extends EventStoreError {
  readonly code = 'STORE_UNAVAILABLE';
  constructor(
    readonly storeKind: string,
    cause: unknown,
  ) {
    super(
      `${storeKind} event store unavailable: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
  }
}

export const isWrongExpectedVersion = (e: unknown): e is WrongExpectedVersionError =>
  e instanceof WrongExpectedVersionError;
export const isDuplicateEventId = (e: unknown): e is DuplicateEventIdError =>
  e instanceof DuplicateEventIdError;
export const isStoreUnavailable = (e: unknown): e is StoreUnavailableError =>
  e instanceof StoreUnavailableError;
