/**
 * One dashboard subscription: catch-up from `from`, then live, by always reading the change
 * log strictly after the last position it sent — so the switch from catch-up to live can
 * neither skip nor repeat an event, on whichever node the change was projected. A reader that
 * falls behind is told where to resume instead of letting its buffer grow.
 */
import type { FeedChange, FeedKind } from './feed-messages';
import type { FeedSource } from './feed-source.port';

export interface SubscriptionSink {
  /** sends one change; returns how many messages are waiting to be written to the client */
  send(change: FeedChange): number;
  /** the subscription ended; the client may subscribe again from `from` */
  resume(from: number, reason: string): void;
}

export interface SubscriptionScope {
  /** plan ids the subscription covers now (undefined: every plan) */
  planIds(): readonly string[] | undefined;
}

export interface FeedSubscriptionOptions {
  readonly pageSize: number;
  /** waiting messages (not yet written to the socket) that end the subscription with `resume` */
  readonly maxBufferedMessages: number;
  /** re-read at least this often even without a signal */
  readonly pollIntervalMs: number;
}

export class FeedSubscription {
  private position: number;
  private stopped = false;
  private dirty = true;
  private waiter: (() => void) | undefined;
  private readonly unregister: () => void;
  readonly done: Promise<void>;

  constructor(
    private readonly source: FeedSource,
    private readonly scope: SubscriptionScope,
    private readonly kinds: readonly FeedKind[],
    from: number,
    private readonly sink: SubscriptionSink,
    private readonly options: FeedSubscriptionOptions,
    private readonly onError: (error: unknown) => void,
  ) {
    this.position = from;
    // registered before the first read: a change committed after that read wakes the loop
    this.unregister = source.onNewChanges(() => this.wake());
    this.done = this.run();
  }

  get lastPosition(): number {
    return this.position;
  }

  stop(): void {
    this.stopped = true;
    this.wake();
  }

  /** ends the subscription telling the client where to pick up (e.g. it lost access to a plan) */
  end(reason: string): void {
    if (this.stopped) return;
    this.stop();
    this.sink.resume(this.position, reason);
  }

  wake(): void {
    this.dirty = true;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  private async run(): Promise<void> {
    try {
      while (!this.stopped) {
        this.dirty = false;
        const planIds = this.scope.planIds();
        const changes =
          planIds && planIds.length === 0
            ? []
            : await this.source.changesAfter(this.position, planIds, this.options.pageSize);
        const wanted = this.kinds.includes('change');
        for (const change of changes) {
          if (this.stopped) return;
          // the scope may have shrunk (access revoked) since the read
          const scope = this.scope.planIds();
          if (wanted && (!scope || scope.includes(change.planId))) {
            const waiting = this.sink.send(change);
            this.position = change.position;
            if (waiting > this.options.maxBufferedMessages) {
              this.end(
                `slow consumer: more than ${this.options.maxBufferedMessages} messages waiting`,
              );
              return;
            }
          } else {
            this.position = change.position;
          }
        }
        if (changes.length >= this.options.pageSize) continue;
        await this.waitForSignal();
      }
    } catch (error) {
      this.onError(error);
      this.end('the feed failed to read changes; subscribe again to resume');
    } finally {
      this.unregister();
    }
  }

  private waitForSignal(): Promise<void> {
    if (this.dirty || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake(), this.options.pollIntervalMs);
      this.waiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
