import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadModelStore } from '../src/store/sqlite-read-model-store';

describe('SQLite read-model store, transactions queued together', () => {
  let dir: string;
  let store: SqliteReadModelStore;
  let observer: Database.Database;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'read-models-'));
    const file = join(dir, 'read-models.sqlite');
    store = new SqliteReadModelStore({ file });
    await store.migrate(['CREATE TABLE rows (projection TEXT, n INTEGER)']);
    observer = new Database(file, { readonly: true });
  });
  afterEach(async () => {
    observer.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Every commit appends the pages it changed, and a commit frame, to the write-ahead log: nine
   * commits of a row each write nine frames of the same page, one commit writes it once.
   */
  const walBytes = (): number => statSync(`${join(dir, 'read-models.sqlite')}-wal`).size;
  const rows = () =>
    observer.prepare('SELECT projection, n FROM rows ORDER BY projection, n').all() as Array<{
      projection: string;
      n: number;
    }>;

  it('given nine projectors flushing in the same turn, then their batches commit as one SQLite transaction and each resolves with its own value', async () => {
    const pageBytes = observer.pragma('page_size', { simple: true }) as number;
    const before = walBytes();
    const values = await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        store.transaction(async (session) => {
          await session.run('INSERT INTO rows VALUES (?, ?)', [`p${i}`, i]);
          return i * 10;
        }),
      ),
    );
    expect(values).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80]);
    // one frame is a page and a 24-byte header
    expect(walBytes() - before).toBe(pageBytes + 24);
    expect(rows()).toHaveLength(9);
  });

  it('given batch windows closing on timers of the same turn, then their batches still commit together', async () => {
    const pageBytes = observer.pragma('page_size', { simple: true }) as number;
    const before = walBytes();
    await Promise.all(
      Array.from(
        { length: 9 },
        (_, i) =>
          new Promise((resolve, reject) =>
            setTimeout(() => {
              // like a projector: a few awaits between the window closing and the transaction
              void Promise.resolve()
                .then(() => undefined)
                .then(() =>
                  store.transaction((session) =>
                    session.run('INSERT INTO rows VALUES (?, ?)', [`p${i}`, i]),
                  ),
                )
                .then(resolve, reject);
            }, 5),
          ),
      ),
    );
    // on a loaded machine the timers may fall into two turns: still far from nine commits
    expect(walBytes() - before).toBeLessThanOrEqual(2 * (pageBytes + 24));
    expect(rows()).toHaveLength(9);
  });

  it('given one batch of the group failing half-way, then only its rows roll back, it alone rejects, and the others commit', async () => {
    const outcomes = await Promise.allSettled([
      store.transaction((session) => session.run('INSERT INTO rows VALUES (?, ?)', ['a', 1])),
      store.transaction(async (session) => {
        await session.run('INSERT INTO rows VALUES (?, ?)', ['b', 1]);
        throw new Error('checkpoint moved');
      }),
      store.transaction((session) => session.run('INSERT INTO rows VALUES (?, ?)', ['c', 1])),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toEqual(new Error('checkpoint moved'));
    expect(rows()).toEqual([
      { projection: 'a', n: 1 },
      { projection: 'c', n: 1 },
    ]);
  });

  it('given a transaction queued while a group is committing, then it commits in the next group, after it', async () => {
    const order: string[] = [];
    let second: Promise<unknown> | undefined;
    await store.transaction(async (session) => {
      await session.run('INSERT INTO rows VALUES (?, ?)', ['first', 1]);
      second = store.transaction(async (s) => {
        order.push('second');
        return s.run('INSERT INTO rows VALUES (?, ?)', ['second', 2]);
      });
      order.push('first');
    });
    await second;
    expect(order).toEqual(['first', 'second']);
    expect(rows()).toHaveLength(2);
  });
});
