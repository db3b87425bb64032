/**
 * The SQLite store's writer thread: commits (and their waits on the file) happen off the event
 * loop, close lets what was sent finish, and an idle store does not keep a process alive while
 * an append in flight does.
 */
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Worker } from 'node:worker_threads';
import { isStoreUnavailable, SQLITE_EVENTS_FILE, SqliteEventStore } from '@lib/event-store';
import { writerExecArgv } from '../src/sqlite/writer-thread';
import { jsonEvent } from './event-store.contract';

const ROOT = join(__dirname, '..', '..', '..');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sqlite event store writer thread', () => {
  let dataDir: string;
  let file: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'plan-events-'));
    file = join(dataDir, SQLITE_EVENTS_FILE);
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('given another connection holds the write lock, when appending, then the event loop keeps running timers and reads until the lock is released and the append commits', async () => {
    const store = new SqliteEventStore({ file, busyTimeoutMs: 5_000 });
    try {
      await store.appendToStream('plan-a', [jsonEvent('PlanCreated')]);
      const other = new Database(file);
      other.exec('BEGIN IMMEDIATE');
      let settled = false;
      const append = store.appendToStream('plan-a', [jsonEvent()]).finally(() => {
        settled = true;
      });

      let ticks = 0;
      const ticker = setInterval(() => ticks++, 10);
      await sleep(300);
      clearInterval(ticker);
      expect(settled).toBe(false);
      // an event loop blocked in the writer's busy wait would have run none of them
      expect(ticks).toBeGreaterThanOrEqual(5);
      expect(await store.readStream('plan-a')).toHaveLength(1);
      expect(await store.headPosition()).toBe(1);

      other.exec('ROLLBACK');
      other.close();
      expect((await append).events[0]).toMatchObject({ version: 1, position: 2 });
      expect(await store.verifyStream('plan-a')).toMatchObject({ ok: true, eventCount: 2 });
    } finally {
      await store.close();
    }
  });

  it('given the writer thread has died, when appending, then a new thread is started and the append is stored', async () => {
    const store = new SqliteEventStore({ file });
    try {
      await store.appendToStream('plan-a', [jsonEvent('PlanCreated')]);
      // what a crash of the idle thread looks like from the event loop (the store has no hook
      // for it; terminating a thread inside a SQLite call would abort the whole process)
      const { writer } = store as unknown as { writer: { running: { worker: Worker } } };
      const dead = writer.running.worker;
      await dead.terminate();

      const next = await store.appendToStream('plan-a', [jsonEvent()]);
      expect(next.events[0]).toMatchObject({ version: 1, position: 2 });
      expect(writer.running.worker).not.toBe(dead);
      expect(await store.verifyStream('plan-a')).toMatchObject({ ok: true, eventCount: 2 });
    } finally {
      await store.close();
    }
  });

  it('given appends sent before close, when the store closes, then each either resolved and is stored or failed as unavailable and is not; later calls fail as unavailable', async () => {
    const store = new SqliteEventStore({ file });
    await store.appendToStream('plan-a', [jsonEvent('PlanCreated')]);
    const events = Array.from({ length: 30 }, () => jsonEvent());
    const appends = events.map((event) => store.appendToStream('plan-a', [event]));
    await store.close();
    const outcomes = await Promise.allSettled(appends);
    const unavailable = { code: 'STORE_UNAVAILABLE' };
    await expect(store.appendToStream('plan-a', [jsonEvent()])).rejects.toMatchObject(unavailable);
    await expect(store.writerPragma('page_count')).rejects.toMatchObject(unavailable);

    const reopened = new SqliteEventStore({ file });
    try {
      const storedIds = new Set((await reopened.readStream('plan-a')).map((e) => e.id));
      outcomes.forEach((outcome, i) => {
        if (outcome.status === 'fulfilled') expect(storedIds.has(events[i].id)).toBe(true);
        else {
          expect(isStoreUnavailable(outcome.reason)).toBe(true);
          expect(storedIds.has(events[i].id)).toBe(false);
        }
      });
      expect(storedIds.size).toBe(1 + outcomes.filter((o) => o.status === 'fulfilled').length);
      expect(await reopened.verifyStream('plan-a')).toMatchObject({ ok: true });
    } finally {
      await reopened.close();
    }
  });

  it('given a script that appends without awaiting and never closes its store, when it runs, then the append is acknowledged and the process then exits on its own', async () => {
    const script = `
      const { SqliteEventStore } = require('@lib/event-store');
      const store = new SqliteEventStore({ file: ${JSON.stringify(file)} });
      void store.appendToStream('plan-a', [{
        id: '${jsonEvent().id}', type: 'Noted', data: { n: 1 },
        metadata: { actor: 'alice', at: '2027-03-01T09:00:00.000Z' },
      }]).then((result) => process.stdout.write('ack ' + result.events[0].position));
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', '-e', script],
      {
        cwd: ROOT,
        env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
        timeout: 30_000,
      },
    );
    expect(stdout).toBe('ack 1');
  });

  it('given a database that is not a file, when opening, then it is refused: the writer thread needs a file of its own to open', () => {
    expect(() => new SqliteEventStore({ file: ':memory:' })).toThrow(/needs a database file/);
  });

  it('given the options the process runs with, then the writer thread gets only the profiling ones (no preloads, no V8 flags a worker refuses)', () => {
    expect(
      writerExecArgv([
        '-r',
        'ts-node/register',
        '--require=./probe.cjs',
        '--expose-gc',
        '--max-old-space-size=512',
        '--cpu-prof',
        '--cpu-prof-dir=/tmp/profiles',
        '--heap-prof',
      ]),
    ).toEqual(['--cpu-prof', '--cpu-prof-dir=/tmp/profiles', '--heap-prof']);
  });
});
