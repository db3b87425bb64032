/**
 * handleCommand decides on the stream as it is: concurrent commands that each read the same
 * state are appended at the version they read, and the losers decide again on the newer state.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FoldedStates,
  handleCommand,
  SQLITE_EVENTS_FILE,
  SqliteEventStore,
  type Decider,
} from '@lib/event-store';

class SoldOutError extends Error {
  readonly code = 'SOLD_OUT';
}

/** Seats of a room with three: reserving one more than there are is refused. */
const seats: Decider<{ readonly by: string }, number> = {
  initialState: () => 0,
  evolve: (taken, event) => (event.type === 'SeatReserved' ? taken + 1 : taken),
  decide: (command, taken) => {
    if (taken >= 3) throw new SoldOutError(`sold out, ${command.by}`);
    return [
      {
        id: randomUUID(),
        type: 'SeatReserved',
        data: { by: command.by },
        metadata: { actor: command.by, at: '2027-01-04T09:00:00.000Z' },
      },
    ];
  },
};

describe('handleCommand', () => {
  let dataDir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'command-handler-'));
    store = new SqliteEventStore({ file: join(dataDir, SQLITE_EVENTS_FILE) });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given three seats, when six people reserve at the same time, then exactly three succeed and the rest are refused on the state they land on', async () => {
    const results = await Promise.allSettled(
      ['a', 'b', 'c', 'd', 'e', 'f'].map((by) =>
        handleCommand(store, 'room-1', seats, { by }, { maxAttempts: 10 }),
      ),
    );

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused.map((r) => (r.reason as SoldOutError).code)).toEqual([
      'SOLD_OUT',
      'SOLD_OUT',
      'SOLD_OUT',
    ]);
    expect((await store.readStream('room-1')).map((e) => e.version)).toEqual([0, 1, 2]);
  });

  it('given a command built from other reads, when it conflicts, then it is built again for the newer version', async () => {
    await handleCommand(store, 'room-2', seats, { by: 'a' });
    const seen: number[] = [];
    let first = true;
    await handleCommand(store, 'room-2', seats, async (version) => {
      seen.push(version);
      if (first) {
        first = false;
        // someone else reserves between this read and the append
        await handleCommand(store, 'room-2', seats, { by: 'b' });
      }
      return { by: 'c' };
    });
    expect(seen).toEqual([0, 1]);
    expect((await store.readStream('room-2')).map((e) => e.data)).toEqual([
      { by: 'a' },
      { by: 'b' },
      { by: 'c' },
    ]);
  });

  it('given a cache of folded states, when commands follow each other, then each reads only the events after the last it saw and decides the same', async () => {
    const cache = new FoldedStates<number>();
    const reads: number[] = [];
    const counting = new Proxy(store, {
      get(target, property, receiver) {
        if (property === 'readStream')
          return (streamId: string, options?: { fromVersion?: number }) => {
            reads.push(options?.fromVersion ?? 0);
            return target.readStream(streamId, options);
          };
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    for (const by of ['a', 'b']) await handleCommand(counting, 'room-3', seats, { by }, { cache });
    // someone without the cache takes the last seat meanwhile: the next command still sees it
    await handleCommand(store, 'room-3', seats, { by: 'x' });

    await expect(handleCommand(counting, 'room-3', seats, { by: 'e' }, { cache })).rejects.toThrow(
      SoldOutError,
    );
    expect(reads).toEqual([0, 1, 2]);
  });
});
