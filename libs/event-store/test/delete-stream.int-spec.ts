/**
 * Retention's deletion on the stores that support it (SQLite, PostgreSQL): a whole stream goes,
 * only at the version the caller saw, and no global position is ever handed out again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SqliteEventStore,
  UnsafeStreamDeletionError,
  WrongExpectedVersionError,
  type EventStore,
} from '../src';
import { PostgresEventStore } from '../src/postgres/postgres-event-store';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres-database';
import { jsonEvent } from './event-store.contract';

const cases: [string, () => Promise<{ store: EventStore; cleanup: () => Promise<void> }>][] = [
  [
    'sqlite',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'delete-stream-'));
      const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
      return {
        store,
        cleanup: async () => {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  ],
  [
    'postgres',
    async () => {
      const db: TestDatabase = await createTestDatabase();
      const store = await PostgresEventStore.open({ connectionString: db.url });
      return {
        store,
        cleanup: async () => {
          await store.close();
          await db.drop();
        },
      };
    },
  ],
];

describe.each(cases)('deleteStream (%s)', (kind, open) => {
  it('given a stream followed by another, when deleted at its version, then it is gone and new positions stay above the old ones', async () => {
    const { store, cleanup } = await open();
    try {
      await store.appendToStream('plan-a', [jsonEvent('A1'), jsonEvent('A2')]);
      await store.appendToStream('plan-b', [jsonEvent('B1')]);
      const headBefore = await store.headPosition();
      await expect(store.deleteStream!('plan-a', 0)).rejects.toBeInstanceOf(
        WrongExpectedVersionError,
      );
      expect(await store.deleteStream!('plan-a', 1)).toBe(2);
      expect(await store.streamVersion('plan-a')).toBe(-1);
      expect((await store.readAll()).map((e) => e.streamId)).toEqual(['plan-b']);
      const next = await store.appendToStream('plan-c', [jsonEvent('C1')]);
      expect(next.events[0].position).toBeGreaterThan(headBefore);
      expect((await store.verifyStream('plan-b')).ok).toBe(true);
    } finally {
      await cleanup();
    }
  });

  if (kind === 'sqlite')
    it('given the stream holding the newest event, when deleted, then it is refused (its position would be reused)', async () => {
      const { store, cleanup } = await open();
      try {
        await store.appendToStream('plan-a', [jsonEvent('A1')]);
        await expect(store.deleteStream!('plan-a', 0)).rejects.toBeInstanceOf(
          UnsafeStreamDeletionError,
        );
      } finally {
        await cleanup();
      }
    });
});
