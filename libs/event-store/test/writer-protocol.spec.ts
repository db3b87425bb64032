/** What crosses the boundary to the SQLite writer thread and back, through a real structured clone. */
import {
  DuplicateEventIdError,
  InvalidEventError,
  isDuplicateEventId,
  isStoreUnavailable,
  isWrongExpectedVersion,
  StoreUnavailableError,
  WrongExpectedVersionError,
} from '@lib/event-store';
import {
  decodeBatch,
  decodeError,
  encodeBatch,
  encodeError,
  withOwnedPayloads,
} from '../src/sqlite/writer-protocol';
import { binaryEvent, jsonEvent } from './event-store.contract';

/** as postMessage would deliver it */
const overTheBoundary = <T>(value: T): T => structuredClone(value);
const roundTrip = (error: unknown): Error => decodeError(overTheBoundary(encodeError(error)));

describe('sqlite writer protocol', () => {
  it('given each error the writer can answer with, when it crosses the boundary, then it is the same class with the same code, fields and message', () => {
    const unavailable = roundTrip(
      new StoreUnavailableError('sqlite', new Error('database or disk is full (SQLITE_FULL)')),
    );
    expect(isStoreUnavailable(unavailable)).toBe(true);
    expect(unavailable.message).toBe(
      'sqlite event store unavailable: database or disk is full (SQLITE_FULL)',
    );

    const conflict = roundTrip(new WrongExpectedVersionError('plan-a', 'no_stream', 3));
    expect(isWrongExpectedVersion(conflict)).toBe(true);
    expect(conflict).toMatchObject({ streamId: 'plan-a', expected: 'no_stream', actual: 3 });
    expect(conflict.message).toBe(new WrongExpectedVersionError('plan-a', 'no_stream', 3).message);

    const duplicate = roundTrip(new DuplicateEventIdError('plan-a', 'e-1', 'is stored in plan-b'));
    expect(isDuplicateEventId(duplicate)).toBe(true);
    expect(duplicate.message).toBe('stream plan-a: event id e-1 is stored in plan-b');

    const invalid = roundTrip(new InvalidEventError('plan-a', 'events[0].id', 'must be a UUID'));
    expect(invalid).toBeInstanceOf(InvalidEventError);
    expect(invalid).toMatchObject({ code: 'INVALID_EVENT', field: 'events[0].id' });
  });

  it('given an error of no known kind (a SQLite constraint, a bug), when it crosses, then name, message, stack and SQLite code survive', () => {
    const sqlite = Object.assign(new Error('UNIQUE constraint failed: events.id'), {
      name: 'SqliteError',
      code: 'SQLITE_CONSTRAINT_UNIQUE',
    });
    const decoded = roundTrip(sqlite);
    expect(decoded).toMatchObject({
      name: 'SqliteError',
      message: 'UNIQUE constraint failed: events.id',
      code: 'SQLITE_CONSTRAINT_UNIQUE',
    });
    expect(decoded.stack).toBe(sqlite.stack);
    expect(roundTrip('a thrown string').message).toBe('a thrown string');
  });

  it('given a batch with results and failures, when it crosses, then each caller gets its own result or its own typed error, in order', () => {
    const result = { nextExpectedVersion: 0, events: [{ id: 'e-1', version: 0, position: 7 }] };
    const row = {
      id: 'e-1',
      streamId: 'plan-a',
      type: 'PlanUpdated',
      schemaVersion: 1,
      version: 0,
      position: 7,
      hash: 'h1',
      prevHash: 'h0',
    };
    const decoded = decodeBatch(
      overTheBoundary(
        encodeBatch({
          headBefore: 6,
          committed: [row],
          outcomes: [
            { ok: true, value: result },
            { ok: false, error: new WrongExpectedVersionError('plan-b', 4, 5) },
          ],
        }),
      ),
    );
    expect(decoded.headBefore).toBe(6);
    expect(decoded.committed).toEqual([row]);
    expect(decoded.outcomes[0]).toEqual({ ok: true, value: result });
    const failed = decoded.outcomes[1];
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect(isWrongExpectedVersion(failed.error)).toBe(true);
  });

  it("given a binary payload that views part of a larger buffer, when its owned copy crosses, then only its bytes are copied and the caller's buffer is left alone", () => {
    const socketRead = Buffer.alloc(64 * 1024, 1);
    const update = socketRead.subarray(100, 220).fill(9);
    const json = jsonEvent();
    const requests = withOwnedPayloads([
      { streamId: 'plan-a', events: [binaryEvent(update), json], options: {} },
    ]);
    const [binary, same] = requests[0].events;
    expect(binary.data).toBeInstanceOf(Uint8Array);
    expect((binary.data as Uint8Array).buffer.byteLength).toBe(120);
    expect(Buffer.from(binary.data as Uint8Array)).toEqual(Buffer.alloc(120, 9));
    expect(same).toBe(json);

    const crossed = overTheBoundary(requests);
    expect((crossed[0].events[0].data as Uint8Array).buffer.byteLength).toBe(120);
    socketRead.fill(0);
    expect(Buffer.from(binary.data as Uint8Array)).toEqual(Buffer.alloc(120, 9));
  });
});
