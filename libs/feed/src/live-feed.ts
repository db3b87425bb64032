/**
 * The live end of the feed on one node: reads each new change once, strictly after the last
 * position it published, and publishes it once (to its plan's room and the all-plans room),
 * whatever the number of subscribers. A subscription catches up on its own from its `from`
 * and is handed over to the live feed at a moment when it has sent exactly the changes the live
 * feed has published, so the switch neither skips nor repeats one:
 *
 *   subscription at X, live feed at L:  X = L → live now;  X < L → read (X, L] first;
 *                                        X > L → live right before the first change after X.
 */
import type { FeedChange } from './feed-messages';
import type { FeedSource } from './feed-source.port';

export interface LivePublisher {
  /** sends one change to every live subscriber of its plan (one room emit, encoded once) */
  publish(change: FeedChange): void;
  /** after each page of changes published (e.g. to end subscribers that read too slowly) */
  afterPublish(): void;
}

/** a subscription waiting to go live */
export interface LiveHandover {
  /** every change up to here (in its scope) was sent */
  readonly position: number;
  /** called synchronously at the switch: from now on the live feed delivers its changes */
  goLive(): void;
}

export interface LiveFeedOptions {
  readonly pageSize: number;
  /** re-read at least this often while anyone subscribes, even without a signal */
  readonly pollIntervalMs: number;
}

export class LiveFeed {
  /** the last position published; undefined while no one subscribes (then nothing is read) */
  private published: number | undefined;
  private starting: Promise<void> | undefined;
  /** bumped whenever the feed stops, so a start still reading the head knows it is stale */
  private generation = 0;
  private users = 0;
  private reading = false;
  private dirty = false;
  private poll: NodeJS.Timeout | undefined;
  private readonly waiting = new Set<LiveHandover>();
  private readonly unregister: () => void;

  constructor(
    private readonly source: FeedSource,
    private readonly publisher: LivePublisher,
    private readonly options: LiveFeedOptions,
    private readonly onError: (error: unknown) => void,
  ) {
    this.unregister = source.onNewChanges(() => this.pump());
  }

  /** the last position published; defined between `acquire` and the last release */
  get position(): number | undefined {
    return this.published;
  }

  /** keeps the live feed reading; resolves once it knows where it stands */
  async acquire(): Promise<() => void> {
    this.users += 1;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.users -= 1;
      if (this.users > 0) return;
      // no one left: stop reading; the next subscriber starts from the head again
      this.published = undefined;
      this.starting = undefined;
      this.generation += 1;
      clearInterval(this.poll);
      this.poll = undefined;
    };
    try {
      await this.start();
    } catch (error) {
      release();
      throw error;
    }
    return release;
  }

  /**
   * Goes live now when `handover.position` is the live position; waits (goes live inside a
   * later publish) when it is ahead. Returns false when it is behind: read up to `position`.
   */
  handOver(handover: LiveHandover): boolean {
    const published = this.published;
    if (published === undefined || handover.position < published) return false;
    if (handover.position === published) handover.goLive();
    else this.waiting.add(handover);
    return true;
  }

  cancel(handover: LiveHandover): void {
    this.waiting.delete(handover);
  }

  stop(): void {
    this.unregister();
    clearInterval(this.poll);
  }

  private start(): Promise<void> {
    if (this.published !== undefined) return Promise.resolve();
    this.starting ??= (async () => {
      const generation = this.generation;
      // changes committed after this read are read by the pump: the listener is registered
      const head = await this.source.headPosition();
      if (this.generation !== generation) return;
      this.published = head;
      this.poll = setInterval(() => this.pump(), this.options.pollIntervalMs);
      this.poll.unref();
      this.pump();
    })();
    return this.starting;
  }

  private pump(): void {
    if (this.published === undefined) return;
    this.dirty = true;
    if (this.reading) return;
    this.reading = true;
    void this.readAll().catch((error: unknown) => this.onError(error));
  }

  private async readAll(): Promise<void> {
    try {
      while (this.dirty) {
        this.dirty = false;
        const from = this.published;
        if (from === undefined) return;
        const page = await readPage(this.source, from, undefined, this.options.pageSize);
        // stopped (and maybe restarted) while reading: this page is not ours to publish
        if (this.published !== from) return;
        this.publish(page.changes);
        if (page.more) this.dirty = true;
      }
    } finally {
      // in the same turn as the last look at `dirty`: a signal after it starts a new read
      this.reading = false;
    }
  }

  private publish(changes: readonly FeedChange[]): void {
    for (const change of changes) {
      for (const handover of this.waiting) {
        if (handover.position < change.position) {
          this.waiting.delete(handover);
          handover.goLive();
        }
      }
      this.publisher.publish(change);
      this.published = change.position;
    }
    for (const handover of this.waiting) {
      if (handover.position === this.published) {
        this.waiting.delete(handover);
        handover.goLive();
      }
    }
    if (changes.length > 0) this.publisher.afterPublish();
  }
}

/**
 * One page of changes after `afterPosition`; `more` when the page was full (the source
 * limits entries, not events, so both are counted).
 */
export async function readPage(
  source: FeedSource,
  afterPosition: number,
  planIds: readonly string[] | undefined,
  pageSize: number,
): Promise<{ changes: FeedChange[]; more: boolean }> {
  if (planIds && planIds.length === 0) return { changes: [], more: false };
  const changes = await source.changesAfter(afterPosition, planIds, pageSize);
  const entries = changes.reduce((sum, change) => sum + change.changes.length, 0);
  return { changes, more: changes.length >= pageSize || entries >= pageSize };
}
