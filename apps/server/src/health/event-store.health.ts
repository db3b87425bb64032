/**
 * Health of the event store: its kind, whether it answers, the last global position, and whether
 * its last write went through. Reads keep working on a full disk or a read-only data dir while
 * every append fails, so answering a ping is not enough to be up.
 *
 * A failed write makes the store down until an append goes through again, or for at most
 * WRITE_FAILURE_HOLD_MS: a node that gets no writes (a readiness probe took it out of the load
 * balancer) would otherwise never come back once the cause is gone. After that it is up again,
 * still naming the failure, and the next failing write marks it down anew.
 */
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { EventStore } from '@lib/event-store';
import { EVENT_STORE } from '@lib/event-store/nest';

export const WRITE_FAILURE_HOLD_MS = 60_000;

@Injectable()
export class EventStoreHealthIndicator {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(key: string): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    let headPosition: number;
    try {
      await this.store.ping();
      headPosition = await this.store.headPosition();
    } catch (error) {
      return indicator.down({
        store: this.store.kind,
        reachable: false,
        error: error instanceof Error ? error.message : String(error),
      });
    }
    const lastWriteFailure = this.store.lastWriteFailure();
    if (lastWriteFailure && Date.now() - Date.parse(lastWriteFailure.at) < WRITE_FAILURE_HOLD_MS) {
      return indicator.down({
        store: this.store.kind,
        reachable: true,
        writable: false,
        headPosition,
        error: `last write failed: ${lastWriteFailure.reason}`,
        lastWriteFailure,
      });
    }
    if (lastWriteFailure) {
      // no write since: whether writes work again is not known
      return indicator.up({
        store: this.store.kind,
        reachable: true,
        headPosition,
        lastWriteFailure,
      });
    }
    return indicator.up({ store: this.store.kind, reachable: true, writable: true, headPosition });
  }
}
