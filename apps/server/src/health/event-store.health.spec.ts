/**
 * The event store's health after a write failed for real (SQLite made read-only): down while
 * the failure is recent, up again once an append writes, and up (still naming the failure)
 * once WRITE_FAILURE_HOLD_MS has passed without any write.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { HealthIndicatorService } from '@nestjs/terminus';
import { SQLITE_EVENTS_FILE, SqliteEventStore, type NewEvent } from '@lib/event-store';
import { EventStoreHealthIndicator, WRITE_FAILURE_HOLD_MS } from './event-store.health';

const event = (): NewEvent => ({
  id: randomUUID(),
  type: 'Noted',
  data: { n: 1 },
  metadata: { actor: 'alice', at: '2027-03-01T09:00:00.000Z' },
});

describe('EventStoreHealthIndicator', () => {
  let dataDir: string;
  let store: SqliteEventStore;
  let indicator: EventStoreHealthIndicator;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'plan-health-'));
    store = new SqliteEventStore({ file: join(dataDir, SQLITE_EVENTS_FILE) });
    indicator = new EventStoreHealthIndicator(store, new HealthIndicatorService());
  });
  afterEach(async () => {
    jest.useRealTimers();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** only Date moves; the store's own timers run for real */
  const clockAt = (time: number): void => {
    jest.useFakeTimers({
      now: time,
      doNotFake: [
        'nextTick',
        'setImmediate',
        'clearImmediate',
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
        'queueMicrotask',
      ],
    });
  };

  it('given a write the store could not make, when checked, then it is down while the failure is recent and up once an append writes', async () => {
    await store.appendToStream('plan-a', [event()]);
    expect((await indicator.check('eventStore')).eventStore).toMatchObject({
      status: 'up',
      writable: true,
      headPosition: 1,
    });

    await store.writerPragma('query_only = ON');
    await expect(store.appendToStream('plan-a', [event()])).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
    });
    expect((await indicator.check('eventStore')).eventStore).toMatchObject({
      status: 'down',
      reachable: true,
      writable: false,
      error: expect.stringMatching(/^last write failed: .*SQLITE_READONLY/),
    });

    await store.writerPragma('query_only = OFF');
    await store.appendToStream('plan-a', [event()]);
    expect((await indicator.check('eventStore')).eventStore).toMatchObject({
      status: 'up',
      writable: true,
      headPosition: 2,
    });
  });

  it('given a failed write and no write after it, when the hold has passed, then it is up again and still names the failure', async () => {
    const failedAt = Date.parse('2027-03-01T09:00:00.000Z');
    clockAt(failedAt);
    await store.writerPragma('query_only = ON');
    await expect(store.appendToStream('plan-a', [event()])).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
    });

    clockAt(failedAt + WRITE_FAILURE_HOLD_MS - 1);
    expect((await indicator.check('eventStore')).eventStore.status).toBe('down');

    clockAt(failedAt + WRITE_FAILURE_HOLD_MS);
    const later = (await indicator.check('eventStore')).eventStore;
    expect(later).toMatchObject({
      status: 'up',
      reachable: true,
      lastWriteFailure: { at: '2027-03-01T09:00:00.000Z' },
    });
    expect(later).not.toHaveProperty('writable');
  });
});
