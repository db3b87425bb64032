/**
 * The PostgreSQL snapshot cache on a network that stops answering without resetting anything
 * (a loopback proxy that black-holes a real server's traffic): a read gives up after the query
 * timeout instead of hanging the plan load, and the store works again once packets flow.
 */
import { PostgresSnapshotStore } from '@lib/collab/snapshots/postgres-snapshot-store';
import { failureOf } from '../../../test/support/timed-failure';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres-database';
import { startTcpProxy, viaProxy, type TcpProxy } from '../../../test/support/tcp-proxy';

const QUERY_TIMEOUT_MS = 1_000;

describe('PostgresSnapshotStore and the query timeout', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let store: PostgresSnapshotStore | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    const target = new URL(db.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  });
  afterAll(async () => {
    await proxy?.close();
    await store?.close();
    await db?.drop();
  });

  it('given the network black-holes, when reading a snapshot, then it fails after about the query timeout; when packets flow again, snapshots are saved and read', async () => {
    store = await PostgresSnapshotStore.open(viaProxy(db.url, proxy), {
      queryTimeoutMs: QUERY_TIMEOUT_MS,
    });
    const snapshot = {
      planId: 'p1',
      version: 3,
      state: new Uint8Array([1, 2, 3]),
      createdAt: '2027-03-01T09:00:00.000Z',
    };
    await store.save(snapshot);

    proxy.blackHole();
    const { error, ms } = await failureOf(() => store!.latest('p1'));
    proxy.up();
    expect(String(error)).toMatch(/timeout/i);
    expect(ms).toBeLessThan(3 * QUERY_TIMEOUT_MS);

    await store.save({ ...snapshot, version: 4 });
    expect(await store.latest('p1')).toMatchObject({ planId: 'p1', version: 4 });
  });
});
