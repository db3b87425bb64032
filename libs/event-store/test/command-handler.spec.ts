/**
 * handleCommand decides on the stream as it is: concurrent commands that each read the same
 * state are appended at the version they read, and the losers decide again on the newer state.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
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
});
