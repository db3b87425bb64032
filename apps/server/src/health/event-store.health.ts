/**
 * Health of the event store: its kind, whether it answers, the last global position, and whether
 * its last write went through. Reads keep working on a full disk or a read-only data dir while
 * every append fails, so answering a ping is not enough to be up.
 */
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { EventStore } from '@lib/event-store';
import { EVENT_STORE } from '@lib/event-store/nest';

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
    // down until an append writes again: nothing else proves the store can take writes
    const lastWriteFailure = this.store.lastWriteFailure();
    if (lastWriteFailure) {
      return indicator.down({
        store: this.store.kind,
        reachable: true,
        writable: false,
        headPosition,
        error: `last write failed: ${lastWriteFailure.reason}`,
        lastWriteFailure,
      });
    }
    return indicator.up({ store: this.store.kind, reachable: true, writable: true, headPosition });
  }
}
