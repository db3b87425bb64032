/**
 * Delivers the change log to webhooks: one worker per subscription reads the changes after
 * its last acknowledged position, in position order, and sends them one at a time, so a
 * receiver sees them in order and a restart resumes at the first unacknowledged change (a
 * change that was mid-retry keeps its attempt count and its next-attempt time). Only the
 * process holding the `webhooks` lease delivers, so two nodes do not race each other.
 */
import type { FeedChange, FeedSource } from '@lib/feed';
import type { ProjectionLease, ReadModelStore } from '@lib/projections';
import { deliver, type DeliveryOutcome, type DeliveryRequest } from './webhook-delivery';
import { retryDelayMs, type RetryPolicy } from './webhook-retry';
import type { WebhookStore, WebhookSubscription } from './webhook-store';

export interface WebhookScope {
  /** plan ids the subscription may receive now; undefined: every plan */
  planIds(subscription: WebhookSubscription): Promise<readonly string[] | undefined>;
}

export interface WebhookDispatcherOptions extends RetryPolicy {
  readonly timeoutMs: number;
  /** how often workers re-read without a signal, and the dispatcher looks for new subscriptions */
  readonly pollIntervalMs: number;
  readonly pageSize: number;
  /** the HTTP attempt (tests replace it) */
  readonly send?: (request: DeliveryRequest) => Promise<DeliveryOutcome>;
}

export interface WebhookLog {
  warn(message: string): void;
  error(message: string): void;
}

export const WEBHOOK_LEASE = 'webhooks';

export class WebhookDispatcher {
  private readonly workers = new Map<string, WebhookWorker>();
  private lease: ProjectionLease | undefined;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: WebhookStore,
    private readonly readModels: ReadModelStore,
    private readonly source: FeedSource,
    private readonly scope: WebhookScope,
    private readonly options: WebhookDispatcherOptions,
    private readonly log: WebhookLog,
  ) {}

  start(): void {
    this.schedule(0);
  }

  /** a subscription was added or removed here: look now rather than at the next poll */
  changed(): void {
    if (!this.stopped) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.scanning;
    await Promise.all([...this.workers.values()].map((worker) => worker.stop()));
    this.workers.clear();
    await this.lease?.release();
    this.lease = undefined;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.scanning = this.scan()
        .catch((error: unknown) =>
          this.log.error(
            `webhook scan failed: ${error instanceof Error ? error.message : String(error)}`,
          ),
        )
        .finally(() => {
          if (!this.stopped) this.schedule(this.options.pollIntervalMs);
        });
    }, delayMs);
  }

  /** holds the lease, then makes the running workers match the stored subscriptions */
  private async scan(): Promise<void> {
    if (this.stopped) return;
    if (!this.lease) {
      this.lease = await this.readModels.tryLease(WEBHOOK_LEASE);
      if (!this.lease) return;
      const lease = this.lease;
      void lease.lost.then(async () => {
        if (this.lease !== lease) return;
        this.lease = undefined;
        this.log.warn('webhook lease lost; another node may deliver now');
        await Promise.all([...this.workers.values()].map((worker) => worker.stop()));
        this.workers.clear();
      });
    }
    const subscriptions = await this.store.list();
    const ids = new Set(subscriptions.map((s) => s.id));
    for (const [id, worker] of this.workers) {
      if (!ids.has(id)) {
        this.workers.delete(id);
        await worker.stop();
      }
    }
    for (const subscription of subscriptions) {
      if (this.stopped || this.workers.has(subscription.id)) continue;
      this.workers.set(
        subscription.id,
        new WebhookWorker(
          subscription.id,
          this.store,
          this.source,
          this.scope,
          this.options,
          this.log,
        ),
      );
    }
  }
}

class WebhookWorker {
  private stopped = false;
  private readonly abort = new AbortController();
  private wakeUp: (() => void) | undefined;
  private dirty = true;
  private readonly unregister: () => void;
  private readonly done: Promise<void>;

  constructor(
    private readonly id: string,
    private readonly store: WebhookStore,
    private readonly source: FeedSource,
    private readonly scope: WebhookScope,
    private readonly options: WebhookDispatcherOptions,
    private readonly log: WebhookLog,
  ) {
    this.unregister = source.onNewChanges(() => this.wake());
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.done;
  }

