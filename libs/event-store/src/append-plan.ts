/**
 * The store-independent rules of an append, decided from what the store already holds:
 * idempotent retry by event id, expected-version check, validation, and sealing the new
 * events into the stream's hash chain. SQL adapters call it inside their transaction.
 */
import { DuplicateEventIdError, InvalidEventError, WrongExpectedVersionError } from './errors';
import type {
  AppendOptions,
  AppendResult,
  AppendedEvent,
  NewEvent,
  RecordedEvent,
} from './event-store.port';
import { sealEvent } from './hash-chain';

export interface StoredEventRef {
  readonly streamId: string;
  readonly version: number;
  readonly position: number;
}

export interface StreamHead {
  /** -1 when the stream has no events */
  readonly version: number;
  readonly hash: string;
}

export type AppendPlan =
  | { readonly kind: 'retry'; readonly result: AppendResult }
  | { readonly kind: 'append'; readonly events: readonly Omit<RecordedEvent, 'position'>[] };

/**
 * Lower case only: the id is hashed into the chain and compared as text by some stores, while
 * PostgreSQL's uuid type and KurrentDB hand it back in lower case, so an upper-case id would
 * read back different from what was hashed (and miss its own idempotent retry).
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function validateAppend(streamId: string, events: readonly NewEvent[]): void {
  if (!streamId) throw new InvalidEventError(streamId, 'streamId', 'must not be empty');
  if (events.length === 0) throw new InvalidEventError(streamId, 'events', 'must not be empty');
  const ids = new Set<string>();
  for (const [i, event] of events.entries()) {
    if (!UUID.test(event.id))
      throw new InvalidEventError(streamId, `events[${i}].id`, 'must be a lower-case UUID');
    if (ids.has(event.id))
      throw new InvalidEventError(streamId, `events[${i}].id`, 'is repeated in the batch');
    ids.add(event.id);
    if (!event.type)
      throw new InvalidEventError(streamId, `events[${i}].type`, 'must not be empty');
    if (
      !event.metadata ||
      typeof event.metadata.actor !== 'string' ||
      typeof event.metadata.at !== 'string'
    ) {
      throw new InvalidEventError(streamId, `events[${i}].metadata`, 'must carry actor and at');
    }
  }
}

/**
 * `existing` holds the stored refs of those batch ids that are already in the store.
 * A batch whose ids are all stored, contiguously in this stream, is a retry: it returns
 * the original positions. Any other overlap is a conflict.
 */
export function planAppend(
  streamId: string,
  events: readonly NewEvent[],
  options: AppendOptions,
  existing: ReadonlyMap<string, StoredEventRef>,
  head: StreamHead,
): AppendPlan {
  if (existing.size > 0) {
    const refs: AppendedEvent[] = [];
    for (const event of events) {
      const ref = existing.get(event.id);
      if (!ref)
        throw new DuplicateEventIdError(
          streamId,
          [...existing.keys()][0],
          'was stored, but not the whole batch',
        );
      if (ref.streamId !== streamId)
        throw new DuplicateEventIdError(streamId, event.id, `is stored in ${ref.streamId}`);
      if (refs.length > 0 && ref.version !== refs[refs.length - 1].version + 1) {
        throw new DuplicateEventIdError(streamId, event.id, 'was stored in another batch');
      }
      refs.push({ id: event.id, version: ref.version, position: ref.position });
    }
    return {
      kind: 'retry',
      result: { nextExpectedVersion: refs[refs.length - 1].version, events: refs },
    };
  }

  const expected = options.expectedVersion ?? 'any';
  const conflict =
    (expected === 'no_stream' && head.version !== -1) ||
    (typeof expected === 'number' && expected !== head.version);
  if (conflict) throw new WrongExpectedVersionError(streamId, expected, head.version);

  let prevHash = head.hash;
  const sealed = events.map((event, i) => {
    const recorded = sealEvent(streamId, head.version + 1 + i, prevHash, event);
    prevHash = recorded.hash;
    return recorded;
  });
  return { kind: 'append', events: sealed };
}
