/**
 * The KurrentDB adapter's pure parts: the event codec (write/read round trips as the client
 * stores and returns them), position and expected-version mapping, filters, error mapping,
 * and the subscription wrapper over a fake native stream. The adapter against a real server
 * is kurrentdb-event-store.int-spec.ts.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { PassThrough } from 'node:stream';
import { runInNewContext } from 'node:vm';
import {
  NO_STREAM,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError as KurrentWrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type EventData,
} from '@kurrent/kurrentdb-client';
import {
  ChainVerifier,
  GENESIS_HASH,
  sealEvent,
  StoreUnavailableError,
  WrongExpectedVersionError,
  type NewEvent,
  type RecordedEvent,
} from '@lib/event-store';
import { KurrentDbEventStore } from '@lib/event-store/kurrentdb/kurrentdb-event-store';
import {
  KurrentDbAllSubscription,
  type NativeAllSubscription,
} from '@lib/event-store/kurrentdb/kurrentdb-all-subscription';
import {
  appendStreamState,
  commitToPosition,
  currentStreamStateToVersion,
  decodeRecord,
  encodeEvent,
  matchesFilter,
  positionToReadPosition,
  serverFilter,
  UnreadableEventError,
  wrongExpectedVersion,
  type KurrentRecord,
} from '@lib/event-store/kurrentdb/kurrentdb-codec';
import { toStoreError } from '@lib/event-store/kurrentdb/kurrentdb-event-store';

const at = '2027-03-01T09:00:00.000Z';

function newEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    id: randomUUID(),
    type: 'TaskAdded',
    data: { title: 'Kick-off', durationDays: 3 },
    metadata: { actor: 'alice', at, clientId: 'c1' },
    ...overrides,
  };
}

/** What the client hands back after storing `data`: JSON re-parsed, bytes copied, a revision and a position. */
function asStored(
  streamId: string,
  data: EventData,
  revision: number,
  commit: bigint,
): KurrentRecord {
  const isJson = data.contentType === 'application/json';
  return {
    streamId,
    id: data.id,
    type: data.type,
    revision: BigInt(revision),
    isJson,
    data: isJson ? JSON.parse(JSON.stringify(data.data)) : Uint8Array.from(data.data as Uint8Array),
    metadata: JSON.parse(JSON.stringify(data.metadata)),
    position: { commit },
  };
}

