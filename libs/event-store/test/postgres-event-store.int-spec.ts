/**
 * The PostgreSQL adapter against a real server (TEST_DATABASE_URL, default
 * postgres@127.0.0.1:5432/test): the shared contract, with group commit on and off, plus what
 * only this adapter has (LISTEN reconnect, savepoints per request, connection errors).
 * Every suite runs in a database of its own; an unreachable server fails the run.
 */
import { tmpdir } from 'node:os';
import { randomUUID } from 'node:crypto';
import {
  isStoreUnavailable,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '@lib/event-store';
import { PostgresEventStore } from '@lib/event-store/postgres/postgres-event-store';
import { listenerPids, withClient } from './postgres-sessions';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres-database';
import { binaryEvent, describeEventStoreContract, jsonEvent } from './event-store.contract';
import type { ContractHarness } from './event-store.contract';

function postgresHarness(groupCommit: boolean): () => Promise<ContractHarness> {
  return async () => {
    const db = await createTestDatabase();
    return {
      settings: { eventStore: 'postgres', dataDir: tmpdir(), databaseUrl: db.url, groupCommit },
      contiguousPositions: true,
      open: () =>
        PostgresEventStore.open({
          connectionString: db.url,
          groupCommit: { enabled: groupCommit },
        }),
      tamper: (streamId, version) =>
        withClient(db.url, async (client) => {
          const { rowCount } = await client.query(
            `UPDATE events
                SET data = convert_to(jsonb_set(convert_from(data, 'UTF8')::jsonb, '{title}', '"tampered"')::text, 'UTF8')
              WHERE stream_id = $1 AND version = $2 AND data_kind = 'json'`,
            [streamId, version],
          );
          if (rowCount !== 1) {
            throw new Error(`no JSON event ${streamId}@${version} to tamper with`);
          }
        }),
      dispose: () => db.drop(),
    };
  };
}

describeEventStoreContract('postgres', postgresHarness(true));
describeEventStoreContract('postgres, one transaction per append', postgresHarness(false));

/** next event from an iterator, or a failure naming what did not arrive in time */
async function nextWithin(
  iterator: AsyncIterator<RecordedEvent>,
  timeoutMs: number,
  what: string,
): Promise<RecordedEvent> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not arrive within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    const result = await Promise.race([iterator.next(), timeout]);
    if (result.done) throw new Error(`subscription ended before ${what}`);
    return result.value;
  } finally {
    clearTimeout(timer);
  }
}

