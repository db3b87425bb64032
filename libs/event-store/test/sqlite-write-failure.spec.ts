/**
 * SQLite refusing writes while reads go on: a full disk (the file may not grow past
 * `PRAGMA max_page_count`, which SQLite reports as SQLITE_FULL exactly as for ENOSPC) and a
 * read-only database (`PRAGMA query_only`, SQLITE_READONLY). Appends fail as
 * StoreUnavailableError and never half-commit a batch; `lastWriteFailure()` names the reason until
 * an append writes again, which is what /health reports.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStoreUnavailable, SQLITE_EVENTS_FILE, SqliteEventStore } from '@lib/event-store';
import { binaryEvent, jsonEvent } from './event-store.contract';

/** large enough to need new pages, which a file at its page limit cannot get */
const bigEvent = () => binaryEvent(new Uint8Array(200_000).fill(7));

describe('sqlite event store when writes fail', () => {
  let dataDir: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'plan-events-'));
    store = new SqliteEventStore({ file: join(dataDir, SQLITE_EVENTS_FILE) });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** the file keeps its current size: every write that needs a new page fails with SQLITE_FULL */
  const fillDisk = async (): Promise<void> => {
    const pages = (await store.writerPragma('page_count')) as number;
    await store.writerPragma(`max_page_count = ${pages}`);
  };
  const freeDisk = async (): Promise<void> =>
    void (await store.writerPragma('max_page_count = 1073741823'));

  it('given a full disk, when an append fails, then lastWriteFailure names SQLITE_FULL and its time while reads and ping go on; when there is space again, the next append clears it', async () => {
    const stored = await store.appendToStream('plan-a', [jsonEvent('PlanCreated')]);
    expect(store.lastWriteFailure()).toBeUndefined();

    await fillDisk();
    const before = Date.now();
    const error = await store.appendToStream('plan-a', [bigEvent()]).catch((e: unknown) => e);
    expect(isStoreUnavailable(error)).toBe(true);
    const failure = store.lastWriteFailure();
    expect(failure?.reason).toMatch(/sqlite event store unavailable: .*SQLITE_FULL/);
    expect(Date.parse(failure?.at ?? '')).toBeGreaterThanOrEqual(before - 1);
    await store.ping();
    expect(await store.readStream('plan-a')).toHaveLength(1);

    // a retried batch that is already stored succeeds without writing: it proves nothing
    const first = await store.readStream('plan-a');
    await store.appendToStream('plan-a', [
      { id: first[0].id, type: 'PlanCreated', data: first[0].data, metadata: first[0].metadata },
    ]);
    expect(store.lastWriteFailure()).toEqual(failure);
    // nor does a caller's own mistake, which is not the store's failure either
    await expect(
      store.appendToStream('plan-a', [jsonEvent()], { expectedVersion: 7 }),
    ).rejects.toMatchObject({ code: 'WRONG_EXPECTED_VERSION' });
    expect(store.lastWriteFailure()).toEqual(failure);

    await freeDisk();
    await store.appendToStream('plan-a', [bigEvent()], {
      expectedVersion: stored.nextExpectedVersion,
    });
    expect(store.lastWriteFailure()).toBeUndefined();
    expect(await store.verifyStream('plan-a')).toMatchObject({ ok: true, eventCount: 2 });
  });

  it('given a full disk, when a small and a large append share a batch, then both fail as unavailable and neither is stored, in either order', async () => {
    await store.appendToStream('plan-seed', [jsonEvent()]);
    await fillDisk();
    for (const order of ['small first', 'large first']) {
      const small = store.appendToStream('plan-small', [jsonEvent()]);
      const large = store.appendToStream('plan-large', [bigEvent()]);
      const outcomes = await Promise.allSettled(
        order === 'small first' ? [small, large] : [large, small],
      );
      for (const outcome of outcomes) {
        expect(outcome.status).toBe('rejected');
        expect(isStoreUnavailable((outcome as PromiseRejectedResult).reason)).toBe(true);
      }
      expect(await store.streamVersion('plan-small')).toBe(-1);
      expect(await store.streamVersion('plan-large')).toBe(-1);
      expect(store.lastWriteFailure()?.reason).toMatch(/SQLITE_FULL/);
    }
    expect(await store.headPosition()).toBe(1);
  });

  it('given a read-only database, when appending, then it fails with SQLITE_READONLY and lastWriteFailure says so until a write succeeds', async () => {
    await store.appendToStream('plan-a', [jsonEvent()]);
    await store.writerPragma('query_only = 1');
    const error = await store.appendToStream('plan-a', [jsonEvent()]).catch((e: unknown) => e);
    expect(isStoreUnavailable(error)).toBe(true);
    expect(store.lastWriteFailure()?.reason).toMatch(/readonly database \(SQLITE_READONLY\)/);

    await store.writerPragma('query_only = 0');
    await store.appendToStream('plan-a', [jsonEvent()]);
    expect(store.lastWriteFailure()).toBeUndefined();
  });
});
