/**
 * The switch from a subscription's own catch-up to the node's live feed: whatever the
 * interleaving of appends, reads and subscribes, every subscriber gets each change after its
 * `from` exactly once, in order, and the live feed publishes each change once for all of them.
 */
import { seededRandom } from '../../../test/support/seeded-random';
import {
  FeedSubscription,
  LiveFeed,
  type FeedChange,
  type FeedSource,
  type LivePublisher,
  type SubscriptionSink,
} from '../src';

/** a change log in memory whose reads resolve a few turns later, like a database's */
class InMemoryChangeLog implements FeedSource {
  readonly changes: FeedChange[] = [];
  private readonly listeners = new Set<() => void>();
  private position = 0;

  constructor(private readonly delay: () => Promise<void>) {}

  append(planId: string): void {
    this.position += 1 + (this.position % 3); // positions have gaps (other streams' events)
    this.changes.push({
      planId,
      position: this.position,
      version: this.changes.length,
      eventId: `e${this.position}`,
      eventType: 'PlanUpdated',
      actor: 'maria',
      at: '2027-02-01T09:00:00.000Z',
      changes: [
        { changeType: 'TaskUpdated', entity: { type: 'task', id: 't1' }, payload: {}, summary: '' },
      ],
    });
    for (const listener of this.listeners) listener();
  }

  async changesAfter(
    afterPosition: number,
    planIds: readonly string[] | undefined,
    limit: number,
  ): Promise<FeedChange[]> {
    // what is committed when the read starts: appends during the delay are not seen
    const visible = this.changes.filter(
      (c) => c.position > afterPosition && (!planIds || planIds.includes(c.planId)),
    );
    await this.delay();
    return visible.slice(0, limit);
  }

  async headPosition(): Promise<number> {
    const head = this.changes[this.changes.length - 1]?.position ?? 0;
    await this.delay();
    return head;
  }

  onNewChanges(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

interface Subscriber {
  readonly from: number;
  readonly planIds: readonly string[] | undefined;
  readonly received: FeedChange[];
  live: boolean;
  subscription?: FeedSubscription;
}

/** socket.io rooms, reduced to what the feed relies on: a publish reaches every live member */
function rooms(subscribers: readonly Subscriber[], published: number[] = []): LivePublisher {
  return {
    publish: (change) => {
      published.push(change.position);
      for (const s of subscribers)
        if (s.live && (!s.planIds || s.planIds.includes(change.planId))) s.received.push(change);
    },
    afterPublish: () => undefined,
  };
}

function sinkOf(subscriber: Subscriber): SubscriptionSink {
  return {
    send: (change) => (subscriber.received.push(change), 0),
    resume: () => undefined,
    goLive: () => (subscriber.live = true),
    leaveLive: () => (subscriber.live = false),
  };
}

const turns = (n: number) => async () => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

function subscribe(
  log: InMemoryChangeLog,
  live: LiveFeed,
  subscriber: Subscriber,
  pageSize = 4,
): void {
  subscriber.subscription = new FeedSubscription(
    log,
    live,
    { planIds: () => subscriber.planIds },
    ['change'],
    subscriber.from,
    sinkOf(subscriber),
    { pageSize, maxBufferedMessages: 1000 },
    (error) => {
      throw error;
    },
  );
}

describe('live feed handover', () => {
  it('given 10 stored changes, when a subscriber starts from 0 while 10 more are appended, then it gets all 20 once, in order, the later ones from the live feed', async () => {
    const log = new InMemoryChangeLog(turns(2));
    for (let i = 0; i < 10; i++) log.append('p1');
    const subscribers: Subscriber[] = [];
    const live = new LiveFeed(
      log,
      rooms(subscribers),
      { pageSize: 4, pollIntervalMs: 10_000 },
      (e) => {
        throw e;
      },
    );
    const subscriber: Subscriber = { from: 0, planIds: ['p1'], received: [], live: false };
    subscribers.push(subscriber);
    subscribe(log, live, subscriber);
    for (let i = 0; i < 10; i++) {
      log.append('p1');
      await turns(3)();
    }
    await turns(20)();

    expect(subscriber.live).toBe(true);
    expect(subscriber.received.map((c) => c.position)).toEqual(log.changes.map((c) => c.position));
    subscriber.subscription!.stop();
    live.stop();
  });

  it('given a subscriber resuming from a position the live feed has not reached, when changes arrive, then it gets exactly those after its position', async () => {
    const log = new InMemoryChangeLog(turns(1));
    for (let i = 0; i < 5; i++) log.append('p1');
    const subscribers: Subscriber[] = [];
    const live = new LiveFeed(
      log,
      rooms(subscribers),
      { pageSize: 100, pollIntervalMs: 10_000 },
      (e) => {
        throw e;
      },
    );
    const ahead = log.changes[4].position + 4; // e.g. resumed from another node that is ahead
    const subscriber: Subscriber = { from: ahead, planIds: undefined, received: [], live: false };
    subscribers.push(subscriber);
    subscribe(log, live, subscriber);
    await turns(10)();
    expect(subscriber.live).toBe(false);

    for (let i = 0; i < 6; i++) log.append('p1');
    await turns(20)();

    expect(subscriber.live).toBe(true);
    expect(subscriber.received.map((c) => c.position)).toEqual(
      log.changes.filter((c) => c.position > ahead).map((c) => c.position),
    );
    subscriber.subscription!.stop();
    live.stop();
  });

  it('given random interleavings of appends, subscribes and read delays, then every subscriber gets each change after its from exactly once, in order, and the live feed publishes each change once', async () => {
    for (let round = 0; round < 20; round++) {
      const random = seededRandom(1000 + round);
      const log = new InMemoryChangeLog(() => turns(random.int(0, 3))());
      const subscribers: Subscriber[] = [];
      const published: number[] = [];
      const live = new LiveFeed(
        log,
        rooms(subscribers, published),
        { pageSize: 3, pollIntervalMs: 10_000 },
        (e) => {
          throw e;
        },
      );
      for (let step = 0; step < 60; step++) {
        const action = random.next();
        if (action < 0.6) log.append(random.pick(['p1', 'p2', 'p3']));
        else if (action < 0.8) {
          const head = log.changes[log.changes.length - 1]?.position ?? 0;
          const subscriber: Subscriber = {
            from: random.int(0, head + 3),
            planIds: random.next() < 0.3 ? undefined : [random.pick(['p1', 'p2', 'p3'])],
            received: [],
            live: false,
          };
          subscribers.push(subscriber);
          subscribe(log, live, subscriber, random.int(1, 4));
        } else await turns(random.int(1, 4))();
      }
      // one more change per plan, so a subscriber resumed ahead of the log gets to go live
      log.append('p1');
      log.append('p2');
      log.append('p3');
      const head = log.changes[log.changes.length - 1].position;
      for (let turn = 0; turn < 5000; turn++) {
        if (live.position === head && subscribers.every((s) => s.live)) break;
        await turns(1)();
      }

      for (const s of subscribers) {
        const expected = log.changes
          .filter((c) => c.position > s.from && (!s.planIds || s.planIds.includes(c.planId)))
          .map((c) => c.position);
        expect({ seed: random.seed, from: s.from, got: s.received.map((c) => c.position) }).toEqual(
          {
            seed: random.seed,
            from: s.from,
            got: expected,
          },
        );
        expect(s.live).toBe(true);
        s.subscription!.stop();
      }
      // each change is published once, for every subscriber at the same time
      expect(published).toEqual([...new Set(published)].sort((a, b) => a - b));
      live.stop();
    }
  });
});
