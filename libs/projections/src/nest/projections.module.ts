/**
 * Nest wiring for the read side (global): opens the read-model store next to the configured
 * event store, prepares the read models, starts the projectors once the application has
 * bootstrapped and stops them before the event store closes.
 *
 *   ProjectionsModule.forRoot(config)   // after EventStoreModule.forRoot(config)
 */
import {
  BeforeApplicationShutdown,
  DynamicModule,
  Global,
  Inject,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { EventStore } from '@lib/event-store';
import { EVENT_STORE } from '@lib/event-store/nest';
import { ChangeLogReadModel } from '../change-log/change-log.read-model';
import { PlanSummaryReadModel } from '../plan-summary/plan-summary.read-model';
import { Projections, type StandardProjectionSettings } from '../projections';
import { RiskRegisterReadModel } from '../risk-register/risk-register.read-model';
import { openReadModelStore, type ReadModelStoreSettings } from '../store/open-read-model-store';
import type { ReadModelStore } from '../store/read-model-store.port';
import { TimelineReadModel } from '../timeline/timeline.read-model';

export const READ_MODEL_STORE = Symbol('READ_MODEL_STORE');

export type ProjectionsSettings = ReadModelStoreSettings &
  StandardProjectionSettings & {
    /** see ProjectorOptions.documentIdleMs */
    readonly projectionDocIdleMs?: number;
    /** see ProjectorOptions.batchWindowMs */
    readonly projectionBatchWindowMs?: number;
    /** see ProjectorOptions.maxBatchWindowMs */
    readonly projectionMaxBatchWindowMs?: number;
  };

@Global()
@Module({})
export class ProjectionsModule
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  constructor(
    @Inject(Projections) private readonly projections: Projections,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
  ) {}

  static forRoot(settings: ProjectionsSettings): DynamicModule {
    return {
      module: ProjectionsModule,
      providers: [
        { provide: READ_MODEL_STORE, useFactory: () => openReadModelStore(settings) },
        {
          provide: Projections,
          inject: [EVENT_STORE, READ_MODEL_STORE],
          useFactory: async (store: EventStore, readModels: ReadModelStore) => {
            const projections = new Projections(store, readModels, {
              log: new Logger('Projections'),
              scopeCreepThresholdPercent: settings.scopeCreepThresholdPercent,
              documentIdleMs: settings.projectionDocIdleMs,
              batchWindowMs: settings.projectionBatchWindowMs,
              maxBatchWindowMs: settings.projectionMaxBatchWindowMs,
            });
            // tables and checkpoints exist before any controller can query them
            await projections.init();
            return projections;
          },
        },
        {
          provide: ChangeLogReadModel,
          inject: [Projections],
          useFactory: (p: Projections) => p.changeLog,
        },
        {
          provide: TimelineReadModel,
          inject: [Projections],
          useFactory: (p: Projections) => p.timeline,
        },
        {
          provide: RiskRegisterReadModel,
          inject: [Projections],
          useFactory: (p: Projections) => p.riskRegister,
        },
        {
          provide: PlanSummaryReadModel,
          inject: [Projections],
          useFactory: (p: Projections) => p.planSummary,
        },
      ],
      exports: [
        READ_MODEL_STORE,
        Projections,
        ChangeLogReadModel,
        TimelineReadModel,
        RiskRegisterReadModel,
        PlanSummaryReadModel,
      ],
    };
  }

  // after bootstrap, not on module init: a catch-up then never delays the server's start
  onApplicationBootstrap(): void {
    this.projections.start();
  }

  // before, not on, shutdown: EventStoreModule closes the store in onApplicationShutdown
  async beforeApplicationShutdown(): Promise<void> {
    await this.projections.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.readModels.close();
  }
}
