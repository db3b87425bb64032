/**
 * Messages between the SQLite store (event loop) and its writer thread. They cross the thread
 * boundary by structured clone, which keeps Uint8Array payloads binary but keeps no class:
 * errors travel as plain data and are rebuilt as the store's own error classes, so
 * `isWrongExpectedVersion`, `isStoreUnavailable`… hold on the caller's side.
 *
 *   worker:  port.postMessage({ id, ok: true, value: encodeBatch(writer.writeBatch(requests)) })
 *   store:   const batch = decodeBatch(reply.value as EncodedBatch)
 */
import {
  DuplicateEventIdError,
  InvalidEventError,
  StoreUnavailableError,
  UnsafeStreamDeletionError,
  WrongExpectedVersionError,
} from '../errors';
import type { AppendResult, ExpectedVersion } from '../event-store.port';
import type { BatchOutcome } from '../group-commit';
import type { AppendRequest, CommittedRow, WrittenBatch } from './sqlite-event-writer';

export interface WriterSettings {
  readonly file: string;
  readonly busyTimeoutMs: number;
}

export interface WriterWorkerData {
  readonly settings: WriterSettings;
}

export type WriterCommand =
  | { readonly type: 'append'; readonly id: number; readonly requests: readonly AppendRequest[] }
  | { readonly type: 'pragma'; readonly id: number; readonly source: string }
  | {
      readonly type: 'deleteStream';
      readonly id: number;
      readonly streamId: string;
      readonly expectedVersion: number;
    }
  | { readonly type: 'close'; readonly id: number };

/** `value` is what the command's handler returned: EncodedBatch for `append` */
export type WriterReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: EncodedError };

export type EncodedError =
  | { readonly code: 'STORE_UNAVAILABLE'; readonly cause: string }
  | {
      readonly code: 'WRONG_EXPECTED_VERSION';
      readonly streamId: string;
      readonly expected: ExpectedVersion;
      readonly actual: number;
    }
  | {
      readonly code: 'DUPLICATE_EVENT_ID';
      readonly streamId: string;
      readonly eventId: string;
      readonly reason: string;
    }
  | {
      readonly code: 'INVALID_EVENT';
      readonly streamId: string;
      readonly field: string;
      readonly reason: string;
    }
  /** anything else (a bug, SQLITE_CORRUPT…): name, message, stack and SQLite code kept */
  | { readonly code: 'UNSAFE_STREAM_DELETION'; readonly streamId: string; readonly reason: string }
  | {
      readonly code: 'UNEXPECTED';
      readonly name: string;
      readonly message: string;
      readonly stack?: string;
      readonly sqliteCode?: string;
    };

type EncodedOutcome =
  | { readonly ok: true; readonly value: AppendResult }
  | { readonly ok: false; readonly error: EncodedError };

export interface EncodedBatch {
  readonly outcomes: readonly EncodedOutcome[];
  readonly headBefore: number;
  readonly committed: readonly CommittedRow[];
}

export function encodeError(error: unknown): EncodedError {
  if (error instanceof StoreUnavailableError) {
    const cause = error.cause instanceof Error ? error.cause.message : String(error.cause);
    return { code: 'STORE_UNAVAILABLE', cause };
  }
  if (error instanceof WrongExpectedVersionError) {
    const { streamId, expected, actual } = error;
    return { code: 'WRONG_EXPECTED_VERSION', streamId, expected, actual };
  }
  if (error instanceof DuplicateEventIdError) {
    const { streamId, eventId, reason } = error;
    return { code: 'DUPLICATE_EVENT_ID', streamId, eventId, reason };
  }
  if (error instanceof UnsafeStreamDeletionError) {
    const { streamId, reason } = error;
    return { code: 'UNSAFE_STREAM_DELETION', streamId, reason };
  }
  if (error instanceof InvalidEventError) {
    const { streamId, field, reason } = error;
    return { code: 'INVALID_EVENT', streamId, field, reason };
  }
  const { name, message, stack, code } = (error ?? {}) as Partial<Error> & { code?: unknown };
  return {
    code: 'UNEXPECTED',
    name: typeof name === 'string' ? name : 'Error',
    message: typeof message === 'string' ? message : String(error),
    stack: typeof stack === 'string' ? stack : undefined,
    sqliteCode: typeof code === 'string' ? code : undefined,
  };
}

export function decodeError(encoded: EncodedError): Error {
  switch (encoded.code) {
    case 'STORE_UNAVAILABLE':
      return new StoreUnavailableError('sqlite', new Error(encoded.cause));
    case 'WRONG_EXPECTED_VERSION':
      return new WrongExpectedVersionError(encoded.streamId, encoded.expected, encoded.actual);
    case 'DUPLICATE_EVENT_ID':
      return new DuplicateEventIdError(encoded.streamId, encoded.eventId, encoded.reason);
    case 'INVALID_EVENT':
      return new InvalidEventError(encoded.streamId, encoded.field, encoded.reason);
    case 'UNSAFE_STREAM_DELETION':
      return new UnsafeStreamDeletionError(encoded.streamId, encoded.reason);
    case 'UNEXPECTED': {
      const error = Object.assign(new Error(encoded.message), { code: encoded.sqliteCode });
      error.name = encoded.name;
      if (encoded.stack) error.stack = encoded.stack;
      return error;
    }
    default: {
      const unknownCode: never = encoded;
      throw new Error(`unknown writer error ${JSON.stringify(unknownCode)}`);
    }
  }
}

export function encodeBatch(batch: WrittenBatch): EncodedBatch {
  return {
    headBefore: batch.headBefore,
    committed: batch.committed,
    outcomes: batch.outcomes.map((outcome) =>
      outcome.ok ? outcome : { ok: false, error: encodeError(outcome.error) },
    ),
  };
}

export function decodeBatch(encoded: EncodedBatch): WrittenBatch {
  return {
    headBefore: encoded.headBefore,
    committed: encoded.committed,
    outcomes: encoded.outcomes.map((outcome): BatchOutcome<AppendResult> =>
      outcome.ok ? outcome : { ok: false, error: decodeError(outcome.error) },
    ),
  };
}

/**
 * The requests with each binary payload copied into a buffer of its own, exactly its bytes. A
 * structured clone copies a view's whole backing buffer (a Buffer slice of a socket's 64 KiB
 * read, a pooled 8 KiB allocation), so the writer is sent these copies; the store keeps them as
 * the recorded events' payloads, which then hold no socket buffer alive either.
 */
export function withOwnedPayloads(requests: readonly AppendRequest[]): AppendRequest[] {
  return requests.map((request) => ({
    ...request,
    events: request.events.map((event) =>
      event.data instanceof Uint8Array ? { ...event, data: new Uint8Array(event.data) } : event,
    ),
  }));
}
