/**
 * Catch-up subscription over any store whose positions are gapless in commit order:
 * it always reads `$all` strictly after the last position it delivered, so the switch
 * from catch-up to live can neither skip nor repeat an event. Live events are found by
 * re-reading when the store signals an append (in-process emitter, LISTEN/NOTIFY) or
 * when the poll interval elapses (appends from other processes).
 */
import type {
  AllSubscription,
  ReadAllOptions,
  RecordedEvent,
  SubscribeOptions,
} from './event-store.port';

export type WakeListener = () => void;
/** registers a listener called after appends; returns the unregister function */
export type WakeSource = (listener: WakeListener) => () => void;

export interface CatchUpOptions extends SubscribeOptions {
  readonly pageSize?: number;
  /** re-read at least this often even without a wake signal; 0 disables polling */
  readonly pollIntervalMs?: number;
  /**
   * The store's head. With a filter, a short page proves that nothing up to the head read
   * before it matches, so the next read can start there instead of re-scanning every
   * non-matching event since the last match.
   */
  readonly headPosition?: () => Promise<number>;
}

export class CatchUpSubscription implements AllSubscription {
  private closed = false;
  private dirty = true;
  private wakeWaiter: (() => void) | undefined;
  private started = false;

  constructor(
    private readonly readAll: (options: ReadAllOptions) => Promise<RecordedEvent[]>,
    private readonly onWake: WakeSource,
    private readonly options: CatchUpOptions,
  ) {}

  async close(): Promise<void> {
    this.closed = true;
    this.wake();
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.started) throw new Error('a subscription can be iterated only once');
    this.started = true;
    return this.iterate();
  }

  private wake(): void {
    this.dirty = true;
    const waiter = this.wakeWaiter;
    this.wakeWaiter = undefined;
    waiter?.();
  }

  private async *iterate(): AsyncGenerator<RecordedEvent> {
    const pageSize = this.options.pageSize ?? 500;
    const pollIntervalMs = this.options.pollIntervalMs ?? 0;
    let position = this.options.fromPosition ?? 0;
    const unregister = this.onWake(() => this.wake());
    try {
      while (!this.closed) {
        this.dirty = false;
        const head =
          this.options.filter && this.options.headPosition
            ? await this.options.headPosition()
            : undefined;
        const page = await this.readAll({
          fromPosition: position,
          maxCount: pageSize,
          filter: this.options.filter,
        });
        for (const event of page) {
          if (this.closed) return;
          position = event.position;
          yield event;
        }
        if (page.length === pageSize) continue;
        if (head !== undefined && head > position) position = head;
        await this.waitForWake(pollIntervalMs);
      }
    } finally {
      unregister();
    }
  }

  private waitForWake(pollIntervalMs: number): Promise<void> {
    if (this.dirty || this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = pollIntervalMs > 0 ? setTimeout(() => this.wake(), pollIntervalMs) : undefined;
      this.wakeWaiter = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
    });
  }
}
