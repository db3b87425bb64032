/** Nest wiring for the EventStore port: opens the configured adapter, closes it on shutdown. */
import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { EventStore } from '../event-store.port';
import { openEventStore, type EventStoreSettings } from '../open-event-store';

export const EVENT_STORE = Symbol('EVENT_STORE');

@Global()
@Module({})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** `decorate` wraps the opened store (e.g. with metrics) before anyone sees it */
  static forRoot(
    settings: EventStoreSettings,
    decorate: (store: EventStore) => EventStore = (s) => s,
  ): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [
        { provide: EVENT_STORE, useFactory: async () => decorate(await openEventStore(settings)) },
      ],
      exports: [EVENT_STORE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