  private wake(): void {
    this.dirty = true;
    const wakeUp = this.wakeUp;
    this.wakeUp = undefined;
    wakeUp?.();
  }

  private async run(): Promise<void> {
    try {
      while (!this.stopped) {
        this.dirty = false;
        // the stored row is the truth (progress, pending retry): re-read it every round
        const subscription = await this.store.get(this.id);
        if (!subscription) return;
        const planIds = await this.scope.planIds(subscription);
        const changes =
          planIds && planIds.length === 0
            ? []
            : await this.source.changesAfter(
                subscription.ackedPosition,
                planIds,
                this.options.pageSize,
              );
        let current = subscription;
        for (const change of changes) {
          if (this.stopped) return;
          current = await this.handle(current, change);
        }
        if (changes.length >= this.options.pageSize) continue;
        await this.sleep(this.options.pollIntervalMs, true);
      }
    } catch (error) {
      // the next scan starts this subscription again from its stored progress
      this.log.error(
        `webhook ${this.id} stopped: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      this.unregister();
    }
  }

  /** delivers one change until it is acknowledged or dead-lettered; returns the new progress */
  private async handle(
    subscription: WebhookSubscription,
    change: FeedChange,
  ): Promise<WebhookSubscription> {
    if (!wants(subscription.kinds, change)) {
      await this.store.acknowledge(this.id, change.position, false);
      return { ...subscription, ackedPosition: change.position, pending: undefined };
    }
    let attempts =
      subscription.pending?.position === change.position ? subscription.pending.attempts : 0;
    if (attempts > 0 && subscription.pending) {
      await this.sleep(Date.parse(subscription.pending.nextAttemptAt) - Date.now(), false);
    }
    const body = JSON.stringify({ webhookId: this.id, position: change.position, change });
    const send = this.options.send ?? deliver;
    while (!this.stopped) {
      const outcome = await send({
        url: subscription.url,
        secret: subscription.secret,
        webhookId: this.id,
        position: change.position,
        attempt: attempts + 1,
        body,
        timeoutMs: this.options.timeoutMs,
      });
      if (outcome.ok) {
        await this.store.acknowledge(this.id, change.position, true);
        return {
          ...subscription,
          ackedPosition: change.position,
          delivered: subscription.delivered + 1,
          pending: undefined,
        };
      }
      attempts += 1;
      const at = new Date();
      if (attempts >= this.options.maxAttempts) {
        await this.store.deadLetter(this.id, {
          position: change.position,
          planId: change.planId,
          eventId: change.eventId,
          attempts,
          reason: outcome.reason,
          at: at.toISOString(),
        });
        this.log.warn(
          `webhook ${this.id}: position ${change.position} dead-lettered after ${attempts} attempts: ${outcome.reason}`,
        );
        return { ...subscription, ackedPosition: change.position, pending: undefined };
      }
      const delayMs = retryDelayMs(this.options, attempts);
      await this.store.recordFailure(this.id, {
        position: change.position,
        attempts,
        nextAttemptAt: new Date(at.getTime() + delayMs).toISOString(),
        lastError: outcome.reason,
      });
      await this.sleep(delayMs, false);
    }
    return subscription;
  }

  /** waits `ms`, or less when stopped (or, if `wakeOnSignal`, when new changes may exist) */
  private sleep(ms: number, wakeOnSignal: boolean): Promise<void> {
    if (this.stopped || ms <= 0 || (wakeOnSignal && this.dirty)) return Promise.resolve();
    return new Promise((resolve) => {
      const signal = this.abort.signal;
      const finish = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', finish);
        if (this.wakeUp === finish) this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      signal.addEventListener('abort', finish);
      // a retry waits its backoff out: only stopping ends it early
      if (wakeOnSignal) this.wakeUp = finish;
    });
  }
}

/** kinds name event types (`MemberGranted`) or change types (`TaskAdded`), or '*' */
export function wants(kinds: WebhookSubscription['kinds'], change: FeedChange): boolean {
  if (kinds === '*') return true;
  return (
    kinds.includes(change.eventType) ||
    change.changes.some((item) => kinds.includes(item.changeType))
  );
}
