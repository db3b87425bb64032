/**
 * The PostgreSQL adapter on a network that stops answering without resetting anything (a
 * partition, a dead middlebox): the store reaches a real server through a loopback proxy that
 * black-holes its traffic. Without a query timeout an append would hang until TCP gives up;
 * with one it fails as StoreUnavailableError after about `queryTimeoutMs` and is never
 * acknowledged, the store works again once packets flow, and a transaction abandoned mid-append
 * does not hold the position lock (and so every other writer) for longer than the timeout.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { isStoreUnavailable, type RecordedEvent } from '@lib/event-store';
import { PostgresEventStore } from '@lib/event-store/postgres/postgres-event-store';
import { failureOf } from '../../../test/support/timed-failure';
import { listenerPids, withClient } from './postgres-sessions';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres-database';
import { startTcpProxy, viaProxy, type TcpProxy } from '../../../test/support/tcp-proxy';
import { jsonEvent } from './event-store.contract';

const QUERY_TIMEOUT_MS = 1_000;

async function countEvents(url: string, streamId: string): Promise<number> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ n: string }>(
      'SELECT count(*) AS n FROM events WHERE stream_id = $1',
      [streamId],
    );
    return Number(rows[0].n);
  });
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${what} within ${timeoutMs} ms`);
}

describe('postgres event store behind a network that stops answering', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  const opened: PostgresEventStore[] = [];
  const open = async (
    connectionString: string,
    options: { queryTimeoutMs?: number; pollIntervalMs?: number } = {},
  ): Promise<PostgresEventStore> => {
    const store = await PostgresEventStore.open({
      connectionString,
      connectTimeoutMs: QUERY_TIMEOUT_MS,
      queryTimeoutMs: QUERY_TIMEOUT_MS,
      ...options,
    });
    opened.push(store);
    return store;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  beforeEach(async () => {
    const target = new URL(db.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  });
  afterEach(async () => {
    // the proxy first: a store's close() waits for connections the black hole still holds
    await proxy.close();
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('given the network black-holes, when appending, then each append fails as StoreUnavailableError after about the query timeout and nothing is stored; when packets flow again, appends succeed without reopening the store', async () => {
    const store = await open(viaProxy(db.url, proxy));
    const stream = `plan-${randomUUID()}`;
    await store.appendToStream(stream, [jsonEvent('PlanCreated')]);

    proxy.blackHole();
    // three callers in one group-commit batch, which hangs on its first statement
    const started = Date.now();
    const appends = await Promise.allSettled(
      [0, 1, 2].map(() => store.appendToStream(stream, [jsonEvent()])),
    );
    const appendMs = Date.now() - started;
    for (const outcome of appends) {
      expect(outcome.status).toBe('rejected');
      const reason = (outcome as PromiseRejectedResult).reason as Error;
      expect(isStoreUnavailable(reason)).toBe(true);
      expect(reason.message).toMatch(/postgres event store unavailable: .*timeout/i);
    }
    expect(appendMs).toBeGreaterThanOrEqual(QUERY_TIMEOUT_MS - 50);
    expect(appendMs).toBeLessThan(3 * QUERY_TIMEOUT_MS);
    // reads and the health ping give up the same way
    const ping = await failureOf(() => store.ping());
    expect(isStoreUnavailable(ping.error)).toBe(true);
    expect(ping.ms).toBeLessThan(3 * QUERY_TIMEOUT_MS);
    const read = await failureOf(() => store.readStream(stream));
    expect(isStoreUnavailable(read.error)).toBe(true);
    expect(await countEvents(db.url, stream)).toBe(1);

    proxy.up();
    const after = await store.appendToStream(stream, [jsonEvent()]);
    expect(after.nextExpectedVersion).toBe(1);
    expect((await store.readStream(stream)).map((e) => e.version)).toEqual([0, 1]);
    expect(await store.verifyStream(stream)).toMatchObject({ ok: true, eventCount: 2 });
    console.log(
      `black-holed append failed after ${appendMs} ms, ping after ${ping.ms} ms (query timeout ${QUERY_TIMEOUT_MS} ms)`,
    );
  });

  it('given an append whose network black-holes while it holds the position lock, when another node appends, then the server ends the abandoned transaction after the timeout and the other append succeeds', async () => {
    const partitioned = await open(viaProxy(db.url, proxy));
    // the other node reaches the database directly and waits far longer than the timeout
    const other = await open(db.url, { queryTimeoutMs: 10 * QUERY_TIMEOUT_MS });
    await partitioned.appendToStream(`plan-${randomUUID()}`, [jsonEvent()]);

    // Hold the lock so that the partitioned append is parked in BEGIN_AND_LOCK, then cut its
    // network and let go: its backend takes the lock, answers into the black hole and sits
    // idle in its transaction, exactly as if the network had failed right after the lock.
    const holder = new Client({ connectionString: db.url });
    await holder.connect();
    const stream = `plan-${randomUUID()}`;
    let parked: Promise<unknown> | undefined;
    try {
      await holder.query('BEGIN; SELECT value FROM event_position_counter FOR UPDATE');
      parked = partitioned.appendToStream(stream, [jsonEvent()]).catch((e: unknown) => e);
      await until(
        async () =>
          (
            await holder.query<{ n: string }>(
              `SELECT count(*) AS n FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock'`,
            )
          ).rows[0].n === '1',
        QUERY_TIMEOUT_MS / 2,
        'the partitioned append did not wait for the lock',
      );
      proxy.blackHole();
    } finally {
      await holder.query('COMMIT');
      await holder.end();
    }
    await until(
      () =>
        withClient(db.url, async (c) => {
          const { rows } = await c.query<{ n: string }>(
            `SELECT count(*) AS n FROM pg_stat_activity
              WHERE datname = current_database() AND state = 'idle in transaction'`,
          );
          return rows[0].n === '1';
        }),
      QUERY_TIMEOUT_MS / 2,
      'the partitioned backend did not take the lock',
    );

    const started = Date.now();
    const appended = await other.appendToStream(`plan-${randomUUID()}`, [jsonEvent()]);
    const waitedMs = Date.now() - started;
    expect(appended.events).toHaveLength(1);
    expect(waitedMs).toBeLessThan(3 * QUERY_TIMEOUT_MS);
    expect(isStoreUnavailable(await parked)).toBe(true);
    expect(await countEvents(db.url, stream)).toBe(0);

    proxy.up();
    await partitioned.appendToStream(stream, [jsonEvent()]);
    expect(await countEvents(db.url, stream)).toBe(1);
    console.log(
      `an append behind a lock held by a partitioned transaction waited ${waitedMs} ms (query timeout ${QUERY_TIMEOUT_MS} ms)`,
    );
  });

  it('given a short query timeout, when the store sits idle for several timeouts, then its LISTEN connection is the same session and still wakes subscribers at once', async () => {
    const store = await open(db.url, { queryTimeoutMs: 200, pollIntervalMs: 60_000 });
    const writer = await open(db.url);
    const before = await listenerPids(db.url);
    const prefix = `idle${randomUUID().slice(0, 8)}-`;
    const subscription = store.subscribeToAll({
      fromPosition: await store.headPosition(),
      filter: { streamPrefix: prefix },
    });
    const iterator = subscription[Symbol.asyncIterator]();
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await listenerPids(db.url)).toEqual(before);

      const started = Date.now();
      const next: Promise<IteratorResult<RecordedEvent>> = iterator.next();
      const appended = await writer.appendToStream(`${prefix}a`, [jsonEvent()]);
      const woken = await next;
      expect(woken.value?.position).toBe(appended.events[0].position);
      // a poll would take a minute; only the notification is this fast
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await subscription.close();
    }
  });
});
