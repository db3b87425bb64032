/**
 * The PostgreSQL read-model store on a network that stops answering without resetting anything
 * (a loopback proxy that black-holes a real server's traffic): pooled statements give up after
 * the query timeout as ReadModelStoreUnavailableError and work again once packets flow, while a
 * projector's lease, a session that holds an advisory lock and sits idle, is not touched by it.
 */
import { isReadModelStoreUnavailable, type ProjectionLease } from '@lib/projections';
import { PostgresReadModelStore } from '@lib/projections/store/postgres-read-model-store';
import { failureOf } from '../../../test/support/timed-failure';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres-database';
import { startTcpProxy, viaProxy, type TcpProxy } from '../../../test/support/tcp-proxy';

const QUERY_TIMEOUT_MS = 1_000;

describe('postgres read-model store and the query timeout', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  const opened: PostgresReadModelStore[] = [];
  const open = (connectionString: string, queryTimeoutMs = QUERY_TIMEOUT_MS) => {
    const store = new PostgresReadModelStore({
      connectionString,
      connectTimeoutMs: QUERY_TIMEOUT_MS,
      queryTimeoutMs,
    });
    opened.push(store);
    return store;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const target = new URL(db.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  });
  afterAll(async () => {
    await proxy?.close();
    await Promise.all(opened.map((s) => s.close()));
    await db?.drop();
  });

  it('given the network black-holes, when reading or writing in a transaction, then each fails as unavailable after about the query timeout; when packets flow again, both work', async () => {
    const store = open(viaProxy(db.url, proxy));
    await store.migrate(['CREATE TABLE IF NOT EXISTS timeout_rows (id TEXT PRIMARY KEY)']);
    await store.run('INSERT INTO timeout_rows (id) VALUES (?)', ['before']);

    proxy.blackHole();
    try {
      const read = await failureOf(() => store.all('SELECT id FROM timeout_rows'));
      expect(isReadModelStoreUnavailable(read.error)).toBe(true);
      expect(String(read.error)).toMatch(/timeout/i);
      expect(read.ms).toBeLessThan(3 * QUERY_TIMEOUT_MS);
      const write = await failureOf(() =>
        store.transaction((session) =>
          session.run('INSERT INTO timeout_rows (id) VALUES (?)', ['during']),
        ),
      );
      expect(isReadModelStoreUnavailable(write.error)).toBe(true);
      expect(write.ms).toBeLessThan(3 * QUERY_TIMEOUT_MS);
    } finally {
      proxy.up();
    }

    await store.transaction((session) =>
      session.run('INSERT INTO timeout_rows (id) VALUES (?)', ['after']),
    );
    const rows = await store.all<{ id: string }>('SELECT id FROM timeout_rows ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual(['after', 'before']);
  });

  it('given a lease and a short query timeout, when the lease sits idle for several timeouts, then it is neither lost nor free for another node', async () => {
    const holder = open(db.url, 200);
    const other = open(db.url, 200);
    const lease = (await holder.tryLease('timeline')) as ProjectionLease;
    expect(lease).toBeDefined();
    let lost = false;
    void lease.lost.then(() => (lost = true));

    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(lost).toBe(false);
    expect(await other.tryLease('timeline')).toBeUndefined();

    await lease.release();
    const taken = await other.tryLease('timeline');
    expect(taken).toBeDefined();
    await taken?.release();
  });
});
