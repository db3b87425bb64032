/**
 * The read side of the HTTP API: projectors and read models (ProjectionsModule), the routes
 * over them, and projection lag on /metrics.
 */
import { DynamicModule, Inject, Module, OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '@lib/config';
import { Projections } from '@lib/projections';
import { ProjectionsModule } from '@lib/projections/nest';
import { ServerMetrics } from '../metrics/server-metrics';
import { ReadModelsController } from './read-models.controller';

@Module({})
export class ReadModelsModule implements OnModuleInit {
  constructor(
    @Inject(Projections) private readonly projections: Projections,
    @Inject(ServerMetrics) private readonly metrics: ServerMetrics,
  ) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ReadModelsModule,
      imports: [ProjectionsModule.forRoot(config)],
      controllers: [ReadModelsController],
    };
  }

  onModuleInit(): void {
    this.metrics.labelledGauge(
      'plan_projection_lag_positions',
      'Global positions the event log is ahead of each read model (head − checkpoint)',
      ['read_model'],
      async () =>
        Object.entries(await this.projections.lag()).map(([readModel, value]) => ({
          labels: { read_model: readModel },
          value,
        })),
    );
    this.metrics.labelledGauge(
      'plan_projection_documents',
      'Plan documents the projectors share: hot (a Y.Doc) or parked (encoded, idle for PROJECTION_DOC_IDLE_MS)',
      ['tier'],
      async () => {
        const { hot, parked } = this.projections.documents();
        return [
          { labels: { tier: 'hot' }, value: hot },
          { labels: { tier: 'parked' }, value: parked },
        ];
      },
    );
    this.metrics.labelledGauge(
      'plan_projection_own_documents',
      'Plan documents a projector keeps of its own while it is behind the shared ones (rebuild, catch-up)',
      ['read_model'],
      async () =>
        this.projections.status().map(({ readModel, documents }) => ({
          labels: { read_model: readModel },
          value: documents.own,
        })),
    );
  }
}
