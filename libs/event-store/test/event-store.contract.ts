/**
 * The one contract every EventStore adapter passes. Adapter specs call
 * `describeEventStoreContract` with a harness that opens the adapter on a fresh database.
 */
import { randomUUID } from 'node:crypto';
import type { EventStore, EventStoreSettings, NewEvent, RecordedEvent } from '@lib/event-store';
import {
  isDuplicateEventId,
  isWrongExpectedVersion,
  WrongExpectedVersionError,
} from '@lib/event-store';
import { collect, runChildWriter, startChildWriter } from './child-writer.harness';

export interface ContractHarness {
  /** settings a child process passes to openEventStore to reach the same database */
  readonly settings: EventStoreSettings;
  /** KurrentDB commit positions are ordered but not contiguous */
  readonly contiguousPositions: boolean;
  open(): Promise<EventStore>;
  /** changes a stored event's payload behind the store's back */
  tamper(streamId: string, version: number): Promise<void>;
  dispose(): Promise<void>;
}

const now = '2027-03-01T09:00:00.000Z';

export function jsonEvent(
  type = 'TaskAdded',
  data: Record<string, string | number> = { title: 'Kick-off' },
): NewEvent {
  return { id: randomUUID(), type, data, metadata: { actor: 'alice', at: now, clientId: 'c1' } };
}

export function binaryEvent(bytes: Uint8Array): NewEvent {
  return {
    id: randomUUID(),
    type: 'PlanUpdated',
    data: bytes,
    metadata: { actor: 'bob', at: now },
  };
}

function expectOrdered(events: readonly RecordedEvent[], contiguous: boolean): void {
  for (let i = 1; i < events.length; i++) {
    if (contiguous) expect(events[i].position).toBe(events[i - 1].position + 1);
    else expect(events[i].position).toBeGreaterThan(events[i - 1].position);
  }
}

