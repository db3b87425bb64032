/**
 * The KurrentDB adapter's append path over an in-memory stand-in for the client (one stream map,
 * KurrentDB's expected-revision check): how many reads an append costs, and that a remembered
 * head that went stale (another process appended) is noticed and corrected. The adapter against
 * a real server is kurrentdb-event-store.int-spec.ts.
 */
import { randomUUID } from 'node:crypto';
import {
  NO_STREAM,
  WrongExpectedVersionError as KurrentWrongExpectedVersionError,
  type AppendStreamState,
  type EventData,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import { sealEvent, type NewEvent } from '@lib/event-store';
import { encodeEvent } from '@lib/event-store/kurrentdb/kurrentdb-codec';
import { KurrentDbEventStore } from '@lib/event-store/kurrentdb/kurrentdb-event-store';
import { StreamTails, storedIn, tailCoversSlot } from '@lib/event-store/kurrentdb/stream-tails';

const at = '2027-03-01T09:00:00.000Z';
const event = (): NewEvent => ({
  id: randomUUID(),
  type: 'PlanUpdated',
  data: new Uint8Array([1, 2, 3]),
  metadata: { actor: 'alice', at },
});

/** KurrentDB as the adapter uses it: per-stream revisions, exact expected revisions, positions */
class FakeKurrentDb {
  readonly streams = new Map<string, ResolvedEvent[]>();
  readonly calls: string[] = [];
  private commit = 100n;

  async appendToStream(
    streamId: string,
    events: EventData[],
    { streamState }: { streamState: AppendStreamState },
  ): Promise<void> {
    this.calls.push('append');
    this.write(streamId, events, streamState);
  }

  /** what another process appending to the same server does */
  write(streamId: string, events: EventData[], streamState: AppendStreamState): void {
    const stream = this.streams.get(streamId) ?? [];
    const current = stream.length === 0 ? NO_STREAM : BigInt(stream.length - 1);
    if (streamState !== 'any' && streamState !== current) {
      throw new KurrentWrongExpectedVersionError(undefined, {
        streamName: streamId,
        expected: streamState,
        current,
      });
    }
    for (const data of events) {
      const commit = (this.commit += 10n);
      stream.push({
        event: {
          streamId,
          id: data.id,
          type: data.type,
          revision: BigInt(stream.length),
          isJson: data.contentType === 'application/json',
          data: data.data,
          metadata: JSON.parse(JSON.stringify(data.metadata)),
          position: { commit, prepare: commit },
        },
        commitPosition: commit,
      } as unknown as ResolvedEvent);
    }
    this.streams.set(streamId, stream);
  }

  async *readStream(
    streamId: string,
    options: { direction: string; fromRevision: bigint | string; maxCount?: number },
  ): AsyncGenerator<ResolvedEvent> {
    const backwards = options.direction === 'backwards';
    this.calls.push(backwards ? 'read backwards' : 'read forwards');
    const stream = this.streams.get(streamId) ?? [];
    const from =
      typeof options.fromRevision === 'bigint'
        ? Number(options.fromRevision)
        : backwards
          ? stream.length - 1
          : 0;
    const max = options.maxCount ?? Number.POSITIVE_INFINITY;
    const page = backwards
      ? stream.slice(Math.max(0, from - max + 1), from + 1).reverse()
      : stream.slice(from, from + max);
    yield* page;
  }

  async dispose(): Promise<void> {}
}

/** the adapter's constructor is private (open() connects); a test hands it the stand-in */
function storeOn(client: FakeKurrentDb): KurrentDbEventStore {
  const Store = KurrentDbEventStore as unknown as new (
    client: FakeKurrentDb,
    options: object,
  ) => KurrentDbEventStore;
  return new Store(client, { connectionString: 'kurrentdb://fake' });
}

describe('kurrentdb appends', () => {
  it('given a stream this process appended to, when it appends again, then the append is one write and one read of the appended events, never a read of the stream before', async () => {
    const client = new FakeKurrentDb();
    const store = storeOn(client);
    await store.appendToStream('plan-a', [event()]);
    expect(client.calls).toEqual(['read backwards', 'append', 'read forwards']);

    client.calls.length = 0;
    const second = await store.appendToStream('plan-a', [event(), event()]);
    const third = await store.appendToStream('plan-a', [event()], { expectedVersion: 2 });
    expect(client.calls).toEqual(['append', 'read forwards', 'append', 'read forwards']);
    expect(second.events.map((e) => e.version)).toEqual([1, 2]);
    expect(third.nextExpectedVersion).toBe(3);
    expect(await store.verifyStream('plan-a')).toMatchObject({ ok: true, eventCount: 4 });
  });

  it('given a remembered head that another process moved on, when appending, then KurrentDB refuses the stale revision, the stream is read and the batch sealed after the real head', async () => {
    const client = new FakeKurrentDb();
    const store = storeOn(client);
    await store.appendToStream('plan-a', [event()]);
    const head = client.streams.get('plan-a')![0].event!;
    const theirs = sealEvent('plan-a', 1, (head.metadata as { hash: string }).hash, event());
    client.write('plan-a', [encodeEvent(theirs)], 0n);

    client.calls.length = 0;
    const ours = await store.appendToStream('plan-a', [event()]);
    expect(ours.events[0].version).toBe(2);
    expect(client.calls).toEqual(['append', 'read backwards', 'append', 'read forwards']);
    expect(await store.verifyStream('plan-a')).toMatchObject({ ok: true, eventCount: 3 });
  });

  it('given a remembered head that went stale, when a caller expects the real head, then the append is not refused on what was remembered but decided on what is stored', async () => {
    const client = new FakeKurrentDb();
    const store = storeOn(client);
    await store.appendToStream('plan-a', [event()]);
    const head = client.streams.get('plan-a')![0].event!;
    const theirs = sealEvent('plan-a', 1, (head.metadata as { hash: string }).hash, event());
    client.write('plan-a', [encodeEvent(theirs)], 0n);

    const ours = await store.appendToStream('plan-a', [event()], { expectedVersion: 1 });
    expect(ours.nextExpectedVersion).toBe(2);
    await expect(
      store.appendToStream('plan-a', [event()], { expectedVersion: 1 }),
    ).rejects.toMatchObject({ code: 'WRONG_EXPECTED_VERSION', actual: 2 });
  });

  it('given a batch appended by this process, when it is retried, then the original positions come back without a write or a read', async () => {
    const client = new FakeKurrentDb();
    const store = storeOn(client);
    const batch = [event(), event()];
    const first = await store.appendToStream('plan-a', batch);
    client.calls.length = 0;
    expect(await store.appendToStream('plan-a', batch)).toEqual(first);
    expect(client.calls).toEqual([]);
    expect(client.streams.get('plan-a')).toHaveLength(2);
  });
});

describe('kurrentdb stream tails', () => {
  const ref = (id: string, version: number) => ({ id, streamId: 's', version, position: version });

  it('given more events than the window, when remembered, then only the latest ids are kept and the least recently used stream is dropped past the limit', () => {
    const tails = new StreamTails(2, 3);
    tails.remember(
      's',
      { version: 4, hash: 'h4' },
      [0, 1, 2, 3, 4].map((v) => ref(`e${v}`, v)),
    );
    expect([...tails.get('s')!.recent.keys()]).toEqual(['e2', 'e3', 'e4']);
    tails.remember('s', { version: 5, hash: 'h5' }, [ref('e5', 5)], tails.get('s'));
    expect([...tails.get('s')!.recent.keys()]).toEqual(['e3', 'e4', 'e5']);

    tails.remember('t', { version: -1, hash: 'g' }, []);
    tails.get('s');
    tails.remember('u', { version: -1, hash: 'g' }, []);
    expect(tails.get('t')).toBeUndefined();
    expect(tails.get('s')?.head).toEqual({ version: 5, hash: 'h5' });
  });

  it('given a tail, then it answers for an expected version only when that slot is remembered or not yet written', () => {
    const tails = new StreamTails(10, 3);
    tails.remember(
      's',
      { version: 9, hash: 'h' },
      [7, 8, 9].map((v) => ref(`e${v}`, v)),
    );
    const tail = tails.get('s')!;
    expect(tailCoversSlot(tail, 'any')).toBe(true);
    expect(tailCoversSlot(tail, 9)).toBe(true);
    expect(tailCoversSlot(tail, 6)).toBe(true);
    expect(tailCoversSlot(tail, 5)).toBe(false);
    expect(tailCoversSlot(tail, 'no_stream')).toBe(false);
    expect([...storedIn(tail, ['e8', 'x']).keys()]).toEqual(['e8']);
  });
});
