/** Health of the event store: its kind, whether it answers, and the last global position. */
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
    try {
      await this.store.ping();
      const headPosition = await this.store.headPosition();
      return indicator.up({ store: this.store.kind, reachable: true, headPosition });
    } catch (error) {
      return indicator.down({
        store: this.store.kind,
        reachable: false,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