describe('kurrentdb event codec', () => {
  it('given a sealed JSON event, when encoded and read back, then it decodes to the same event at its commit position', () => {
    const sealed = sealEvent('plan-1', 0, GENESIS_HASH, newEvent());
    const data = encodeEvent(sealed);
    expect(data).toMatchObject({
      id: sealed.id,
      type: 'TaskAdded',
      contentType: 'application/json',
    });

    const decoded = decodeRecord(asStored('plan-1', data, 0, 4096n));
    expect(decoded).toEqual({ ...sealed, position: 4096 });
    expect(new ChainVerifier('plan-1').push(decoded)).toBe(true);
  });

  it('given a binary payload, when encoded and read back, then it is an octet-stream event whose bytes come back as a Uint8Array', () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    const sealed = sealEvent(
      'plan-1',
      3,
      'a'.repeat(64),
      newEvent({ type: 'PlanUpdated', data: bytes }),
    );
    const data = encodeEvent(sealed);
    expect(data.contentType).toBe('application/octet-stream');

    const decoded = decodeRecord(asStored('plan-1', data, 3, 9000n));
    expect(decoded.data).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(decoded.data as Uint8Array)).toEqual(Buffer.from(bytes));
    // the client's native reader makes its byte arrays in another realm than jest's
    const foreignRealm = runInNewContext('new Uint8Array([0, 1, 2, 250, 255])') as Uint8Array;
    expect(foreignRealm instanceof Uint8Array).toBe(false);
    const fromNative = decodeRecord({ ...asStored('plan-1', data, 3, 9000n), data: foreignRealm });
    expect(Buffer.from(fromNative.data as Uint8Array)).toEqual(Buffer.from(bytes));
    expect(decoded).toMatchObject({
      version: 3,
      prevHash: 'a'.repeat(64),
      hash: sealed.hash,
      schemaVersion: 1,
    });
  });

  it('given caller metadata with keys named like the chain fields, when round-tripped, then neither side overwrites the other', () => {
    const event = newEvent({
      schemaVersion: 2,
      metadata: {
        actor: 'bob',
        at,
        hash: 'caller-hash',
        schemaVersion: 'caller',
        correlationId: 'corr-1',
      },
    });
    const sealed = sealEvent('plan-2', 0, GENESIS_HASH, event);
    const data = encodeEvent(sealed);
    // KurrentDB's own correlation projection and UI read `$correlationId` from the metadata
    expect(data.metadata).toMatchObject({
      $correlationId: 'corr-1',
      hash: sealed.hash,
      schemaVersion: 2,
    });

    const decoded = decodeRecord(asStored('plan-2', data, 0, 1n));
    expect(decoded.metadata).toEqual(event.metadata);
    expect(decoded.schemaVersion).toBe(2);
    expect(decoded.hash).toBe(sealed.hash);
  });

  it('given an event appended around the adapter with a forged payload under a valid-looking hash, when verified, then the chain breaks at it', () => {
    const first = sealEvent('plan-3', 0, GENESIS_HASH, newEvent());
    const second = sealEvent('plan-3', 1, first.hash, newEvent());
    const forged = encodeEvent({ ...second, data: { title: 'forged' } });

    const verifier = new ChainVerifier('plan-3');
    expect(verifier.push(decodeRecord(asStored('plan-3', encodeEvent(first), 0, 10n)))).toBe(true);
    expect(verifier.push(decodeRecord(asStored('plan-3', forged, 1, 20n)))).toBe(false);
    expect(verifier.result()).toMatchObject({ ok: false, brokenAtVersion: 1, eventId: second.id });
    const result = verifier.result();
    if (!result.ok) expect(result.reason).toMatch(/hash/);
  });

  it('given records that are not ours, when decoded, then an UnreadableEventError names stream, version and the problem', () => {
    const base: KurrentRecord = {
      streamId: 'plan-4',
      id: randomUUID(),
      type: 'TaskAdded',
      revision: 7n,
      isJson: true,
      data: { title: 'x' },
      metadata: { actor: 'alice', at },
      position: { commit: 1n },
    };
    const valid = JSON.parse(
      JSON.stringify(encodeEvent(sealEvent('plan-4', 7, GENESIS_HASH, newEvent())).metadata),
    );

    const noEnvelope = (() => decodeRecord(base)) as () => RecordedEvent;
    expect(noEnvelope).toThrow(UnreadableEventError);
    expect(noEnvelope).toThrow(/plan-4.*version 7.*schemaVersion/);
    expect(() => decodeRecord({ ...base, metadata: undefined })).toThrow(
      /not a hash-chain envelope/,
    );
    expect(() => decodeRecord({ ...base, metadata: new Uint8Array([1]) })).toThrow(
      /not a hash-chain envelope/,
    );
    expect(() => decodeRecord({ ...base, metadata: valid, data: '{not json' })).toThrow(
      /JSON data is not an object/,
    );
    expect(() => decodeRecord({ ...base, metadata: valid, data: [1, 2] })).toThrow(
      /JSON data is not an object/,
    );
    expect(() => decodeRecord({ ...base, metadata: valid, isJson: false, data: 'text' })).toThrow(
      /not bytes/,
    );
    expect(() => decodeRecord({ ...base, metadata: { ...valid, metadata: { at } } })).toThrow(
      /actor and at/,
    );
    expect(() => decodeRecord({ ...base, metadata: valid, position: undefined })).toThrow(
      /commit position/,
    );
    expect(decodeRecord({ ...base, metadata: valid, position: undefined }, 77n).position).toBe(77);
  });
});

