/**
 * One dashboard subscription: catch-up from `from` by reading the change log strictly after
 * the last position it sent, then live, handed over to the node's LiveFeed (which publishes
 * each change once to the rooms the subscriber joins) exactly where the live feed stands — so
 * the switch from catch-up to live can neither skip nor repeat an event, on whichever node the
 * change was projected. A reader that falls behind is told where to resume instead of letting
 * its buffer grow.
 */
import type { FeedChange, FeedKind } from './feed-messages';
import type { FeedSource } from './feed-source.port';
import { readPage, type LiveFeed, type LiveHandover } from './live-feed';

export interface SubscriptionSink {
  /** sends one change; returns how many messages are waiting to be written to the client */
  send(change: FeedChange): number;
  /** the subscription ended; the client may subscribe again from `from` */
  resume(from: number, reason: string): void;
  /** from now on the live feed delivers this subscriber's changes (it joins its plans' rooms) */
  goLive(): void;
  /** the live feed must not deliver to this subscriber anymore (it leaves the rooms) */
  leaveLive(): void;
}

export interface SubscriptionScope {
  /** plan ids the subscription covers now (undefined: every plan) */
  planIds(): readonly string[] | undefined;
}

export interface FeedSubscriptionOptions {
  readonly pageSize: number;
  /** waiting messages (not yet written to the socket) that end the subscription with `resume` */
  readonly maxBufferedMessages: number;
}

export class FeedSubscription implements LiveHandover {
  private caughtUpTo: number;
  private stopped = false;
  private live = false;
  private resolveStopped: () => void = () => undefined;
  private readonly stoppedSignal = new Promise<void>((resolve) => (this.resolveStopped = resolve));
  readonly done: Promise<void>;

  constructor(
    private readonly source: FeedSource,
    private readonly liveFeed: LiveFeed,
    private readonly scope: SubscriptionScope,
    private readonly kinds: readonly FeedKind[],
    from: number,
    private readonly sink: SubscriptionSink,
    private readonly options: FeedSubscriptionOptions,
    private readonly onError: (error: unknown) => void,
  ) {
    this.caughtUpTo = from;
    this.done = this.run();
  }

  /** every change up to here (in scope) was sent, or handed to the socket by the live feed */
  get lastPosition(): number {
    return this.live ? (this.liveFeed.position ?? this.caughtUpTo) : this.caughtUpTo;
  }

  /** for the live feed's handover: where the catch-up stands */
  get position(): number {
    return this.caughtUpTo;
  }

  get isLive(): boolean {
    return this.live;
  }

  goLive(): void {
    if (this.stopped) return;
    this.live = true;
    if (this.kinds.includes('change')) this.sink.goLive();
  }

  stop(): void {
    if (this.stopped) return;
    // the position is read before leaving the live feed, which moves on without us
    this.caughtUpTo = this.lastPosition;
    this.stopped = true;
    this.liveFeed.cancel(this);
    if (this.live) this.sink.leaveLive();
    this.live = false;
    this.resolveStopped();
  }

  /** ends the subscription telling the client where to pick up (e.g. it lost access to a plan) */
  end(reason: string): void {
    if (this.stopped) return;
    this.stop();
    this.sink.resume(this.caughtUpTo, reason);
  }

  private async run(): Promise<void> {
    let release: (() => void) | undefined;
    try {
      release = await this.liveFeed.acquire();
      while (!this.stopped) {
        const upTo = this.liveFeed.position;
        if (upTo === undefined) throw new Error('the live feed stopped while subscribed');
        if (this.liveFeed.handOver(this)) break;
        if (!(await this.catchUp(upTo))) return;
      }
      await this.stoppedSignal;
    } catch (error) {
      this.onError(error);
      this.end('the feed failed to read changes; subscribe again to resume');
    } finally {
      release?.();
    }
  }

  /**
   * Sends the changes after the caught-up position up to `upTo` (the live feed's position when
   * the read began, so the read sees every change up to it). Returns false when it ended.
   */
  private async catchUp(upTo: number): Promise<boolean> {
    const { changes, more } = await readPage(
      this.source,
      this.caughtUpTo,
      this.scope.planIds(),
      this.options.pageSize,
    );
    const wanted = this.kinds.includes('change');
    let reachedUpTo = !more;
    for (const change of changes) {
      if (this.stopped) return false;
      if (change.position > upTo) {
        // the live feed publishes it (this read saw a change it has not read yet)
        reachedUpTo = true;
        break;
      }
      // the scope may have shrunk (access revoked) since the read
      const scope = this.scope.planIds();
      if (wanted && (!scope || scope.includes(change.planId))) {
        const waiting = this.sink.send(change);
        this.caughtUpTo = change.position;
        if (waiting > this.options.maxBufferedMessages) {
          this.end(`slow consumer: more than ${this.options.maxBufferedMessages} messages waiting`);
          return false;
        }
      } else {
        this.caughtUpTo = change.position;
      }
    }
    if (reachedUpTo) this.caughtUpTo = Math.max(this.caughtUpTo, upTo);
    return !this.stopped;
  }
}
