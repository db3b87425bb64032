/**
 * The PostgreSQL snapshot cache against a real server (TEST_DATABASE_URL): nodes starting
 * together on a fresh database, and what a node reads back. An unreachable server fails the run.
 */
import { PostgresSnapshotStore } from '@lib/collab/snapshots/postgres-snapshot-store';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres-database';

describe('PostgresSnapshotStore', () => {
  let db: TestDatabase;

  beforeEach(async () => {
    db = await createTestDatabase();
  });

  afterEach(async () => {
    await db.drop();
  });

  it('given six nodes opening a fresh database at once, when each creates the table, then all succeed and share it', async () => {
    const stores = await Promise.all(
      Array.from({ length: 6 }, () => PostgresSnapshotStore.open(db.url)),
    );
    try {
      await stores[0].save({
        planId: 'p1',
        version: 7,
        state: new Uint8Array([1, 2, 3]),
        createdAt: '2026-11-25T10:00:00.000Z',
      });
      expect(await stores[5].latest('p1')).toEqual({
        planId: 'p1',
        version: 7,
        state: new Uint8Array([1, 2, 3]),
        createdAt: '2026-11-25T10:00:00.000Z',
      });
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('given several snapshots, when reading at or below a version and pruning, then the newest fitting one is returned and only the newest kept', async () => {
    const store = await PostgresSnapshotStore.open(db.url);
    try {
      for (const version of [10, 20, 30]) {
        await store.save({
          planId: 'p1',
          version,
          state: new Uint8Array([version]),
          createdAt: new Date(Date.UTC(2026, 10, 25, 0, version)).toISOString(),
        });
      }
      expect((await store.latest('p1', 25))?.version).toBe(20);
      expect(await store.latest('p1', 5)).toBeUndefined();
      await store.prune('p1', 1);
      expect((await store.latest('p1', 25))?.version).toBeUndefined();
      expect((await store.latest('p1'))?.version).toBe(30);
    } finally {
      await store.close();
    }
  });
});