describe('postgres event store', () => {
  let db: TestDatabase;
  const opened: EventStore[] = [];
  const open = async (
    options: { pollIntervalMs?: number; groupCommit?: { enabled: boolean } } = {},
  ) => {
    const store = await PostgresEventStore.open({ connectionString: db.url, ...options });
    opened.push(store);
    return store;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    await db?.drop();
  });

  it('given four stores opening a fresh database at once, when each creates the schema, then all succeed', async () => {
    const fresh = await createTestDatabase();
    try {
      const stores = await Promise.all(
        Array.from({ length: 4 }, () => PostgresEventStore.open({ connectionString: fresh.url })),
      );
      await stores[0].appendToStream(`plan-${randomUUID()}`, [jsonEvent()]);
      expect(await stores[3].headPosition()).toBe(1);
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await fresh.drop();
    }
  });

  it('given one batch of requests to the same stream, when planned together, then each sees the ones before it as if committed alone', async () => {
    const store = await open();
    const stream = `plan-${randomUUID()}`;
    const first = [jsonEvent('PlanCreated')];
    const results = await Promise.allSettled([
      store.appendToStream(stream, first, { expectedVersion: 'no_stream' }),
      store.appendToStream(stream, [jsonEvent()], { expectedVersion: 0 }),
      store.appendToStream(stream, [jsonEvent()], { expectedVersion: 0 }),
      store.appendToStream(stream, first, { expectedVersion: 'no_stream' }),
      store.appendToStream(stream, [jsonEvent(), jsonEvent()]),
    ]);
    const [created, second, stale, retried, any] = results;
    expect(created).toMatchObject({ status: 'fulfilled', value: { nextExpectedVersion: 0 } });
    expect(second).toMatchObject({ status: 'fulfilled', value: { nextExpectedVersion: 1 } });
    expect(stale).toMatchObject({
      status: 'rejected',
      reason: { code: 'WRONG_EXPECTED_VERSION', actual: 1 },
    });
    expect(retried).toEqual(created);
    expect(any).toMatchObject({ status: 'fulfilled', value: { nextExpectedVersion: 3 } });
    expect(await store.verifyStream(stream)).toMatchObject({ ok: true, eventCount: 4 });
  });

  it('given a batch where one request carries metadata jsonb refuses, when committed together, then only that request fails and positions stay gapless', async () => {
    const store = await open();
    const from = await store.headPosition();
    const bad: NewEvent = {
      ...jsonEvent(),
      metadata: { actor: 'mallory', at: '2027-03-01T09:00:00.000Z', note: 'a\u0000b' },
    };
    const streams = Array.from({ length: 5 }, () => `plan-${randomUUID()}`);
    const results = await Promise.allSettled(
      streams.map((s, i) =>
        store.appendToStream(s, i === 2 ? [jsonEvent(), bad] : [jsonEvent(), jsonEvent()]),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({
      code: 'INVALID_EVENT',
      field: 'metadata',
    });
    const all = await store.readAll({ fromPosition: from });
    expect(all.map((e) => e.position)).toEqual(Array.from({ length: 8 }, (_, i) => from + 1 + i));
    expect(await store.headPosition()).toBe(from + 8);
    expect(await store.streamVersion(streams[2])).toBe(-1);
  });

  it('given JSON payloads PostgreSQL jsonb could not hold, when stored, then they read back exactly and the chain verifies', async () => {
    const store = await open();
    const stream = `plan-${randomUUID()}`;
    const data = {
      text: 'nul \u0000 and lone \ud800 surrogate',
      big: 12345678901234567890,
      nested: { b: 1, a: [1.5, 'x'] },
    };
    await store.appendToStream(stream, [{ ...jsonEvent(), data }, binaryEvent(new Uint8Array(0))]);
    const [json, empty] = await store.readStream(stream);
    expect(json.data).toEqual(data);
    expect(empty.data).toBeInstanceOf(Uint8Array);
    expect((empty.data as Uint8Array).byteLength).toBe(0);
    expect(await store.verifyStream(stream)).toMatchObject({ ok: true, eventCount: 2 });
  });

  it('given the LISTEN connection is killed, when another store appends, then the listener reconnects and wakes the subscriber without waiting for a poll', async () => {
    const store = await open({ pollIntervalMs: 60_000 });
    const writer = await open();
    const prefix = `listen${randomUUID().slice(0, 8)}-`;
    const subscription = store.subscribeToAll({
      fromPosition: await store.headPosition(),
      filter: { streamPrefix: prefix },
    });
    const iterator = subscription[Symbol.asyncIterator]();
    try {
      const first = nextWithin(iterator, 5_000, 'the first event');
      await writer.appendToStream(`${prefix}a`, [jsonEvent()]);
      await first;

      const killed = await listenerPids(db.url);
      expect(killed.length).toBeGreaterThanOrEqual(2);
      await withClient(db.url, (c) =>
        c.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [killed]),
      );
      let reconnected: number[] = [];
      for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
        reconnected = (await listenerPids(db.url)).filter((pid) => !killed.includes(pid));
        if (reconnected.length >= killed.length) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(reconnected).toHaveLength(killed.length);

      const next = nextWithin(iterator, 5_000, 'the event appended after the reconnect');
      const appended = await writer.appendToStream(`${prefix}b`, [jsonEvent()]);
      expect((await next).position).toBe(appended.events[0].position);
    } finally {
      await subscription.close();
    }
  });

  it('given group commit is off, when 20 appends run concurrently, then they use several connections and positions are gapless', async () => {
    const store = await open({ groupCommit: { enabled: false } });
    const from = await store.headPosition();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => store.appendToStream(`plan-${randomUUID()}`, [jsonEvent()])),
    );
    const positions = results.map((r) => r.events[0].position).sort((a, b) => a - b);
    expect(positions).toEqual(Array.from({ length: 20 }, (_, i) => from + 1 + i));
    const connections = await withClient(db.url, async (c) =>
      Number(
        (
          await c.query<{ n: string }>(
            `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'plan-event-store'`,
          )
        ).rows[0].n,
      ),
    );
    expect(connections).toBeGreaterThan(1);
  });

  it('given an open subscription, when the store closes, then the subscription ends and calls fail as unavailable', async () => {
    const store = await PostgresEventStore.open({ connectionString: db.url });
    const subscription = store.subscribeToAll({ fromPosition: await store.headPosition() });
    const iterator = subscription[Symbol.asyncIterator]();
    const pending = iterator.next();
    await store.close();
    expect(await pending).toEqual({ done: true, value: undefined });
    const error = await store.ping().catch((e: unknown) => e);
    expect(isStoreUnavailable(error)).toBe(true);
    await expect(store.appendToStream(`plan-${randomUUID()}`, [jsonEvent()])).rejects.toMatchObject(
      {
        code: 'STORE_UNAVAILABLE',
      },
    );
  });

  it('given no server on the port, when opening, then StoreUnavailableError says so', async () => {
    const url = new URL(db.url);
    url.port = '1';
    const error = await PostgresEventStore.open({
      connectionString: url.toString(),
      connectTimeoutMs: 2_000,
    }).catch((e: unknown) => e);
    expect(isStoreUnavailable(error)).toBe(true);
    expect(String(error)).toMatch(/postgres event store unavailable/);
  });
});
