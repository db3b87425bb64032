/**
 * Our `AllSubscription` over KurrentDB's native catch-up subscription to `$all`. The server
 * reads history and then switches to live by itself, without gap or duplicate; this wrapper
 * decodes, applies the exact filter, keeps positions strictly increasing, and ends on close.
 */
import type { AllStreamResolvedEvent, AllStreamSubscription } from '@kurrent/kurrentdb-client';
import { StoreUnavailableError } from '../errors';
import type { AllFilter, AllSubscription, RecordedEvent } from '../event-store.port';
import { decodeRecord, matchesFilter } from './kurrentdb-codec';

/** The part of the client's subscription stream this wrapper uses. */
export type NativeAllSubscription = Pick<
  AllStreamSubscription,
  'on' | 'pause' | 'resume' | 'unsubscribe' | 'destroy'
>;

export interface KurrentDbAllSubscriptionOptions {
  /** deliver only events strictly after this position */
  readonly fromPosition: number;
  readonly filter?: AllFilter;
  /** turns client errors into our typed errors (connection loss → StoreUnavailableError) */
  readonly mapError: (error: unknown) => unknown;
  readonly onRelease?: () => void;
}

/** above this many undelivered events the native stream is paused (gRPC flow control does the rest) */
const HIGH_WATER_MARK = 512;
const LOW_WATER_MARK = 128;
const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

export class KurrentDbAllSubscription implements AllSubscription {
  private readonly buffered: RecordedEvent[] = [];
  private waiters: Array<() => void> = [];
  private lastPosition: number;
  private failure: unknown;
  /** no further events will arrive: closed, failed or ended */
  private finished = false;
  private closed = false;
  private paused = false;
  private released = false;
  private started = false;

  constructor(
    private readonly source: NativeAllSubscription,
    private readonly options: KurrentDbAllSubscriptionOptions,
  ) {
    this.lastPosition = options.fromPosition;
    source.on('data', (resolved: AllStreamResolvedEvent) => this.accept(resolved));
    source.on('error', (error: Error) => this.fail(options.mapError(error)));
    // a catch-up subscription never ends by itself; an end we did not ask for is a lost connection
    const ended = (): void =>
      this.fail(
        new StoreUnavailableError('kurrentdb', new Error('the server ended the $all subscription')),
      );
    source.on('end', ended);
    source.on('close', ended);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.finished = true;
    this.buffered.length = 0;
    this.wake();
    await this.release();
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.started) throw new Error('a subscription can be iterated only once');
    this.started = true;
    return {
      next: () => this.next(),
      return: async () => {
        await this.close();
        return DONE;
      },
    };
  }

  private async next(): Promise<IteratorResult<RecordedEvent>> {
    for (;;) {
      if (this.closed) return DONE;
      const event = this.buffered.shift();
      if (event) {
        if (this.paused && this.buffered.length <= LOW_WATER_MARK) {
          this.paused = false;
          this.source.resume();
        }
        return { done: false, value: event };
      }
      if (this.failure !== undefined) {
        // events that arrived before the failure were delivered first; the failure ends the iteration
        const failure = this.failure;
        this.failure = undefined;
        this.closed = true;
        throw failure;
      }
      if (this.finished) return DONE;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private accept(resolved: AllStreamResolvedEvent): void {
    if (this.finished) return;
    const record = resolved.event;
    if (!record || !matchesFilter(record, this.options.filter)) return;
    let event: RecordedEvent;
    try {
      event = decodeRecord(record, resolved.commitPosition);
    } catch (error) {
      this.fail(error);
      return;
    }
    // KurrentDB may start at (not after) the position it was given; anything at or below the
    // last delivered position was delivered already
    if (event.position <= this.lastPosition) return;
    this.lastPosition = event.position;
    this.buffered.push(event);
    if (!this.paused && this.buffered.length >= HIGH_WATER_MARK) {
      this.paused = true;
      this.source.pause();
    }
    this.wake();
  }

  private fail(error: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.failure = error;
    this.wake();
    void this.release();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.options.onRelease?.();
    try {
      // a subscription whose connection already failed has nothing left to cancel
      await this.source.unsubscribe().catch(() => undefined);
    } finally {
      this.source.destroy();
    }
  }
}