export function describeEventStoreContract(
  name: string,
  createHarness: () => Promise<ContractHarness>,
): void {
  describe(`${name} event store contract`, () => {
    let harness: ContractHarness;
    let store: EventStore;
    let stream: string;

    beforeAll(async () => {
      harness = await createHarness();
      store = await harness.open();
    });
    afterAll(async () => {
      await store?.close();
      await harness?.dispose();
    });
    beforeEach(() => {
      stream = `plan-${randomUUID()}`;
    });

    it('given an empty stream, when events are appended, then they read back with contiguous versions', async () => {
      const events = [
        jsonEvent('PlanCreated', { title: 'CRM' }),
        jsonEvent(),
        binaryEvent(new Uint8Array([1, 2, 3])),
      ];
      const result = await store.appendToStream(stream, events);
      expect(result.nextExpectedVersion).toBe(2);
      expect(result.events.map((e) => e.version)).toEqual([0, 1, 2]);

      const read = await store.readStream(stream);
      expect(read.map((e) => e.id)).toEqual(events.map((e) => e.id));
      expect(read.map((e) => e.version)).toEqual([0, 1, 2]);
      expect(read.map((e) => e.position)).toEqual(result.events.map((e) => e.position));
      expect(read[0].data).toEqual({ title: 'CRM' });
      expect(read[0].metadata).toMatchObject({ actor: 'alice', at: now, clientId: 'c1' });
      expect(read[0].schemaVersion).toBe(1);
      expect(Buffer.from(read[2].data as Uint8Array)).toEqual(Buffer.from([1, 2, 3]));
      expect(read[2].data).toBeInstanceOf(Uint8Array);
      expectOrdered(read, harness.contiguousPositions);
      expect(await store.streamVersion(stream)).toBe(2);
      expect(await store.streamVersion(`plan-${randomUUID()}`)).toBe(-1);
      expect(await store.headPosition()).toBeGreaterThanOrEqual(result.events[2].position);
    });

    it('given a stored batch, when the same batch is appended again, then it is a no-op returning the original positions', async () => {
      const events = [jsonEvent(), jsonEvent()];
      const first = await store.appendToStream(stream, events);
      const retry = await store.appendToStream(stream, events, { expectedVersion: 'no_stream' });
      expect(retry).toEqual(first);
      expect(await store.readStream(stream)).toHaveLength(2);
    });

    it('given a stored event, when a batch repeats only some of its ids, then the append is refused and nothing is stored', async () => {
      const stored = jsonEvent();
      await store.appendToStream(stream, [stored]);
      const error = await store
        .appendToStream(stream, [jsonEvent(), stored])
        .catch((e: unknown) => e);
      expect(isDuplicateEventId(error)).toBe(true);
      const other = await store
        .appendToStream(`plan-${randomUUID()}`, [stored])
        .catch((e: unknown) => e);
      expect(isDuplicateEventId(other)).toBe(true);
      expect(await store.readStream(stream)).toHaveLength(1);
    });

    it('given an event id in upper case, when appended, then it is refused as invalid (stores hand UUIDs back in lower case)', async () => {
      const event = { ...jsonEvent(), id: randomUUID().toUpperCase() };
      const error = await store.appendToStream(stream, [event]).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'INVALID_EVENT', field: 'events[0].id' });
      expect(await store.streamVersion(stream)).toBe(-1);
    });

    it('given a stream at version 1, when appending with a stale expected version, then WrongExpectedVersion names expected and actual', async () => {
      await store.appendToStream(stream, [jsonEvent(), jsonEvent()], {
        expectedVersion: 'no_stream',
      });
      const error = await store
        .appendToStream(stream, [jsonEvent()], { expectedVersion: 0 })
        .catch((e: unknown) => e);
      expect(isWrongExpectedVersion(error)).toBe(true);
      expect(error).toMatchObject({
        streamId: stream,
        expected: 0,
        actual: 1,
        code: 'WRONG_EXPECTED_VERSION',
      });
      const noStream = await store
        .appendToStream(stream, [jsonEvent()], { expectedVersion: 'no_stream' })
        .catch((e: unknown) => e as WrongExpectedVersionError);
      expect(noStream).toMatchObject({ expected: 'no_stream', actual: 1 });
      const ok = await store.appendToStream(stream, [jsonEvent()], { expectedVersion: 1 });
      expect(ok.nextExpectedVersion).toBe(2);
    });

    it('given appends refused because of the caller (stale expected version, duplicate id, invalid id), then lastWriteFailure stays empty: only the store failing to write counts', async () => {
      const stored = jsonEvent();
      await store.appendToStream(stream, [stored]);
      expect(store.lastWriteFailure()).toBeUndefined();
      const refusals = await Promise.allSettled([
        store.appendToStream(stream, [jsonEvent()], { expectedVersion: 'no_stream' }),
        store.appendToStream(stream, [jsonEvent(), stored]),
        store.appendToStream(stream, [{ ...jsonEvent(), id: 'not-a-uuid' }]),
      ]);
      expect(refusals.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect(store.lastWriteFailure()).toBeUndefined();
    });

    it('given a stream of 10 events, when read backwards or from a version with a max count, then the right slice comes back', async () => {
      await store.appendToStream(
        stream,
        Array.from({ length: 10 }, () => jsonEvent()),
      );
      expect(
        (await store.readStream(stream, { fromVersion: 4, maxCount: 3 })).map((e) => e.version),
      ).toEqual([4, 5, 6]);
      expect(
        (await store.readStream(stream, { direction: 'backwards', maxCount: 2 })).map(
          (e) => e.version,
        ),
      ).toEqual([9, 8]);
      expect(
        (await store.readStream(stream, { direction: 'backwards', fromVersion: 3 })).map(
          (e) => e.version,
        ),
      ).toEqual([3, 2, 1, 0]);
      expect(await store.readStream(`plan-${randomUUID()}`)).toEqual([]);
    });

    it('given events in several streams, when reading $all from a position with a filter, then only matching later events come back in order', async () => {
      const prefix = `p${randomUUID().slice(0, 8)}-`;
      const before = await store.headPosition();
      await store.appendToStream(`${prefix}a`, [jsonEvent('TaskAdded'), jsonEvent('RiskAdded')]);
      await store.appendToStream(`other-${randomUUID()}`, [jsonEvent('TaskAdded')]);
      await store.appendToStream(`${prefix}b`, [jsonEvent('TaskAdded')]);

      const all = await store.readAll({ fromPosition: before, filter: { streamPrefix: prefix } });
      expect(all.map((e) => [e.streamId, e.type])).toEqual([
        [`${prefix}a`, 'TaskAdded'],
        [`${prefix}a`, 'RiskAdded'],
        [`${prefix}b`, 'TaskAdded'],
      ]);
      const tasks = await store.readAll({
        fromPosition: before,
        filter: { streamPrefix: prefix, eventTypes: ['TaskAdded'] },
      });
      expect(tasks).toHaveLength(2);
      const page = await store.readAll({
        fromPosition: all[0].position,
        maxCount: 1,
        filter: { streamPrefix: prefix },
      });
      expect(page.map((e) => e.id)).toEqual([all[1].id]);
    });

    it('given streams whose ids differ only in case, when $all is read and followed with a prefix filter, then the prefix matches case-sensitively both ways', async () => {
      const tag = randomUUID().slice(0, 8);
      const prefix = `case${tag}-`;
      const before = await store.headPosition();
      const subscription = store.subscribeToAll({
        fromPosition: before,
        filter: { streamPrefix: prefix },
      });
      const received = collect(subscription, 2);
      await store.appendToStream(`${prefix}a`, [jsonEvent('TaskAdded')]);
      await store.appendToStream(`CASE${tag}-a`, [jsonEvent('TaskAdded')]);
      await store.appendToStream(`${prefix}b`, [jsonEvent('TaskAdded')]);
      const live = await received;
      await subscription.close();
      const read = await store.readAll({ fromPosition: before, filter: { streamPrefix: prefix } });
      expect(read.map((e) => e.streamId)).toEqual([`${prefix}a`, `${prefix}b`]);
      expect(live.map((e) => e.streamId)).toEqual([`${prefix}a`, `${prefix}b`]);
    });

    it('given 50 concurrent appenders, when one of them has a stale expected version, then only that one fails and all others get gapless positions', async () => {
      const streams = Array.from({ length: 50 }, () => `plan-${randomUUID()}`);
      await store.appendToStream(streams[7], [jsonEvent()]);
      const results = await Promise.allSettled(
        streams.map((s, i) =>
          store.appendToStream(s, [jsonEvent()], { expectedVersion: i === 7 ? 5 : 'any' }),
        ),
      );
      expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
      expect(isWrongExpectedVersion((results[7] as PromiseRejectedResult).reason)).toBe(true);
      const positions = results
        .flatMap((r) => (r.status === 'fulfilled' ? r.value.events.map((e) => e.position) : []))
        .sort((a, b) => a - b);
      expect(new Set(positions).size).toBe(49);
      expect(await store.streamVersion(streams[7])).toBe(0);
    });

    it('given a 1 MiB binary payload, when stored, then it reads back byte for byte', async () => {
      const bytes = new Uint8Array(1024 * 1024);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) % 256;
      await store.appendToStream(stream, [binaryEvent(bytes)]);
      const [read] = await store.readStream(stream);
      expect(Buffer.compare(Buffer.from(read.data as Uint8Array), Buffer.from(bytes))).toBe(0);
      expect((await store.verifyStream(stream)).ok).toBe(true);
    });

    it('given a hash-chained stream, when a stored payload is edited in the database, then verify names the first broken version', async () => {
      await store.appendToStream(stream, [
        jsonEvent(),
        binaryEvent(new Uint8Array([9, 9])),
        jsonEvent(),
        jsonEvent(),
      ]);
      const good = await store.verifyStream(stream);
      expect(good).toMatchObject({ ok: true, eventCount: 4 });
      const read = await store.readStream(stream);
      expect(read[1].prevHash).toBe(read[0].hash);

      await harness.tamper(stream, 2);
      const bad = await store.verifyStream(stream);
      expect(bad).toMatchObject({ ok: false, brokenAtVersion: 2, eventId: read[2].id });
      if (!bad.ok) expect(bad.reason).toMatch(/hash/);
    });

    it('given events already stored, when subscribing while others append, then catch-up switches to live without gap or duplicate', async () => {
      const prefix = `sub${randomUUID().slice(0, 8)}-`;
      const from = await store.headPosition();
      for (let i = 0; i < 20; i++)
        await store.appendToStream(`${prefix}${i % 3}`, [jsonEvent(), jsonEvent()]);

      const subscription = store.subscribeToAll({
        fromPosition: from,
        filter: { streamPrefix: prefix },
      });
      const received = collect(subscription, 160);
      const live = (async () => {
        for (let i = 0; i < 40; i++) {
          await Promise.all([
            store.appendToStream(`${prefix}${i % 5}`, [jsonEvent()]),
            store.appendToStream(`${prefix}x${i % 2}`, [jsonEvent(), jsonEvent()]),
          ]);
        }
      })();
      await live;
      const events = await received;
      await subscription.close();

      expect(events).toHaveLength(160);
      expect(new Set(events.map((e) => e.id)).size).toBe(160);
      for (let i = 1; i < events.length; i++)
        expect(events[i].position).toBeGreaterThan(events[i - 1].position);
      const all = await store.readAll({ fromPosition: from, filter: { streamPrefix: prefix } });
      expect(events.map((e) => e.id)).toEqual(all.map((e) => e.id));
    });

    it('given a live subscriber, when binary (a view into a larger buffer) and JSON events are appended, then it receives each event exactly as a read returns it, and the buffer it came from can be reused', async () => {
      const prefix = `exact${randomUUID().slice(0, 8)}-`;
      const from = await store.headPosition();
      const subscription = store.subscribeToAll({
        fromPosition: from,
        filter: { streamPrefix: prefix },
      });
      const received = collect(subscription, 4);
      const socketRead = Buffer.alloc(4096, 1);
      const update = socketRead.subarray(1000, 1120).fill(7);
      await store.appendToStream(`${prefix}a`, [
        binaryEvent(update),
        {
          ...jsonEvent('TaskAdded', { title: 'Design', hours: 12 }),
          // as stored: a member left undefined is dropped, a date becomes its ISO text
          metadata: { actor: 'alice', at: now, reason: undefined, when: new Date(0) } as never,
        },
      ]);
      socketRead.fill(0);
      await store.appendToStream(`${prefix}b`, [jsonEvent(), binaryEvent(Uint8Array.of(1, 2, 3))]);
      const events = await received;
      await subscription.close();

      const read = await store.readAll({ fromPosition: from, filter: { streamPrefix: prefix } });
      expect(read).toHaveLength(4);
      const comparable = (e: RecordedEvent) => ({
        ...e,
        data: e.data instanceof Uint8Array ? Buffer.from(e.data).toString('hex') : e.data,
      });
      expect(events.map(comparable)).toEqual(read.map(comparable));
      expect(Buffer.from(events[0].data as Uint8Array)).toEqual(Buffer.alloc(120, 7));
      expect(events[1].metadata).toEqual({
        actor: 'alice',
        at: now,
        when: new Date(0).toISOString(),
      });
    });
    it('given two writer processes, when they append concurrently, then a subscriber sees every event once with strictly ordered positions', async () => {
      const prefix = `mp${randomUUID().slice(0, 8)}-`;
      const from = await store.headPosition();
      const subscription = store.subscribeToAll({
        fromPosition: from,
        filter: { streamPrefix: prefix },
      });
      const received = collect(subscription, 400);
      const writers = await Promise.all([
        runChildWriter(harness.settings, {
          streamPrefix: `${prefix}a-`,
          events: 200,
          concurrency: 8,
        }),
        runChildWriter(harness.settings, {
          streamPrefix: `${prefix}b-`,
          events: 200,
          concurrency: 8,
        }),
      ]);
      const events = await received;
      await subscription.close();

      const acked = writers.flatMap((w) => w.acks.map((a) => a.id));
      expect(acked).toHaveLength(400);
      expect(new Set(events.map((e) => e.id))).toEqual(new Set(acked));
      expectOrdered(events, false);
      if (harness.contiguousPositions) {
        const all = await store.readAll({ fromPosition: from });
        expectOrdered(all, true);
      }
    }, 120_000);

    it('given a writer process killed with SIGKILL mid-append, when the store is reopened, then every acknowledged event is there and chains verify', async () => {
      const prefix = `kill${randomUUID().slice(0, 8)}-`;
      const writer = startChildWriter(harness.settings, {
        streamPrefix: prefix,
        events: 100_000,
        concurrency: 16,
      });
      await writer.waitForAcks(300);
      writer.kill('SIGKILL');
      const { acks } = await writer.exited;

      const reopened = await harness.open();
      try {
        const stored = await reopened.readAll({ filter: { streamPrefix: prefix } });
        const storedIds = new Set(stored.map((e) => e.id));
        const missing = acks.filter((a) => !storedIds.has(a.id));
        expect(acks.length).toBeGreaterThanOrEqual(300);
        expect(missing).toEqual([]);
        for (const s of new Set(stored.map((e) => e.streamId))) {
          expect(await reopened.verifyStream(s)).toMatchObject({ ok: true });
        }
        await reopened.appendToStream(`${prefix}after`, [jsonEvent()]);
      } finally {
        await reopened.close();
      }
    }, 120_000);
  });
}