describe('kurrentdb positions and expected versions', () => {
  it('given commit positions, when mapped, then they are exact numbers and read positions point at the same record', () => {
    expect(commitToPosition(0n)).toBe(0);
    expect(commitToPosition(123_456_789_012n)).toBe(123_456_789_012);
    expect(commitToPosition(BigInt(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => commitToPosition(BigInt(Number.MAX_SAFE_INTEGER) + 1n)).toThrow(RangeError);
    expect(positionToReadPosition(4096)).toEqual({ commit: 4096n, prepare: 4096n });
  });

  it('given each expected version, when appending after a head, then the stream state sent pins the head', () => {
    expect(appendStreamState('no_stream', -1)).toBe(NO_STREAM);
    expect(appendStreamState(3, 3)).toBe(3n);
    // 'any' is sent as the head it was sealed after, so a concurrent append cannot fork the chain
    expect(appendStreamState('any', -1)).toBe(NO_STREAM);
    expect(appendStreamState('any', 41)).toBe(41n);
  });

  it("given the client's WrongExpectedVersionError, when mapped, then ours names the stream, our expectation and the actual version", () => {
    const clientError = new KurrentWrongExpectedVersionError(undefined, {
      streamName: 'plan-5',
      expected: 0n,
      current: 1n,
    });
    const mapped = wrongExpectedVersion('plan-5', 0, clientError.actualState);
    expect(mapped).toBeInstanceOf(WrongExpectedVersionError);
    expect(mapped).toMatchObject({
      streamId: 'plan-5',
      expected: 0,
      actual: 1,
      code: 'WRONG_EXPECTED_VERSION',
    });
    expect(currentStreamStateToVersion(NO_STREAM)).toBe(-1);
    expect(wrongExpectedVersion('plan-5', 'any', NO_STREAM)).toMatchObject({
      expected: 'any',
      actual: -1,
    });
  });
});

describe('kurrentdb $all filters', () => {
  const record = (streamId: string, type: string) => ({ streamId, type });

  it('given a stream prefix and event types, when filtering, then the server narrows by the exact types (not every plan- event) and the client checks the prefix', () => {
    const filter = { streamPrefix: 'plan-', eventTypes: ['MemberAdded', 'MemberRemoved'] };
    expect(serverFilter(filter)).toMatchObject({
      filterOn: 'eventType',
      regex: '^(?:MemberAdded|MemberRemoved)$',
    });
    expect(matchesFilter(record('plan-1', 'MemberAdded'), filter)).toBe(true);
    expect(matchesFilter(record('plan-1', 'MemberAddedLater'), filter)).toBe(false);
    expect(matchesFilter(record('other-1', 'MemberAdded'), filter)).toBe(false);
  });

  it('given only event types, some with regex characters, when filtering, then the server matches each whole type literally', () => {
    const filter = { eventTypes: ['RiskAdded', 'Task.Added$v2'] };
    const { regex } = serverFilter(filter) as unknown as { regex: string };
    expect(regex).toBe('^(?:RiskAdded|Task\\.Added\\$v2)$');
    expect(new RegExp(regex).test('Task.Added$v2')).toBe(true);
    expect(new RegExp(regex).test('TaskXAdded$v2')).toBe(false);
    expect(new RegExp(regex).test('RiskAddedTwice')).toBe(false);
    expect(matchesFilter(record('x', 'RiskAdded'), filter)).toBe(true);
    expect(matchesFilter(record('x', 'RiskAddedTwice'), filter)).toBe(false);
  });

  it('given only a stream prefix, when filtering, then the server narrows by that prefix', () => {
    expect(serverFilter({ streamPrefix: 'plan-' })).toMatchObject({
      filterOn: 'streamName',
      prefixes: ['plan-'],
    });
  });

  it('given no filter, when filtering, then only system events are left out', () => {
    expect(serverFilter(undefined)).toMatchObject({ filterOn: 'eventType', regex: '^[^$].*' });
    expect(matchesFilter(record('plan-1', 'PlanCreated'), undefined)).toBe(true);
    expect(matchesFilter(record('$$plan-1', 'PlanCreated'), undefined)).toBe(false);
    expect(matchesFilter(record('plan-1', '$metadata'), undefined)).toBe(false);
    expect(matchesFilter(record('plan-1', 'PlanCreated'), { eventTypes: [] })).toBe(true);
  });
});

describe('kurrentdb error mapping', () => {
  it('given connection failures from the client, when mapped, then they become StoreUnavailableError and others pass unchanged', () => {
    expect(toStoreError(new UnavailableError())).toBeInstanceOf(StoreUnavailableError);
    // raw gRPC errors (status UNAVAILABLE) reach us unconverted from the append path
    const raw = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });
    expect(toStoreError(raw)).toBeInstanceOf(StoreUnavailableError);
    const unknown = new UnknownError();
    expect(toStoreError(unknown)).toBe(unknown);
  });

  it('given no KurrentDB listening on the port, when the store is opened, then it fails with StoreUnavailableError', async () => {
    const port = await freePort();
    const error = await KurrentDbEventStore.open({
      connectionString: `kurrentdb://127.0.0.1:${port}?tls=false`,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', storeKind: 'kurrentdb' });
  }, 30_000);
});

describe('kurrentdb $all subscription wrapper', () => {
  type FakeSource = PassThrough & { unsubscribed: boolean };

  function fakeSource(): FakeSource {
    const source = new PassThrough({ objectMode: true }) as FakeSource;
    source.unsubscribed = false;
    Object.assign(source, {
      unsubscribe: async () => {
        source.unsubscribed = true;
      },
    });
    return source;
  }

  let commit = 1000n;
  function resolved(
    streamId: string,
    type = 'TaskAdded',
    commitAt = commit++,
  ): AllStreamResolvedEvent {
    const sealed = sealEvent(streamId, 0, GENESIS_HASH, newEvent({ type }));
    const record = asStored(streamId, encodeEvent(sealed), 0, commitAt);
    const position = { commit: commitAt, prepare: commitAt };
    return {
      event: { ...record, created: new Date(0), position },
    } as unknown as AllStreamResolvedEvent;
  }

  function subscribe(
    source: FakeSource,
    fromPosition: number,
    streamPrefix?: string,
  ): KurrentDbAllSubscription {
    return new KurrentDbAllSubscription(source as unknown as NativeAllSubscription, {
      fromPosition,
      filter: streamPrefix ? { streamPrefix } : undefined,
      mapError: toStoreError,
    });
  }

  it('given events around the start position and other streams, when iterated, then only later matching events come, in order, once', async () => {
    const source = fakeSource();
    const subscription = subscribe(source, 2000, 'plan-');
    const iterator = subscription[Symbol.asyncIterator]();
    const atStart = resolved('plan-a', 'TaskAdded', 2000n);
    const later = resolved('plan-a', 'TaskAdded', 2100n);
    source.write(atStart);
    source.write(resolved('other-a', 'TaskAdded', 2050n));
    source.write(resolved('$$plan-a', '$metadata', 2060n));
    source.write(later);
    source.write(later);
    const last = resolved('plan-b', 'RiskAdded', 2200n);
    source.write(last);

    expect((await iterator.next()).value).toMatchObject({ id: later.event?.id, position: 2100 });
    expect((await iterator.next()).value).toMatchObject({
      id: last.event?.id,
      position: 2200,
      type: 'RiskAdded',
    });
    const pending = iterator.next();
    await subscription.close();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(source.unsubscribed).toBe(true);
    expect(source.destroyed).toBe(true);
  });

  it('given a connection failure after some events, when iterated, then those events come first and then StoreUnavailableError', async () => {
    const source = fakeSource();
    const subscription = subscribe(source, 0);
    const first = resolved('plan-c');
    source.write(first);
    await new Promise((resolve) => setImmediate(resolve));
    source.destroy(new UnavailableError());

    const seen: RecordedEvent[] = [];
    const error = await (async () => {
      for await (const event of subscription) seen.push(event);
    })().catch((e: unknown) => e);
    expect(seen.map((e) => e.id)).toEqual([first.event?.id]);
    expect(error).toBeInstanceOf(StoreUnavailableError);
  });

  it('given the server ends the stream, when iterated, then the end is reported as StoreUnavailableError, not as a finished subscription', async () => {
    const source = fakeSource();
    const subscription = subscribe(source, 0);
    source.end();
    const error = await (async () => {
      for await (const _ of subscription) break;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
  });

  it('given a consumer that breaks out of the loop, when it does, then the native subscription is cancelled', async () => {
    const source = fakeSource();
    const subscription = subscribe(source, 0);
    source.write(resolved('plan-d'));
    for await (const _ of subscription) break;
    expect(source.unsubscribed).toBe(true);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
